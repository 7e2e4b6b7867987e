package copies

import (
	"go/ast"
	"go/token"
	"go/types"
)

// Candidates returns, from the syntax alone, the variables of the files that
// may turn out to be copies: struct-typed parameters and receivers, range
// values, and variables declared from an index, a type assertion, a
// dereference, a field or another variable. Every copy Find returns and
// FindOrigin can name is among them; checks use the set to skip, before any
// SSA is built, packages that cannot hold a finding.
func Candidates(info *types.Info, files []*ast.File) map[types.Object]bool {
	out := make(map[types.Object]bool)
	add := func(id *ast.Ident) {
		if id == nil || id.Name == "_" {
			return
		}
		if obj := info.Defs[id]; obj != nil && isStruct(obj.Type()) {
			out[obj] = true
		}
	}
	addFrom := func(lhs []*ast.Ident, rhs []ast.Expr) {
		for i, id := range lhs {
			var from ast.Expr
			switch {
			case len(lhs) == len(rhs):
				from = rhs[i]
			case len(rhs) == 1 && i == 0:
				from = rhs[0] // v, ok := m[k] or x.(T)
			}
			if from != nil && copiesSomething(from) {
				add(id)
			}
		}
	}
	fields := func(fl *ast.FieldList) {
		if fl == nil {
			return
		}
		for _, f := range fl.List {
			for _, id := range f.Names {
				add(id)
			}
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				fields(n.Recv)
				fields(n.Type.Params)
			case *ast.FuncLit:
				fields(n.Type.Params)
			case *ast.RangeStmt:
				if id, ok := n.Value.(*ast.Ident); ok && n.Tok == token.DEFINE {
					add(id)
				}
			case *ast.AssignStmt:
				if n.Tok == token.DEFINE {
					var lhs []*ast.Ident
					for _, l := range n.Lhs {
						id, _ := l.(*ast.Ident)
						lhs = append(lhs, id)
					}
					addFrom(lhs, n.Rhs)
				}
			case *ast.ValueSpec:
				addFrom(n.Names, n.Values)
			}
			return true
		})
	}
	return out
}

// copiesSomething reports whether evaluating e reads a struct that lives
// elsewhere, rather than making a new one (a composite literal, a call).
func copiesSomething(e ast.Expr) bool {
	switch ast.Unparen(e).(type) {
	case *ast.IndexExpr, *ast.TypeAssertExpr, *ast.StarExpr, *ast.SelectorExpr, *ast.Ident:
		return true
	}
	return false
}

func isStruct(t types.Type) bool {
	_, ok := t.Underlying().(*types.Struct)
	return ok
}

// RootIdent returns the variable an expression such as t.f, t.a.b or
// t.arr[i] selects from, or nil.
func RootIdent(e ast.Expr) *ast.Ident {
	for range maxPath {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.Ident:
			return x
		default:
			return nil
		}
	}
	return nil
}
