package copies

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"
)

// An Origin is the syntax that declares a copy.
type Origin struct {
	Name *ast.Ident // the variable where it is declared
	// Decl is the *ast.Field of a receiver or parameter, the *ast.RangeStmt
	// of a range value, or the *ast.AssignStmt or *ast.ValueSpec that
	// declares the variable.
	Decl  ast.Node
	Range *ast.RangeStmt // set for a range value
	// From is the copied expression: m[k], s[i], *p, v.(T); for a range
	// value, the ranged expression. It is nil for receivers and parameters.
	From ast.Expr
	// Load is the m.Load(k), m.LoadOrStore(k, v) or m.Range(f) call a
	// SyncMapValue copy's value comes from.
	Load *ast.CallExpr
}

// FindOrigin returns the declaration of the copy in files, or nil when the
// copy has no syntax this package recognises.
func FindOrigin(files []*ast.File, c *Copy) *Origin {
	pos := c.Var.Pos()
	file := FileOf(files, pos)
	if file == nil {
		return nil
	}
	path, _ := astutil.PathEnclosingInterval(file, pos, pos)
	if len(path) < 2 {
		return nil
	}
	id, ok := path[0].(*ast.Ident)
	if !ok || id.Name == "_" {
		return nil
	}
	o := &Origin{Name: id, Decl: path[1]}
	switch d := path[1].(type) {
	case *ast.Field:
		if c.Kind != Receiver && c.Kind != Param {
			return nil
		}
	case *ast.RangeStmt:
		if d.Value != id || d.Tok != token.DEFINE {
			return nil
		}
		o.Range, o.From = d, d.X
	case *ast.AssignStmt:
		if d.Tok != token.DEFINE {
			return nil
		}
		o.From = rhsFor(d.Lhs, d.Rhs, id)
	case *ast.ValueSpec:
		var lhs []ast.Expr
		for _, n := range d.Names {
			lhs = append(lhs, n)
		}
		o.From = rhsFor(lhs, d.Values, id)
	default:
		return nil
	}
	if o.From == nil && c.Kind != Receiver && c.Kind != Param {
		return nil
	}
	if c.Kind == SyncMapValue {
		o.Load = loadCall(files, c.Source)
	}
	return o
}

// loadCall returns the syntax of the sync.Map call whose value v asserts.
func loadCall(files []*ast.File, v ssa.Value) *ast.CallExpr {
	if ext, ok := v.(*ssa.Extract); ok {
		v = ext.Tuple
	}
	ta, ok := v.(*ssa.TypeAssert)
	if !ok {
		return nil
	}
	if call := SyncMapRange(ta.X); call != nil {
		expr, _ := NodeAt[*ast.CallExpr](files, call.Pos())
		return expr
	}
	ext, ok := ta.X.(*ssa.Extract)
	if !ok {
		return nil
	}
	call, ok := ext.Tuple.(*ssa.Call)
	if !ok {
		return nil
	}
	expr, _ := NodeAt[*ast.CallExpr](files, call.Pos())
	return expr
}

func rhsFor(lhs, rhs []ast.Expr, id *ast.Ident) ast.Expr {
	for i, l := range lhs {
		if l != id {
			continue
		}
		switch {
		case len(lhs) == len(rhs):
			return astutil.Unparen(rhs[i])
		case len(rhs) == 1 && i == 0:
			return astutil.Unparen(rhs[0]) // v, ok := m[k]
		}
	}
	return nil
}

// FileOf returns the file among files that contains pos.
func FileOf(files []*ast.File, pos token.Pos) *ast.File {
	if !pos.IsValid() {
		return nil
	}
	for _, f := range files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

// StmtAt returns the innermost statement of files that contains pos.
func StmtAt(files []*ast.File, pos token.Pos) ast.Stmt {
	file := FileOf(files, pos)
	if file == nil {
		return nil
	}
	path, _ := astutil.PathEnclosingInterval(file, pos, pos)
	for _, n := range path {
		if s, ok := n.(ast.Stmt); ok {
			return s
		}
	}
	return nil
}

// NodeAt returns the innermost node of type T in files that contains pos.
func NodeAt[T ast.Node](files []*ast.File, pos token.Pos) (T, bool) {
	var zero T
	file := FileOf(files, pos)
	if file == nil {
		return zero, false
	}
	path, _ := astutil.PathEnclosingInterval(file, pos, pos)
	for _, n := range path {
		if t, ok := n.(T); ok {
			return t, true
		}
	}
	return zero, false
}

// maxShown is the length past which Short abbreviates an expression.
const maxShown = 40

// Short renders an expression for a one-line message, abbreviating long
// calls and literals: make(...), Config{...}.
func Short(e ast.Expr) string {
	s := types.ExprString(e)
	if len(s) <= maxShown {
		return s
	}
	switch e := astutil.Unparen(e).(type) {
	case *ast.CallExpr:
		if fun := types.ExprString(e.Fun); len(fun) <= maxShown {
			return fun + "(...)"
		}
	case *ast.CompositeLit:
		if e.Type != nil {
			if t := types.ExprString(e.Type); len(t) <= maxShown {
				return t + "{...}"
			}
		}
	}
	return "..."
}

// Statement renders a simple statement for a message: "v.Hits++",
// "c.Tags = make(...)", "acc.Credit(n)".
func Statement(s ast.Stmt) string {
	switch s := s.(type) {
	case *ast.IncDecStmt:
		return Short(s.X) + s.Tok.String()
	case *ast.AssignStmt:
		return list(s.Lhs) + " " + s.Tok.String() + " " + list(s.Rhs)
	case *ast.ExprStmt:
		return Short(s.X)
	case *ast.DeferStmt:
		return "defer " + Short(s.Call)
	case *ast.GoStmt:
		return "go " + Short(s.Call)
	}
	return ""
}

func list(es []ast.Expr) string {
	var parts []string
	for _, e := range es {
		parts = append(parts, Short(e))
	}
	return strings.Join(parts, ", ")
}
