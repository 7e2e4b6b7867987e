package lazyssa_test

import (
	"bytes"
	"fmt"
	"go/ast"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/lazyssa"
)

// TestPartialMatchesWhole checks that a function built by Partial, with the
// other functions of its package left without bodies, is the function the
// whole-package build makes: same instructions, same function literals.
func TestPartialMatchesWhole(t *testing.T) {
	compared := 0
	compare := &analysis.Analyzer{
		Name:     "compare",
		Doc:      "compare: Partial against Get",
		Requires: []*analysis.Analyzer{lazyssa.Analyzer},
		Run: func(pass *analysis.Pass) (any, error) {
			s := pass.ResultOf[lazyssa.Analyzer].(*lazyssa.SSA)
			n := 0
			keep := func(fd *ast.FuncDecl) bool { return fd.Name.Pos()%3 == 0 } // an arbitrary third
			var keptNames []string
			partial := s.Partial(keep)
			_, all := s.Get()
			for _, fn := range all {
				top := fn
				for top.Parent() != nil {
					top = top.Parent()
				}
				if fd, ok := top.Syntax().(*ast.FuncDecl); ok && keep(fd) {
					keptNames = append(keptNames, fn.String())
				}
			}
			if len(partial) != len(keptNames) {
				return nil, fmt.Errorf("%s: Partial built %d functions, the whole build has %d kept ones", pass.Pkg.Path(), len(partial), len(keptNames))
			}
			for i, fn := range partial {
				whole := all[indexOf(all, keptNames[i])]
				if a, b := dump(fn), dump(whole); a != b {
					return nil, fmt.Errorf("%s: %s differs:\npartial:\n%s\nwhole:\n%s", pass.Pkg.Path(), fn, a, b)
				}
				n++
			}
			compared += n
			// Once the whole package is built, Partial reuses it.
			if again := s.Partial(keep); len(again) != len(partial) || again[0] != all[indexOf(all, keptNames[0])] {
				return nil, fmt.Errorf("%s: Partial after Get did not reuse the whole build", pass.Pkg.Path())
			}
			return nil, nil
		},
	}
	cfg := &packages.Config{Mode: packages.LoadAllSyntax}
	pkgs, err := packages.Load(cfg, "encoding/json", "text/template/parse", "net/url", "slices")
	if err != nil {
		t.Fatal(err)
	}
	// A module at go 1.21 shares loop variables between iterations; go/ssa
	// learns that from the file's Go version, which Partial must carry over
	// to its copies of the files.
	old := t.TempDir()
	writeFile(t, filepath.Join(old, "go.mod"), "module example.com/old\n\ngo 1.21\n")
	writeFile(t, filepath.Join(old, "old.go"), oldLoops)
	oldPkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax, Dir: old}, ".")
	if err != nil {
		t.Fatal(err)
	}
	pkgs = append(pkgs, oldPkgs...)
	graph, err := checker.Analyze([]*analysis.Analyzer{compare}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	for act := range graph.All() {
		if act.Err != nil {
			t.Error(act.Err)
		}
	}
	if compared < 100 {
		t.Errorf("only %d functions compared", compared)
	}
}

const oldLoops = `package old

func f0() []func() int {
	var fs []func() int
	for i := 0; i < 3; i++ {
		fs = append(fs, func() int { return i })
	}
	return fs
}

func f1() {}

func f2() []func() int {
	var fs []func() int
	for i := 0; i < 3; i++ {
		fs = append(fs, func() int { return i })
	}
	return fs
}

func f3() {}

func f4() []func() int {
	var fs []func() int
	for i := 0; i < 3; i++ {
		fs = append(fs, func() int { return i })
	}
	return fs
}
`

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func indexOf(funcs []*ssa.Function, name string) int {
	for i, fn := range funcs {
		if fn.String() == name {
			return i
		}
	}
	return -1
}

func dump(fn *ssa.Function) string {
	var b bytes.Buffer
	ssa.WriteFunction(&b, fn)
	return b.String()
}
