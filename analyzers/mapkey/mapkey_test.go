package mapkey_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/mapguard/mapguard/analyzers/mapkey"
)

func TestMapKey(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), mapkey.Analyzer, "a")
}

func TestWrappersAcrossPackages(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), mapkey.Analyzer, "cache", "b")
}

func TestFixByteSliceKeys(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), mapkey.Analyzer, "fix")
}

// TestFixedCodeCompiles type-checks the golden files: a fix must leave code
// that builds.
func TestFixedCodeCompiles(t *testing.T) {
	typeCheckGolden(t, filepath.Join(analysistest.TestData(), "src", "fix"))
}

// typeCheckGolden type-checks the package in dir with each file replaced by
// its .golden version, where it has one.
func typeCheckGolden(t *testing.T, dir string) {
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
