package budget_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"

	"github.com/mapguard/mapguard/internal/analysis/budget"
)

// threeFuncs builds a package of three functions, and a pass for it.
func threeFuncs(t *testing.T) (*analysis.Pass, []*ssa.Function) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", "package p\n\nfunc A() {}\n\nfunc B() {}\n\nfunc C() {}\n", 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg := types.NewPackage("p", "p")
	ssaPkg, _, err := ssautil.BuildPackage(&types.Config{Importer: importer.Default()}, fset, pkg, []*ast.File{f}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var funcs []*ssa.Function
	for _, name := range []string{"A", "B", "C"} {
		funcs = append(funcs, ssaPkg.Func(name))
	}
	pass := &analysis.Pass{Analyzer: &analysis.Analyzer{Name: "test"}, Fset: fset, Pkg: pkg}
	return pass, funcs
}

// TestFuncsYieldsEachFunctionWithItsBudget: without limits, every function
// comes in order with a budget of its own, and breaking out stops the
// iteration.
func TestFuncsYieldsEachFunctionWithItsBudget(t *testing.T) {
	pass, funcs := threeFuncs(t)
	skips := withLimits(t, 0, 0, func() {
		var got []string
		seen := make(map[*budget.Func]bool)
		for fn, u := range budget.Funcs(pass, funcs) {
			if u == nil || seen[u] || u.Exceeded() {
				t.Errorf("%s: budget %p, shared %v", fn.Name(), u, seen[u])
			}
			seen[u] = true
			got = append(got, fn.Name())
		}
		if len(got) != 3 || got[0] != "A" || got[1] != "B" || got[2] != "C" {
			t.Errorf("yielded %v, want [A B C]", got)
		}
		n := 0
		for range budget.Funcs(pass, funcs) {
			n++
			break
		}
		if n != 1 {
			t.Errorf("the loop went on %d times after a break", n)
		}
	})
	if len(skips) != 0 {
		t.Errorf("skips without limits: %v", skips)
	}
}

// TestFuncsStopsWhenThePackageBudgetIsSpent: with a package budget spent
// before the first function, nothing is yielded and the skip of the package
// is reported once.
func TestFuncsStopsWhenThePackageBudgetIsSpent(t *testing.T) {
	pass, funcs := threeFuncs(t)
	skips := withLimits(t, 0, time.Nanosecond, func() {
		time.Sleep(time.Millisecond)
		for fn := range budget.Funcs(pass, funcs) {
			t.Errorf("%s was yielded after the package budget was spent", fn.Name())
		}
	})
	if len(skips) != 1 || skips[0].Func != "" || skips[0].Check != "test" || skips[0].Package != "p" {
		t.Errorf("want one skip of package p, got %+v", skips)
	}
}

// TestFuncsGivesEachFunctionItsOwnLimit: with a function budget spent at
// once, each function is still yielded, its budget says so, and the skip
// names it.
func TestFuncsGivesEachFunctionItsOwnLimit(t *testing.T) {
	pass, funcs := threeFuncs(t)
	skips := withLimits(t, time.Nanosecond, 0, func() {
		for _, u := range budget.Funcs(pass, funcs) {
			time.Sleep(time.Millisecond)
			if !u.Exceeded() {
				t.Error("a function budget of 1ns was not exceeded")
			}
		}
	})
	if len(skips) != 3 || skips[0].Func != "p.A" || skips[2].Func != "p.C" || skips[1].Pos.Line != 5 {
		t.Errorf("want skips of p.A, p.B (line 5) and p.C, got %+v", skips)
	}
}
