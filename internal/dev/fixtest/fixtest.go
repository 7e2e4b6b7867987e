// Package fixtest checks, for the tests of mapguard's checks, that code
// rewritten by suggested fixes still compiles: analysistest compares the
// fixed text with .golden files, but not whether that text type-checks.
package fixtest

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"testing"
)

// GoldenCompiles type-checks the package in dir with each file replaced by
// its .golden version where it has one. The package may import only the
// standard library.
func GoldenCompiles(t *testing.T, dir string) {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	goldens := 0
	for _, name := range names {
		if _, err := os.Stat(name + ".golden"); err == nil {
			name += ".golden"
			goldens++
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if goldens == 0 {
		t.Fatalf("no .golden files in %s", dir)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	if _, err := conf.Check(filepath.Base(dir), fset, files, nil); err != nil {
		t.Errorf("fixed code does not compile: %v", err)
	}
}
