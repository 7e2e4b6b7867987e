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

// Calls finds the call expression of an SSA call from its position, the
// call's opening parenthesis. The files are indexed on first use: for most
// checks, the first finding.
type Calls struct {
	files []*ast.File
	at    map[token.Pos]*ast.CallExpr
}

// NewCalls returns the Calls of files; nothing is indexed yet.
func NewCalls(files []*ast.File) *Calls { return &Calls{files: files} }

// At returns the call expression whose opening parenthesis is at pos, or nil.
func (c *Calls) At(pos token.Pos) *ast.CallExpr {
	if c.at == nil {
		c.at = NodesAt(c.files, func(n *ast.CallExpr) token.Pos { return n.Lparen })
	}
	return c.at[pos]
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
