package copies

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
)

// indexNames are the names tried, in order, for an index variable that a
// range statement lacks.
var indexNames = []string{"i", "j", "k", "idx", "n"}

// IndexRewrite returns the edits that make a range loop work on the elements
// themselves instead of a copy of each:
//
//	for _, t := range tasks { t.Done = true }
//
// becomes
//
//	for i := range tasks { tasks[i].Done = true }
//
// It declines (ok is false) unless that is all the value variable is used
// for: every use selects a field or a method, outside any function literal;
// the ranged expression is a variable or a chain of field selections that
// the body does not assign; it ranges over a slice, an array or a pointer to
// an array; and an index name is free.
func IndexRewrite(info *types.Info, rng *ast.RangeStmt) (edits []analysis.TextEdit, ok bool) {
	value, _ := rng.Value.(*ast.Ident)
	if value == nil || rng.Tok != token.DEFINE || !indexable(info.TypeOf(rng.X)) {
		return nil, false
	}
	root := stableRoot(rng.X)
	if root == nil {
		return nil, false
	}
	valueObj := info.Defs[value]
	rootObj := info.Uses[root]
	if valueObj == nil || rootObj == nil {
		return nil, false
	}
	var keyObj types.Object
	key, _ := rng.Key.(*ast.Ident)
	if key != nil && key.Name != "_" {
		keyObj = info.Defs[key]
		if keyObj == nil {
			return nil, false
		}
	}

	usesOK := true
	var uses []*ast.Ident
	assigned := map[types.Object]bool{}
	names := map[string]bool{}
	var stack []ast.Node
	ast.Inspect(rng.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		parent := ast.Node(nil)
		if len(stack) > 0 {
			parent = stack[len(stack)-1]
		}
		stack = append(stack, n)
		switch n := n.(type) {
		case *ast.Ident:
			names[n.Name] = true
			if info.Uses[n] != valueObj {
				break
			}
			sel, isSel := parent.(*ast.SelectorExpr)
			if !isSel || sel.X != n || insideFuncLit(stack) {
				usesOK = false
			}
			uses = append(uses, n)
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if id := rootIdent(l); id != nil {
					assigned[info.ObjectOf(id)] = true
				}
			}
		case *ast.IncDecStmt:
			if id := rootIdent(n.X); id != nil {
				assigned[info.ObjectOf(id)] = true
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				if id := rootIdent(n.X); id != nil && info.ObjectOf(id) == rootObj {
					usesOK = false // &tasks... may alias the elements
				}
			}
		}
		return true
	})
	if !usesOK || len(uses) == 0 || assigned[rootObj] || (keyObj != nil && assigned[keyObj]) {
		return nil, false
	}

	index := ""
	if keyObj != nil {
		index = key.Name
	} else {
		scope := info.Scopes[rng]
		for _, name := range indexNames {
			if names[name] || name == value.Name {
				continue
			}
			if scope != nil {
				if _, obj := scope.LookupParent(name, rng.Pos()); obj != nil {
					continue
				}
			}
			index = name
			break
		}
		if index == "" {
			return nil, false
		}
	}

	x := types.ExprString(rng.X)
	if _, isStar := astutil.Unparen(rng.X).(*ast.StarExpr); isStar {
		x = "(" + x + ")"
	}
	headStart := rng.Value.Pos()
	if rng.Key != nil {
		headStart = rng.Key.Pos()
	}
	edits = append(edits, analysis.TextEdit{Pos: headStart, End: rng.Value.End(), NewText: []byte(index)})
	for _, u := range uses {
		edits = append(edits, analysis.TextEdit{Pos: u.Pos(), End: u.End(), NewText: []byte(x + "[" + index + "]")})
	}
	return edits, true
}

func indexable(t types.Type) bool {
	if t == nil {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Slice, *types.Array:
		return true
	case *types.Pointer:
		_, ok := u.Elem().Underlying().(*types.Array)
		return ok
	}
	return false
}

// stableRoot returns the variable at the root of e when e is a variable, a
// dereferenced variable or a chain of selections from one: evaluating it
// again has no side effects.
func stableRoot(e ast.Expr) *ast.Ident {
	for range maxPath {
		switch x := astutil.Unparen(e).(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return nil
		}
	}
	return nil
}

// rootIdent returns the variable an assignable expression is rooted at.
func rootIdent(e ast.Expr) *ast.Ident {
	for range maxPath {
		switch x := astutil.Unparen(e).(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return nil
		}
	}
	return nil
}

func insideFuncLit(stack []ast.Node) bool {
	for _, n := range stack {
		if _, ok := n.(*ast.FuncLit); ok {
			return true
		}
	}
	return false
}
