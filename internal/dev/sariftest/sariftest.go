// Package sariftest validates SARIF logs against the official SARIF 2.1.0
// JSON schema, for tests. The schema is the one github.com/owenrumney/go-sarif
// embeds (the OASIS errata 01 schema); it is read from that module's source
// in the module cache, so validation needs no network.
package sariftest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xeipuuv/gojsonschema"
)

const (
	module     = "github.com/owenrumney/go-sarif/v3"
	schemaFile = "pkg/report/v210/sarif/schema.go"
	schemaID   = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)

// Validate checks the raw bytes of a SARIF log against the schema and
// returns every violation in one error.
func Validate(log []byte) error {
	schema, err := Schema()
	if err != nil {
		return err
	}
	res, err := gojsonschema.Validate(gojsonschema.NewStringLoader(schema), gojsonschema.NewBytesLoader(log))
	if err != nil {
		return fmt.Errorf("validate SARIF: %w", err)
	}
	if res.Valid() {
		return nil
	}
	var msgs []string
	for _, e := range res.Errors() {
		msgs = append(msgs, e.String())
	}
	return fmt.Errorf("not valid SARIF 2.1.0:\n\t%s", strings.Join(msgs, "\n\t"))
}

// Schema returns the SARIF 2.1.0 JSON schema.
func Schema() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module).Output()
	if err != nil {
		return "", fmt.Errorf("find %s in the module cache: %w", module, err)
	}
	name := filepath.Join(strings.TrimSpace(string(out)), filepath.FromSlash(schemaFile))
	src, err := os.ReadFile(name)
	if err != nil {
		return "", fmt.Errorf("read the SARIF schema: %w", err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), name, src, 0)
	if err != nil {
		return "", fmt.Errorf("read the SARIF schema: %w", err)
	}
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.CONST {
			continue
		}
		for _, spec := range gen.Specs {
			vs, ok := spec.(*ast.ValueSpec)
			if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "schema" || len(vs.Values) != 1 {
				continue
			}
			lit, ok := vs.Values[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				continue
			}
			schema, err := strconv.Unquote(lit.Value)
			if err != nil {
				return "", fmt.Errorf("read the SARIF schema: %w", err)
			}
			if !strings.Contains(schema, `"id": "`+schemaID+`"`) {
				return "", fmt.Errorf("%s does not hold the SARIF 2.1.0 schema %s", name, schemaID)
			}
			return schema, nil
		}
	}
	return "", fmt.Errorf("no schema constant in %s", name)
}
