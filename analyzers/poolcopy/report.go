package poolcopy

import (
	"fmt"
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/fieldpath"
	"github.com/mapguard/mapguard/internal/analysis/report"
)

// report reports a variable of type t, given its value by the
// statement st, copied as cp, on which the method call first acts.
func (c *checker) report(t types.Type, cp copy, st *site, first *use, uses []use, single bool) {
	var methods []string
	seen := make(map[string]bool)
	for _, u := range uses {
		if u.write && u.kind == first.kind && slices.Equal(u.path, first.path) && !seen[u.name] {
			seen[u.name] = true
			methods = append(methods, u.name)
		}
	}
	what := "the stored " + code.TypeString(t, c.pass.Pkg)
	if len(first.path) > 0 {
		what += fmt.Sprintf(" and the %s in its %s", code.TypeString(first.recv, c.pass.Pkg), pathString(t, first.path))
	}
	node, stmt := c.where(st, cp)
	d := analysis.Diagnostic{
		Pos:     node.Pos(),
		End:     node.End(),
		Message: fmt.Sprintf("%s copies %s: %s; %s", stmt, what, first.kind.effect(methods), c.remedy(t, cp, st)),
	}
	d.Related = append(d.Related, c.useRelated(first))
	if cp.origin == fromCall {
		if s := c.summaries[cp.callee]; s != nil && s.copies[cp.result].IsValid() {
			d.Related = append(d.Related, report.RelatedAt(s.copies[cp.result], "%s copies the stored value here", code.ShortName(cp.callee)))
		}
	}
	if fix, ok := c.fix(cp, st, single); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	report.Report(c.pass, d)
}

// where returns the node to report and the statement that copies, as the
// message renders it.
func (c *checker) where(st *site, cp copy) (ast.Node, string) {
	switch s := st.stmt.(type) {
	case *ast.AssignStmt:
		return st.rhs, exprs(s.Lhs) + " " + s.Tok.String() + " " + exprs(s.Rhs)
	case *ast.ValueSpec:
		idents := make([]ast.Expr, len(s.Names))
		for i, id := range s.Names {
			idents[i] = id
		}
		return st.rhs, "var " + exprs(idents) + " = " + exprs(s.Values)
	case *ast.RangeStmt:
		vars := []ast.Expr{s.Key}
		if s.Value != nil {
			vars = append(vars, s.Value)
		}
		return st.lhs, "for " + exprs(vars) + " " + s.Tok.String() + " range " + types.ExprString(s.X)
	case *ast.TypeSwitchStmt:
		guard := "switch " + st.lhs.Name + " := " + types.ExprString(st.rhs) + ".(type)"
		for _, stmt := range s.Body.List {
			clause, ok := stmt.(*ast.CaseClause)
			if ok && clause.Case == cp.at && len(clause.List) == 1 {
				return clause.List[0], "case " + types.ExprString(clause.List[0]) + " of " + guard
			}
		}
		return st.lhs, guard
	}
	return st.lhs, st.lhs.Name
}

// remedy says how to share the stored value instead of copying it.
func (c *checker) remedy(t types.Type, cp copy, st *site) string {
	ptr := "*" + code.TypeString(t, c.pass.Pkg)
	switch cp.origin {
	case fromMap:
		return "store " + ptr + " in the map"
	case fromIface:
		return "store " + ptr + " in the interface"
	case fromCall:
		recv := receiverName(cp.callee)
		switch {
		case cp.callee.TypeParams().Len() == 0 && recv != "":
			return "make " + recv + "." + cp.callee.Name() + " return " + ptr
		case cp.callee.TypeParams().Len() == 0:
			return "make " + cp.callee.Name() + " return " + ptr
		case recv != "":
			return "instantiate " + recv + " with " + ptr
		default:
			return "give " + cp.callee.Name() + " a container of " + ptr
		}
	case fromElement:
		if r, ok := st.stmt.(*ast.RangeStmt); ok {
			return "range over the indices and use &" + types.ExprString(r.X) + "[i]"
		}
		return "use the element's address, &" + types.ExprString(st.rhs)
	case fromField:
		return "use the field's address, &" + types.ExprString(st.rhs)
	default:
		return "use the variable's address, &" + types.ExprString(st.rhs)
	}
}

// fix offers v := &x for v := x when x is addressable (an element, a field
// reached through a pointer, a variable) and v is assigned nowhere else:
// every use of v the check accepted (method calls, field reads and writes)
// reads the same through the pointer.
func (c *checker) fix(cp copy, st *site, single bool) (analysis.SuggestedFix, bool) {
	assign, ok := st.stmt.(*ast.AssignStmt)
	if !ok || !single || !st.define || len(assign.Lhs) != 1 || len(assign.Rhs) != 1 {
		return analysis.SuggestedFix{}, false
	}
	switch cp.origin {
	case fromElement, fromField, fromGlobal:
	default:
		return analysis.SuggestedFix{}, false
	}
	switch st.rhs.(type) {
	case *ast.IndexExpr, *ast.SelectorExpr, *ast.Ident:
	default:
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{
		Message:   "take the address instead of copying",
		TextEdits: []analysis.TextEdit{{Pos: st.rhs.Pos(), End: st.rhs.Pos(), NewText: []byte("&")}},
	}, true
}

func (c *checker) useRelated(u *use) analysis.RelatedInformation {
	pos := u.call.Pos()
	if call, ok := u.call.(*ssa.Call); ok {
		if expr := c.calls.At(call.Pos()); expr != nil {
			return report.Related(expr, "%s acts on the copy", types.ExprString(expr.Fun))
		}
	}
	return report.RelatedAt(pos, "%s acts on the copy", u.name)
}

// receiverName returns the name of the type of fn's receiver, or "".
func receiverName(fn *ssa.Function) string {
	recv := fn.Signature.Recv()
	if recv == nil {
		return ""
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Origin().Obj().Name()
	}
	return ""
}

func exprs(list []ast.Expr) string {
	parts := make([]string, len(list))
	for i, e := range list {
		parts[i] = types.ExprString(e)
	}
	return strings.Join(parts, ", ")
}

// pathString renders the fields and elements from a copied value of type
// root to the lock in it: "field mu", "field slots[i].val", "element [i]".
func pathString(root types.Type, path fieldpath.Path) string {
	var b strings.Builder
	for i, step := range path {
		switch {
		case step == fieldpath.AnyIndex:
			b.WriteString("[i]")
		case i > 0:
			b.WriteString("." + fieldName(root, path[:i+1]))
		default:
			b.WriteString(fieldName(root, path[:i+1]))
		}
	}
	if path[0] == fieldpath.AnyIndex {
		return "element " + b.String()
	}
	return "field " + b.String()
}

// fieldName names the field the last step of p selects in root.
func fieldName(root types.Type, p fieldpath.Path) string {
	if f := fieldpath.Field(root, p); f != nil {
		return f.Name()
	}
	return "?"
}
