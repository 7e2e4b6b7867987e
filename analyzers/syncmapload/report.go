package syncmapload

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/report"
)

func (c *checker) report(fn *ssa.Function, ta *ssa.TypeAssert, s *source) {
	if c.asserts == nil {
		c.asserts = code.NodesAt(c.pass.Files, func(n *ast.TypeAssertExpr) token.Pos { return n.Lparen })
		c.returns = code.NodesAt(c.pass.Files, func(n *ast.ReturnStmt) token.Pos { return n.Return })
	}
	expr := c.asserts[ta.Pos()]
	if expr == nil {
		return
	}
	what := c.describe(s)
	okName := lookups[s.lookup.Method]
	d := analysis.Diagnostic{
		Pos: expr.Pos(),
		End: expr.End(),
		Message: fmt.Sprintf("type assertion to %s panics when the key is missing: %s returns nil then, and its %s result is not checked first",
			code.TypeString(ta.AssertedType, c.pass.Pkg), what, okName),
	}
	if call := c.calls.At(s.call.Pos()); call != nil {
		d.Related = append(d.Related, report.Related(call, "%s is called here", what))
	}
	if fix := c.fix(fn, ta, s, expr); fix != nil {
		d.SuggestedFixes = append(d.SuggestedFixes, *fix)
	}
	report.Report(c.pass, d)
}

// describe names the call of s for messages: "Load", "Cache.Get (a wrapper
// of Load)".
func (c *checker) describe(s *source) string {
	if m := code.SyncMapMethod(s.call.Common()); m != "" {
		return m
	}
	return calleeName(s.call.Common()) + " (a wrapper of " + s.lookup.Method + ")"
}

// fix returns the fix for an assertion returned next to its lookup's ok
// result (return v.(T), ok): returning the zero value and false when the key
// is missing is what the function's results promise, and the assertion
// keeps panicking on a value of another type, as before.
func (c *checker) fix(fn *ssa.Function, ta *ssa.TypeAssert, s *source, expr *ast.TypeAssertExpr) *analysis.SuggestedFix {
	if s.ok == nil {
		return nil
	}
	var ret *ssa.Return
	for _, r := range code.Referrers(ta) {
		if r, ok := r.(*ssa.Return); ok {
			ret = r
		}
	}
	if ret == nil {
		return nil
	}
	vi, oki := -1, -1
	for i, r := range ret.Results {
		switch r {
		case ta:
			vi = i
		case s.ok:
			oki = i
		}
	}
	stmt := c.returns[ret.Pos()]
	if vi < 0 || oki < 0 || stmt == nil || len(stmt.Results) != len(ret.Results) || ast.Unparen(stmt.Results[vi]) != expr {
		return nil
	}
	okIdent, isIdent := ast.Unparen(stmt.Results[oki]).(*ast.Ident)
	if !isIdent {
		return nil
	}
	resultTypes := resultTypeExprs(fn)
	if len(resultTypes) != len(ret.Results) || !c.universal(stmt.Pos(), "false", "nil", "new") {
		return nil
	}
	zero, ok := zeroValue(fn.Signature.Results().At(vi).Type(), resultTypes[vi])
	if !ok {
		return nil
	}
	parts := make([]string, len(stmt.Results))
	for i, r := range stmt.Results {
		switch {
		case i == vi:
			parts[i] = zero
		case i == oki:
			parts[i] = "false"
		case isPlain(r):
			parts[i] = types.ExprString(r)
		default:
			return nil // copying it would evaluate it a second time
		}
	}
	indent := c.indentOf(stmt.Pos())
	text := fmt.Sprintf("if !%s {\n%s\treturn %s\n%s}\n%s", okIdent.Name, indent, strings.Join(parts, ", "), indent, indent)
	return &analysis.SuggestedFix{
		Message:   fmt.Sprintf("return the zero value and false when %s is false", okIdent.Name),
		TextEdits: []analysis.TextEdit{{Pos: stmt.Pos(), End: stmt.Pos(), NewText: []byte(text)}},
	}
}

// universal reports whether the names mean their predeclared objects at pos.
func (c *checker) universal(pos token.Pos, names ...string) bool {
	scope := c.pass.Pkg.Scope().Innermost(pos)
	if scope == nil {
		return false
	}
	for _, name := range names {
		if _, obj := scope.LookupParent(name, pos); obj != types.Universe.Lookup(name) {
			return false
		}
	}
	return true
}

// indentOf returns the white space that starts the line of pos.
func (c *checker) indentOf(pos token.Pos) string {
	tf := c.pass.Fset.File(pos)
	if tf == nil || c.pass.ReadFile == nil {
		return ""
	}
	content, err := c.pass.ReadFile(tf.Name())
	if err != nil {
		return ""
	}
	start := tf.Offset(tf.LineStart(tf.Line(pos)))
	end := start
	for end < len(content) && (content[end] == '\t' || content[end] == ' ') {
		end++
	}
	return string(content[start:end])
}

// resultTypeExprs returns the type expressions of fn's results, one per
// result, from its syntax.
func resultTypeExprs(fn *ssa.Function) []ast.Expr {
	var ft *ast.FuncType
	switch syn := fn.Syntax().(type) {
	case *ast.FuncDecl:
		ft = syn.Type
	case *ast.FuncLit:
		ft = syn.Type
	}
	if ft == nil || ft.Results == nil {
		return nil
	}
	var out []ast.Expr
	for _, f := range ft.Results.List {
		n := max(len(f.Names), 1)
		for range n {
			out = append(out, f.Type)
		}
	}
	return out
}

// zeroValue returns the source text of the zero value of t, whose type
// expression is texpr.
func zeroValue(t types.Type, texpr ast.Expr) (string, bool) {
	if _, ok := types.Unalias(t).(*types.TypeParam); ok {
		return "*new(" + types.ExprString(texpr) + ")", true
	}
	switch u := t.Underlying().(type) {
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		return "nil", true
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return "false", true
		case u.Info()&types.IsString != 0:
			return `""`, true
		case u.Info()&types.IsNumeric != 0:
			return "0", true
		case u.Kind() == types.UnsafePointer:
			return "nil", true
		}
	case *types.Struct, *types.Array:
		return types.ExprString(texpr) + "{}", true
	}
	return "", false
}

// isPlain reports whether evaluating e twice is the same as once: a name or
// a literal.
func isPlain(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident, *ast.BasicLit:
		return true
	case *ast.SelectorExpr:
		_, isIdent := e.X.(*ast.Ident)
		return isIdent
	}
	return false
}
