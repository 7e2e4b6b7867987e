// Package code holds the small questions about types, calls and SSA values
// that several mapguard checks ask.
package code

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// IsNamed reports whether t (after removing aliases, not pointers) is the
// named type pkg.name, instantiated or not.
func IsNamed(t types.Type, pkg, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := n.Origin().Obj()
	return obj.Name() == name && obj.Pkg() != nil && obj.Pkg().Path() == pkg
}

// IsSyncMap reports whether t is sync.Map or *sync.Map.
func IsSyncMap(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	return IsNamed(t, "sync", "Map")
}

// Callee returns the function a call statically calls, normalised to the
// generic origin for instantiations, or nil for dynamic calls.
func Callee(c *ssa.CallCommon) *ssa.Function {
	fn := c.StaticCallee()
	if fn == nil {
		return nil
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	return fn
}

// FuncName returns the full name of the function a call statically calls, as
// types.Func.FullName spells it ("encoding/json.Marshal",
// "(*container/list.List).Remove"), or "" for dynamic calls and closures.
func FuncName(c *ssa.CallCommon) string {
	fn := Callee(c)
	if fn == nil {
		return ""
	}
	if obj, ok := fn.Object().(*types.Func); ok {
		return obj.FullName()
	}
	return ""
}

// Referrers returns the instructions that use v; none for a value that
// does not track them (a constant, a function, a global).
func Referrers(v ssa.Value) []ssa.Instruction {
	if rs := v.Referrers(); rs != nil {
		return *rs
	}
	return nil
}

// Index returns the index of instr in its block, or -1 when it has none.
func Index(instr ssa.Instruction) int {
	if instr.Block() == nil {
		return -1
	}
	for i, x := range instr.Block().Instrs {
		if x == instr {
			return i
		}
	}
	return -1
}

// Precedes reports whether instruction a is certain to execute before b
// whenever b executes: both are in the same function and a's block
// dominates b's (earlier in the same block).
func Precedes(a, b ssa.Instruction) bool {
	ab, bb := a.Block(), b.Block()
	if ab == nil || bb == nil || ab.Parent() != bb.Parent() {
		return false
	}
	if ab != bb {
		return ab.Dominates(bb)
	}
	for _, instr := range ab.Instrs {
		switch instr {
		case a:
			return true
		case b:
			return false
		}
	}
	return false
}

// CallExprs indexes the call expressions of files by the position of their
// opening parenthesis, the position go/ssa gives a call.
func CallExprs(files []*ast.File) map[token.Pos]*ast.CallExpr {
	calls := make(map[token.Pos]*ast.CallExpr)
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				calls[call.Lparen] = call
			}
			return true
		})
	}
	return calls
}

// Imports reports whether pkg imports any of the given paths directly.
func Imports(pkg *types.Package, paths ...string) bool {
	for _, imp := range pkg.Imports() {
		for _, p := range paths {
			if imp.Path() == p {
				return true
			}
		}
	}
	return false
}

// TypeString renders t as messages show it: types of other packages with
// their package name only, types of pkg unqualified (see Qualifier).
func TypeString(t types.Type, pkg *types.Package) string {
	return types.TypeString(t, Qualifier(pkg))
}

// Qualifier renders types of other packages with their package name only
// ("sync.Map", "list.List"), and types of pkg unqualified.
func Qualifier(pkg *types.Package) types.Qualifier {
	return func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		return p.Name()
	}
}
