package code_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

const funcsSrc = `package p

func Two(x int) int {
	if x > 0 {
		return 1
	}
	return 2
}
`

func TestReturnsAndIndex(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", funcsSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := ssautil.BuildPackage(&types.Config{Importer: importer.Default()}, fset, types.NewPackage("p", "p"), []*ast.File{f}, 0)
	if err != nil {
		t.Fatal(err)
	}
	fn := pkg.Func("Two")
	rets := code.Returns(fn)
	if len(rets) != 2 {
		t.Fatalf("Returns(Two) = %v, want two returns", rets)
	}
	for _, r := range rets {
		b := r.Block()
		if got := code.Index(r); got != len(b.Instrs)-1 {
			t.Errorf("Index(%v) = %d, want %d (the last of its block)", r, got, len(b.Instrs)-1)
		}
	}
	if got := code.Index(&ssa.Return{}); got != -1 {
		t.Errorf("Index of an instruction in no block = %d", got)
	}
}

func TestCallsAt(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", "package p\n\nfunc f() { g(h()) }\n", 0)
	if err != nil {
		t.Fatal(err)
	}
	calls := code.NewCalls([]*ast.File{f})
	var outer *ast.CallExpr
	ast.Inspect(f, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && outer == nil {
			outer = c
		}
		return true
	})
	if got := calls.At(outer.Lparen); got != outer {
		t.Errorf("At(the Lparen of g(...)) = %v", got)
	}
	if got := calls.At(outer.Pos()); got != nil {
		t.Errorf("At(a position that is no call's Lparen) = %v", got)
	}
}
