// Package fixtest checks, for the tests of mapguard's checks, the code
// their suggested fixes write: that it is the text of the .golden files
// (analysistest) and that it still compiles, which analysistest does not
// look at.
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

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// Run applies the fixes a suggests on package pkg of the test's testdata
// (testdata/src/pkg), compares the result with the .golden files, and
// type-checks the package as fixed: a fix must leave the expected code, and
// code that builds.
func Run(t *testing.T, a *analysis.Analyzer, pkg string) {
	t.Helper()
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), a, pkg)
	goldenCompiles(t, filepath.Join(analysistest.TestData(), "src", pkg))
}

// goldenCompiles type-checks the package in dir with each file replaced by
// its .golden version where it has one. The package may import only the
// standard library.
func goldenCompiles(t *testing.T, dir string) {
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
