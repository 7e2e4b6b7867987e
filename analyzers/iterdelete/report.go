package iterdelete

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/report"
)

func (c *checker) fileOf(pos token.Pos) *ast.File {
	for _, f := range c.pass.Files {
		if f.FileStart <= pos && pos < f.FileEnd {
			return f
		}
	}
	return nil
}

// enclosing returns the syntax nodes that enclose [start, end), innermost
// first.
func (c *checker) enclosing(start, end token.Pos) []ast.Node {
	f := c.fileOf(start)
	if f == nil {
		return nil
	}
	path, _ := astutil.PathEnclosingInterval(f, start, end)
	return path
}

// text renders e as gofmt would print it.
func (c *checker) text(e ast.Expr) string {
	var b strings.Builder
	if err := format.Node(&b, c.pass.Fset, e); err != nil {
		return types.ExprString(e)
	}
	return b.String()
}

func (c *checker) reportList(l *loop, ev *listEvent, adv *ssa.Call) {
	call := c.calls.At(ev.call.Pos())
	advCall := c.calls.At(adv.Pos())
	if call == nil || advCall == nil {
		return // no syntax to point at
	}
	elem := "e"
	if args := call.Args; ev.direct && len(args) > 0 {
		elem = c.text(args[0])
	} else if sel, ok := astutil.Unparen(advCall.Fun).(*ast.SelectorExpr); ok {
		elem = c.text(sel.X)
	}
	step := "Next"
	if code.FuncName(adv.Common()) == elemPrev {
		step = "Prev"
	}
	advText := elem + "." + step + "()"
	what := c.text(call)
	if !ev.direct {
		if ev.op == "Remove" {
			what += " removes " + elem + " from its list"
		} else {
			what += " moves " + elem + " (" + ev.op + ")"
		}
	}
	d := analysis.Diagnostic{
		Pos:     call.Pos(),
		End:     call.End(),
		Message: what + " inside a loop advancing with " + advText + ": " + consequence(ev.op, step, elem),
		Related: []analysis.RelatedInformation{report.Related(advCall, "the loop advances with %s here", advText)},
	}
	if ev.helper != nil {
		d.Related = append(d.Related, report.RelatedAt(ev.helper.Pos(), "%s %s its element argument", ev.helper.Name(), verb(ev.op)))
	}
	if ev.op == "Remove" {
		if fix := c.listFix(advCall, step); fix != nil {
			d.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
	}
	report.Report(c.pass, d)
}

func verb(op string) string {
	if op == "Remove" {
		return "removes"
	}
	return "moves"
}

// consequence says what the removal or move does to a loop advancing with
// e.Next() or e.Prev() (step).
func consequence(op, step, elem string) string {
	forward := step == "Next"
	switch {
	case op == "Remove":
		return "Remove clears " + elem + "'s links, so the loop stops after the first removal"
	case op == "MoveToBack" && forward:
		return elem + " is then the last element, so " + elem + ".Next() is nil and the loop stops at the first move"
	case op == "MoveToFront" && !forward:
		return elem + " is then the first element, so " + elem + ".Prev() is nil and the loop stops at the first move"
	case op == "MoveToFront":
		return elem + ".Next() then returns the old first element, so the loop starts over and visits elements again"
	case op == "MoveToBack":
		return elem + ".Prev() then returns the old last element, so the loop starts over and visits elements again"
	}
	return elem + "." + step + "() then continues from " + elem + "'s new place, so the loop skips or revisits elements"
}

// listFix rewrites the loop whose post statement is e = e.Next() (advance)
// to save the successor before the body runs:
//
//	for e, next := l.Front(), (*list.Element)(nil); e != nil; e = next {
//		next = e.Next()
//		...
//	}
//
// The successor is saved at the top of every iteration and taken in the post
// statement, so continue statements still advance correctly. Loops of any
// other shape get no fix.
func (c *checker) listFix(advance *ast.CallExpr, step string) *analysis.SuggestedFix {
	path := c.enclosing(advance.Pos(), advance.End())
	if len(path) < 3 {
		return nil
	}
	post, ok := path[1].(*ast.AssignStmt)
	if !ok || post.Tok != token.ASSIGN || len(post.Lhs) != 1 || len(post.Rhs) != 1 || post.Rhs[0] != advance {
		return nil
	}
	loop, ok := path[2].(*ast.ForStmt)
	if !ok || loop.Post != post || loop.Init == nil || len(loop.Body.List) == 0 {
		return nil
	}
	info := c.pass.TypesInfo
	sel, ok := advance.Fun.(*ast.SelectorExpr)
	if !ok || len(advance.Args) != 0 {
		return nil
	}
	recv, ok1 := sel.X.(*ast.Ident)
	lhs, ok2 := post.Lhs[0].(*ast.Ident)
	init, ok3 := loop.Init.(*ast.AssignStmt)
	if !ok1 || !ok2 || !ok3 || init.Tok != token.DEFINE || len(init.Lhs) != 1 || len(init.Rhs) != 1 {
		return nil
	}
	decl, ok := init.Lhs[0].(*ast.Ident)
	if !ok {
		return nil
	}
	obj := info.Defs[decl]
	if obj == nil || info.Uses[recv] != obj || info.Uses[lhs] != obj || assigns(info, loop.Body, obj) {
		return nil
	}
	qual := c.listQualifier(loop)
	if qual == "" {
		return nil
	}
	base := "next"
	if step == "Prev" {
		base = "prev"
	}
	name := freshName(loop, base)
	first := loop.Body.List[0]
	save := name + " = " + recv.Name + "." + step + "()"
	fset := c.pass.Fset
	if fset.Position(first.Pos()).Line == fset.Position(loop.Body.Lbrace).Line {
		save += "; "
	} else {
		indent, ok := c.indent(first.Pos())
		if !ok {
			return nil
		}
		save += "\n" + indent
	}
	return &analysis.SuggestedFix{
		Message: "save " + recv.Name + "." + step + "() before the body runs and advance to it",
		TextEdits: []analysis.TextEdit{
			{Pos: decl.End(), End: decl.End(), NewText: []byte(", " + name)},
			{Pos: init.Rhs[0].End(), End: init.Rhs[0].End(), NewText: []byte(", (*" + qual + ".Element)(nil)")},
			{Pos: first.Pos(), End: first.Pos(), NewText: []byte(save)},
			{Pos: advance.Pos(), End: advance.End(), NewText: []byte(name)},
		},
	}
}

// listQualifier returns the name under which the file holding loop imports
// container/list, provided that name still means the package inside the
// loop; otherwise "".
func (c *checker) listQualifier(loop ast.Node) string {
	f := c.fileOf(loop.Pos())
	if f == nil {
		return ""
	}
	for _, imp := range f.Imports {
		if p, err := strconv.Unquote(imp.Path.Value); err != nil || p != "container/list" {
			continue
		}
		name := "list"
		if imp.Name != nil {
			name = imp.Name.Name
		}
		if name == "_" || name == "." {
			return ""
		}
		scope := c.pass.Pkg.Scope().Innermost(loop.Pos())
		if scope == nil {
			return ""
		}
		if _, obj := scope.LookupParent(name, loop.Pos()); obj != nil {
			if pn, ok := obj.(*types.PkgName); ok && pn.Imported().Path() == "container/list" {
				return name
			}
		}
		return ""
	}
	return ""
}

// assigns reports whether body assigns to obj or takes its address.
func assigns(info *types.Info, body ast.Node, obj types.Object) bool {
	is := func(e ast.Expr) bool {
		id, ok := astutil.Unparen(e).(*ast.Ident)
		return ok && (info.Uses[id] == obj || info.Defs[id] == obj)
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			for _, lhs := range x.Lhs {
				found = found || is(lhs)
			}
		case *ast.IncDecStmt:
			found = found || is(x.X)
		case *ast.UnaryExpr:
			found = found || x.Op == token.AND && is(x.X)
		case *ast.RangeStmt:
			found = found || x.Tok == token.ASSIGN && (x.Key != nil && is(x.Key) || x.Value != nil && is(x.Value))
		}
		return !found
	})
	return found
}

// freshName returns base, or base with a number, whichever no identifier
// inside n spells.
func freshName(n ast.Node, base string) string {
	used := make(map[string]bool)
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			used[id.Name] = true
		}
		return true
	})
	name := base
	for i := 2; used[name]; i++ {
		name = base + strconv.Itoa(i)
	}
	return name
}

// lineEnd returns the end of the line on which a statement ends at pos,
// provided nothing but a line comment follows the statement there.
func (c *checker) lineEnd(pos token.Pos) (token.Pos, bool) {
	tf := c.pass.Fset.File(pos)
	if tf == nil || c.pass.ReadFile == nil {
		return token.NoPos, false
	}
	src, err := c.pass.ReadFile(tf.Name())
	if err != nil {
		return token.NoPos, false
	}
	off := tf.Offset(pos)
	if off > len(src) {
		return token.NoPos, false
	}
	rest := src[off:]
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	trimmed := bytes.TrimSpace(rest)
	if len(trimmed) != 0 && !bytes.HasPrefix(trimmed, []byte("//")) {
		return token.NoPos, false
	}
	return pos + token.Pos(len(bytes.TrimRight(rest, "\r"))), true
}

// indent returns the white space that starts the line of pos, if pos is the
// first thing on its line.
func (c *checker) indent(pos token.Pos) (string, bool) {
	tf := c.pass.Fset.File(pos)
	if tf == nil || c.pass.ReadFile == nil {
		return "", false
	}
	src, err := c.pass.ReadFile(tf.Name())
	if err != nil {
		return "", false
	}
	off := tf.Offset(pos)
	start := tf.Offset(tf.LineStart(tf.Line(pos)))
	if start > off || off > len(src) {
		return "", false
	}
	ws := src[start:off]
	if len(bytes.TrimLeft(ws, " \t")) != 0 {
		return "", false
	}
	return string(ws), true
}

func (c *checker) reportMap(rng *ssa.Range, u *ssa.MapUpdate) {
	var index *ast.IndexExpr
	for _, n := range c.enclosing(u.Pos(), u.Pos()) {
		if ix, ok := n.(*ast.IndexExpr); ok && ix.Lbrack == u.Pos() {
			index = ix
			break
		}
	}
	var loop *ast.RangeStmt
	for _, n := range c.enclosing(rng.Pos(), rng.Pos()) {
		if r, ok := n.(*ast.RangeStmt); ok && r.For == rng.Pos() {
			loop = r
			break
		}
	}
	if index == nil || loop == nil {
		return // a composite literal, or no syntax to point at
	}
	m := c.text(index.X)
	report.Report(c.pass, analysis.Diagnostic{
		Pos: index.Pos(),
		End: index.End(),
		Message: m + "[" + c.text(index.Index) + "] adds a key to " + m + " while ranging over it: the spec leaves unspecified " +
			"whether the loop visits the new entry, and visiting it adds another, so the result can change from run to run",
		Related: []analysis.RelatedInformation{report.Related(loop.X, "the range over %s starts here", c.text(loop.X))},
	})
}

func (c *checker) reportSlice(l *loop, d *deletion, idx *ssa.Phi) {
	at := d.at.Pos()
	if call, ok := d.at.(*ssa.Call); ok {
		if expr := c.calls.At(call.Pos()); expr != nil {
			at = expr.Pos()
		}
	}
	stmt := c.statementAt(at)
	shrink := c.statementAt(d.result.Pos())
	if stmt == nil || shrink == nil {
		return // no syntax to point at
	}
	sliceExpr, indexExpr := c.deletionSyntax(d, stmt)
	if sliceExpr == nil {
		return
	}
	sliceText, indexText := c.text(sliceExpr), c.text(indexExpr)
	loopStmt := c.loopDeclaring(indexExpr, stmt)
	var (
		what string
		msg  string
	)
	switch d.kind {
	case delSwap:
		what = "moves the last element into " + sliceText + "[" + indexText + "]"
	default:
		what = "deletes " + sliceText + "[" + indexText + "]"
	}
	shifted := "the element shifted into " + sliceText + "[" + indexText + "] is skipped"
	if d.kind == delSwap {
		shifted = "the moved element is skipped"
	}
	var related []analysis.RelatedInformation
	switch loop := loopStmt.(type) {
	case *ast.RangeStmt:
		switch {
		case c.text(loop.X) == sliceText && d.kind != delSwap && indexes(l, d):
			msg = what + " while ranging over " + sliceText + ": " + shifted +
				", and range keeps the original length, so " + sliceText + "[" + indexText + "] can run past the end"
		case c.text(loop.X) == sliceText:
			msg = what + " while ranging over " + sliceText + ": " + shifted
		default:
			msg = what + " inside a range loop, which then goes on to the next index: " + shifted
		}
		related = append(related, report.Related(loop.X, "the range over %s fixes the number of iterations when the loop starts", c.text(loop.X)))
	case *ast.ForStmt:
		msg = what + " inside a loop that then advances " + indexText + ": " + shifted
		if loop.Post != nil {
			related = append(related, report.Related(loop.Post, "the loop advances %s here", indexText))
		}
	default:
		msg = what + " inside a loop that then advances " + indexText + ": " + shifted
	}
	diag := analysis.Diagnostic{
		Pos:     stmt.Pos(),
		End:     stmt.End(),
		Message: c.describeDeletion(d, stmt) + " " + msg,
		Related: related,
	}
	if loop, ok := loopStmt.(*ast.ForStmt); ok {
		if fix := c.sliceFix(l, d, idx, loop, shrink, sliceText, indexText); fix != nil {
			diag.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
	}
	report.Report(c.pass, diag)
}

// statementAt returns the innermost statement that holds pos.
func (c *checker) statementAt(pos token.Pos) ast.Stmt {
	for _, n := range c.enclosing(pos, pos) {
		if s, ok := n.(ast.Stmt); ok {
			return s
		}
	}
	return nil
}

// describeDeletion renders the deleting code as the source has it.
func (c *checker) describeDeletion(d *deletion, stmt ast.Stmt) string {
	switch d.kind {
	case delAppend, delSlices:
		if call := c.calls.At(d.at.Pos()); call != nil {
			return c.text(call)
		}
	case delCopy:
		if call := c.calls.At(d.at.Pos()); call != nil {
			return c.text(call)
		}
	case delSwap:
		if as, ok := stmt.(*ast.AssignStmt); ok && len(as.Lhs) == 1 && len(as.Rhs) == 1 {
			return c.text(as.Lhs[0]) + " = " + c.text(as.Rhs[0])
		}
	}
	return "this statement"
}

// deletionSyntax returns the slice and the index expressions of a
// deletion, as the source spells them.
func (c *checker) deletionSyntax(d *deletion, stmt ast.Stmt) (slice, index ast.Expr) {
	switch d.kind {
	case delAppend:
		call := c.calls.At(d.at.Pos())
		if call == nil || len(call.Args) != 2 {
			return nil, nil
		}
		if head, ok := astutil.Unparen(call.Args[0]).(*ast.SliceExpr); ok && head.High != nil {
			return head.X, head.High
		}
	case delSlices:
		call := c.calls.At(d.at.Pos())
		if call == nil || len(call.Args) != 3 {
			return nil, nil
		}
		return call.Args[0], call.Args[1]
	case delCopy:
		call := c.calls.At(d.at.Pos())
		if call == nil || len(call.Args) != 2 {
			return nil, nil
		}
		if dst, ok := astutil.Unparen(call.Args[0]).(*ast.SliceExpr); ok && dst.Low != nil {
			return dst.X, dst.Low
		}
	case delSwap:
		if as, ok := stmt.(*ast.AssignStmt); ok && len(as.Lhs) == 1 {
			if ix, ok := astutil.Unparen(as.Lhs[0]).(*ast.IndexExpr); ok {
				return ix.X, ix.Index
			}
		}
	}
	return nil, nil
}

// loopDeclaring returns the for or range statement that declares the
// variable index names, or nil.
func (c *checker) loopDeclaring(index ast.Expr, stmt ast.Stmt) ast.Stmt {
	id, ok := astutil.Unparen(index).(*ast.Ident)
	if !ok {
		return nil
	}
	obj := c.pass.TypesInfo.Uses[id]
	if obj == nil {
		return nil
	}
	declares := func(e ast.Expr) bool {
		d, ok := e.(*ast.Ident)
		return ok && c.pass.TypesInfo.Defs[d] == obj
	}
	for _, n := range c.enclosing(stmt.Pos(), stmt.End()) {
		switch loop := n.(type) {
		case *ast.RangeStmt:
			if loop.Key != nil && declares(loop.Key) {
				return loop
			}
		case *ast.ForStmt:
			if init, ok := loop.Init.(*ast.AssignStmt); ok && init.Tok == token.DEFINE {
				for _, lhs := range init.Lhs {
					if declares(lhs) {
						return loop
					}
				}
			}
		case *ast.FuncLit, *ast.FuncDecl:
			return nil
		}
	}
	return nil
}

// sliceFix inserts name-- after the statement that shrinks the slice, in a
// three-clause loop for i := ...; i < len(s); i++ whose index is not used
// again in the iteration after the deletion. A range loop gets no fix:
// range evaluates the length once, so i-- would not help.
func (c *checker) sliceFix(l *loop, d *deletion, idx *ssa.Phi, loop *ast.ForStmt, shrink ast.Stmt, sliceText, indexText string) *analysis.SuggestedFix {
	post, ok := loop.Post.(*ast.IncDecStmt)
	if !ok || post.Tok != token.INC || c.text(post.X) != indexText {
		return nil
	}
	cond, ok := loop.Cond.(*ast.BinaryExpr)
	if !ok || cond.Op != token.LSS || c.text(cond.X) != indexText {
		return nil
	}
	n, ok := astutil.Unparen(cond.Y).(*ast.CallExpr)
	if !ok || len(n.Args) != 1 || c.text(n.Fun) != "len" || c.text(n.Args[0]) != sliceText {
		return nil
	}
	if id, ok := astutil.Unparen(n.Fun).(*ast.Ident); !ok {
		return nil
	} else if _, ok := c.pass.TypesInfo.Uses[id].(*types.Builtin); !ok {
		return nil
	}
	if _, ok := shrink.(*ast.AssignStmt); !ok {
		return nil
	}
	path := c.enclosing(shrink.Pos(), shrink.End())
	if len(path) < 2 {
		return nil
	} else if _, ok := path[1].(*ast.BlockStmt); !ok || path[0] != shrink {
		return nil
	}
	// Inside an inner loop, i-- would make the inner loop go on with the
	// previous element.
	for _, n := range path[1:] {
		if n == loop {
			break
		}
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.FuncLit:
			return nil
		}
	}
	if res, ok := d.result.(ssa.Instruction); !ok || indexUsedAfter(l, idx, res) {
		return nil
	}
	indent, ok := c.indent(shrink.Pos())
	if !ok {
		return nil
	}
	eol, ok := c.lineEnd(shrink.End())
	if !ok {
		return nil
	}
	return &analysis.SuggestedFix{
		Message: "decrement " + indexText + " after the deletion so that the shifted element is visited",
		TextEdits: []analysis.TextEdit{{
			Pos:     eol,
			End:     eol,
			NewText: []byte("\n" + indent + indexText + "--"),
		}},
	}
}
