package checkthenact

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/report"
)

func (c *checker) report(p *pair, readLock ssa.Instruction) {
	if c.assigns == nil {
		c.assigns = make(map[token.Pos]*ast.AssignStmt)
		c.files = make(map[*token.File]*ast.File)
		for _, f := range c.pass.Files {
			c.files[c.pass.Fset.File(f.Pos())] = f
			ast.Inspect(f, func(n ast.Node) bool {
				if a, ok := n.(*ast.AssignStmt); ok && len(a.Rhs) == 1 {
					if call, ok := ast.Unparen(a.Rhs[0]).(*ast.CallExpr); ok {
						c.assigns[call.Lparen] = a
					}
				}
				return true
			})
		}
	}
	act, read := c.calls.At(p.act.Pos()), c.calls.At(p.read.Pos())
	if act == nil || read == nil {
		return
	}
	d := analysis.Diagnostic{Pos: act.Pos(), End: act.End(), Message: message(p)}
	d.Related = append(d.Related, report.Related(read, "the entry is read here; the %s below is a separate step", p.actMethod))
	if readLock != nil {
		if l := c.calls.At(readLock.Pos()); l != nil {
			d.Related = append(d.Related, report.Related(l, "a read lock does not keep other readers out: two goroutines can pass the check together"))
		}
	}
	var fix *analysis.SuggestedFix
	switch p.kind {
	case insert:
		fix = c.loadOrStoreFix(p, act, read)
	case replace, remove:
		if !p.byCounter {
			fix = c.compareFix(p, act, read)
		}
	case take:
		fix = c.loadAndDeleteFix(act, read)
	}
	if fix != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*fix}
	}
	report.Report(c.pass, d)
}

func message(p *pair) string {
	switch p.kind {
	case insert:
		return "lost insert: this Store runs when Load found no entry, but another goroutine can store the key in between, and this Store overwrites its value; use LoadOrStore"
	case replace:
		return fmt.Sprintf("lost update: this Store is decided by the value %s returned, but another goroutine can change the entry in between, and this Store overwrites its change; use CompareAndSwap(key, old, new)", p.readMethod)
	case update:
		return fmt.Sprintf("lost update: this Store writes a value computed from the one %s returned, but another goroutine can change the entry in between, and its change is overwritten; retry with CompareAndSwap(key, old, new) in a loop", p.readMethod)
	case take:
		return "double take: this Delete runs when Load found the entry, but another goroutine can load it too before either deletes it, and both go on to use it; use LoadAndDelete (or CompareAndDelete(key, old), whose result says who removed it)"
	case remove:
		if p.byCounter {
			return fmt.Sprintf("lost renewal: this Delete is decided by a counter in the value %s returned, but another goroutine can load the same value and count it up in between, and this Delete then removes an entry in use; the atomic counter does not make the read and the Delete one step (CompareAndDelete does not help, the value is the same: take a lock around both, or keep the entry)", p.readMethod)
		}
		fallthrough
	default:
		return fmt.Sprintf("lost renewal: this Delete is decided by the value %s returned, but another goroutine can store a fresh value in between, and this Delete removes it; use CompareAndDelete(key, old)", p.readMethod)
	}
}

// loadOrStoreFix rewrites
//
//	if _, ok := m.Load(k); !ok {
//		m.Store(k, v)
//	}
//
// (or the same with the Load as a statement of its own) into
// m.LoadOrStore(k, v), when the branch does nothing else, ok is used
// nowhere else, and evaluating v when the key is present changes nothing.
func (c *checker) loadOrStoreFix(p *pair, act, read *ast.CallExpr) *analysis.SuggestedFix {
	assign := c.assigns[read.Lparen]
	file := c.files[c.pass.Fset.File(read.Pos())]
	if assign == nil || file == nil || assign.Tok != token.DEFINE || len(assign.Lhs) != 2 || !isBlank(assign.Lhs[0]) {
		return nil
	}
	okIdent, isIdent := assign.Lhs[1].(*ast.Ident)
	if !isIdent {
		return nil
	}
	okVar := c.pass.TypesInfo.Defs[okIdent]
	if okVar == nil {
		return nil
	}
	path, _ := astutil.PathEnclosingInterval(file, assign.Pos(), assign.End())
	if len(path) < 2 {
		return nil
	}
	var ifStmt *ast.IfStmt
	start := assign.Pos()
	switch parent := path[1].(type) {
	case *ast.IfStmt:
		if parent.Init == assign {
			ifStmt, start = parent, parent.Pos()
		}
	case *ast.BlockStmt:
		ifStmt = nextIf(parent.List, assign)
	case *ast.CaseClause:
		ifStmt = nextIf(parent.Body, assign)
	case *ast.CommClause:
		ifStmt = nextIf(parent.Body, assign)
	}
	if ifStmt == nil || ifStmt.Else != nil || len(ifStmt.Body.List) != 1 || (ifStmt.Init != nil && ifStmt.Init != assign) {
		return nil
	}
	if stmt, ok := ifStmt.Body.List[0].(*ast.ExprStmt); !ok || ast.Unparen(stmt.X) != act {
		return nil
	}
	if not, ok := ifStmt.Cond.(*ast.UnaryExpr); !ok || not.Op != token.NOT || !c.refersTo(not.X, okVar) {
		return nil
	}
	trailing, ok := c.trailingComments(file, start, ifStmt.End(), act)
	if !ok || c.uses(file, okVar) != 1 || len(act.Args) != 2 || !c.cheap(act.Args[1], 0) {
		return nil
	}
	sel, ok := act.Fun.(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	recv, k, v := c.text(sel.X), c.text(act.Args[0]), c.text(act.Args[1])
	if recv == "" || k == "" || v == "" {
		return nil
	}
	return &analysis.SuggestedFix{
		Message: "use LoadOrStore",
		TextEdits: []analysis.TextEdit{{
			Pos:     start,
			End:     ifStmt.End(),
			NewText: fmt.Appendf(nil, "%s.LoadOrStore(%s, %s)%s", recv, k, v, trailing),
		}},
	}
}

// loadAndDeleteFix rewrites
//
//	v, ok := m.Load(k)
//	if ok {
//		m.Delete(k)
//		...
//
// (or the same with the Load in the if's init) into
//
//	v, ok := m.LoadAndDelete(k)
//	if ok {
//		...
//
// Nothing runs between the two calls but the test of ok, so moving the
// deletion into the read changes nothing but the race.
func (c *checker) loadAndDeleteFix(act, read *ast.CallExpr) *analysis.SuggestedFix {
	assign := c.assigns[read.Lparen]
	file := c.files[c.pass.Fset.File(read.Pos())]
	readSel, isSel := read.Fun.(*ast.SelectorExpr)
	if assign == nil || file == nil || !isSel || len(assign.Lhs) != 2 {
		return nil
	}
	okIdent, isIdent := assign.Lhs[1].(*ast.Ident)
	if !isIdent {
		return nil
	}
	okVar := c.pass.TypesInfo.ObjectOf(okIdent)
	path, _ := astutil.PathEnclosingInterval(file, assign.Pos(), assign.End())
	if okVar == nil || len(path) < 2 {
		return nil
	}
	var ifStmt *ast.IfStmt
	switch parent := path[1].(type) {
	case *ast.IfStmt:
		if parent.Init == assign {
			ifStmt = parent
		}
	case *ast.BlockStmt:
		ifStmt = nextIf(parent.List, assign)
	case *ast.CaseClause:
		ifStmt = nextIf(parent.Body, assign)
	case *ast.CommClause:
		ifStmt = nextIf(parent.Body, assign)
	}
	if ifStmt == nil || (ifStmt.Init != nil && ifStmt.Init != assign) || !c.refersTo(ifStmt.Cond, okVar) || len(ifStmt.Body.List) == 0 {
		return nil
	}
	stmt, ok := ifStmt.Body.List[0].(*ast.ExprStmt)
	if !ok || ast.Unparen(stmt.X) != act {
		return nil
	}
	start, end, ok := c.wholeLine(stmt)
	if !ok {
		return nil
	}
	return &analysis.SuggestedFix{
		Message: "use LoadAndDelete",
		TextEdits: []analysis.TextEdit{
			{Pos: readSel.Sel.Pos(), End: readSel.Sel.End(), NewText: []byte("LoadAndDelete")},
			{Pos: start, End: end},
		},
	}
}

// wholeLine returns the range of the line that holds stmt, newline
// included, when stmt is the only statement on it (a comment may follow).
func (c *checker) wholeLine(stmt ast.Stmt) (start, end token.Pos, ok bool) {
	tf := c.pass.Fset.File(stmt.Pos())
	if tf == nil || c.pass.ReadFile == nil {
		return 0, 0, false
	}
	content, err := c.pass.ReadFile(tf.Name())
	if err != nil {
		return 0, 0, false
	}
	line := tf.Line(stmt.Pos())
	if tf.Line(stmt.End()) != line || line >= tf.LineCount() {
		return 0, 0, false
	}
	lineStart, nextLine := tf.LineStart(line), tf.LineStart(line+1)
	before := content[tf.Offset(lineStart):tf.Offset(stmt.Pos())]
	after := strings.TrimSpace(string(content[tf.Offset(stmt.End()):tf.Offset(nextLine)]))
	if strings.TrimSpace(string(before)) != "" || (after != "" && !strings.HasPrefix(after, "//")) {
		return 0, 0, false
	}
	return lineStart, nextLine, true
}

// compareFix turns m.Store(k, x) into m.CompareAndSwap(k, v, x), and
// m.Delete(k) into m.CompareAndDelete(k, v), where v is the variable the
// Load assigned: the act then happens only if the entry still holds the
// value the decision was made on. It is offered when every path to the act
// saw the entry present, v is never reassigned, and v has been asserted to
// a comparable type on the way (CompareAndSwap panics on values it cannot
// compare).
func (c *checker) compareFix(p *pair, act, read *ast.CallExpr) *analysis.SuggestedFix {
	if !p.presentOnly || p.readMethod != "Load" || p.value == nil || len(act.Args) == 0 {
		return nil
	}
	assign := c.assigns[read.Lparen]
	if assign == nil || assign.Tok != token.DEFINE || len(assign.Lhs) != 2 {
		return nil
	}
	vIdent, ok := assign.Lhs[0].(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := c.pass.TypesInfo.Defs[vIdent].(*types.Var)
	if !ok {
		return nil
	}
	scope := c.pass.Pkg.Scope().Innermost(act.Pos())
	if scope == nil {
		return nil
	}
	if _, obj := scope.LookupParent(v.Name(), act.Pos()); obj != v {
		return nil
	}
	file := c.files[c.pass.Fset.File(act.Pos())]
	sel, isSel := act.Fun.(*ast.SelectorExpr)
	if file == nil || !isSel || c.reassigned(file, v) || !c.assertedComparable(p) {
		return nil
	}
	name, what := "CompareAndSwap", "use CompareAndSwap with the value read"
	if p.actMethod == "Delete" {
		name, what = "CompareAndDelete", "use CompareAndDelete with the value read"
	}
	return &analysis.SuggestedFix{
		Message: what,
		TextEdits: []analysis.TextEdit{
			{Pos: sel.Sel.Pos(), End: sel.Sel.End(), NewText: []byte(name)},
			{Pos: act.Args[0].End(), End: act.Args[0].End(), NewText: []byte(", " + v.Name())},
		},
	}
}

// assertedComparable reports whether, on every path to the act, the value
// read has been asserted to a type whose values can always be compared.
func (c *checker) assertedComparable(p *pair) bool {
	for _, r := range code.Referrers(p.value) {
		ta, ok := r.(*ssa.TypeAssert)
		if !ok || !strictlyComparable(ta.AssertedType, 0) {
			continue
		}
		if !ta.CommaOk && code.Precedes(ta, p.act) {
			return true
		}
		if ta.CommaOk {
			succeeded := false
			code.KnownConds(p.act.Block(), nil, func(cond ssa.Value, value bool) bool {
				e, ok := cond.(*ssa.Extract)
				succeeded = value && ok && e.Tuple == ta && e.Index == 1
				return !succeeded
			})
			if succeeded {
				return true
			}
		}
	}
	return false
}

// strictlyComparable reports whether == on values of t never panics.
func strictlyComparable(t types.Type, depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Kind() != types.UntypedNil && u.Kind() != types.Invalid
	case *types.Pointer, *types.Chan:
		return true
	case *types.Array:
		return strictlyComparable(u.Elem(), depth+1)
	case *types.Struct:
		for i := range u.NumFields() {
			if !strictlyComparable(u.Field(i).Type(), depth+1) {
				return false
			}
		}
		return true
	}
	return false // interfaces, type parameters, slices, maps, funcs
}

// cheap reports whether evaluating e has no effect and cannot panic, so
// evaluating it when the key is present too changes nothing.
func (c *checker) cheap(e ast.Expr, depth int) bool {
	if depth > maxDepth {
		return false
	}
	info := c.pass.TypesInfo
	switch e := ast.Unparen(e).(type) {
	case *ast.BasicLit, *ast.FuncLit:
		return true
	case *ast.Ident:
		switch info.Uses[e].(type) {
		case *types.Var, *types.Const, *types.Nil:
			return true
		}
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok {
			if _, isPkg := info.Uses[x].(*types.PkgName); isPkg {
				return c.cheap(e.Sel, depth+1)
			}
		}
	case *ast.CompositeLit:
		for _, elt := range e.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if _, isField := info.Uses[identOf(kv.Key)].(*types.Var); !isField && !c.cheap(kv.Key, depth+1) {
					return false
				}
				elt = kv.Value
			}
			if !c.cheap(elt, depth+1) {
				return false
			}
		}
		return true
	case *ast.UnaryExpr:
		switch e.Op {
		case token.AND:
			_, isLit := ast.Unparen(e.X).(*ast.CompositeLit)
			return isLit && c.cheap(e.X, depth+1)
		case token.SUB, token.NOT, token.XOR, token.ADD:
			return c.cheap(e.X, depth+1)
		}
	case *ast.CallExpr:
		if len(e.Args) != 1 {
			return false
		}
		if id, ok := ast.Unparen(e.Fun).(*ast.Ident); ok {
			if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "new" {
				return true
			}
		}
		// A conversion to a basic type: it cannot panic.
		if tv, ok := info.Types[e.Fun]; ok && tv.IsType() {
			_, basic := tv.Type.Underlying().(*types.Basic)
			return basic && c.cheap(e.Args[0], depth+1)
		}
	}
	return false
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := e.(*ast.Ident)
	return id
}

func isBlank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}

// nextIf returns the if statement right after stmt in list, or nil.
func nextIf(list []ast.Stmt, stmt ast.Stmt) *ast.IfStmt {
	for i, s := range list {
		if s == stmt && i+1 < len(list) {
			next, _ := list[i+1].(*ast.IfStmt)
			return next
		}
	}
	return nil
}

func (c *checker) refersTo(e ast.Expr, obj types.Object) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && c.pass.TypesInfo.Uses[id] == obj
}

// uses counts the uses of obj in file.
func (c *checker) uses(file *ast.File, obj types.Object) int {
	n := 0
	ast.Inspect(file, func(node ast.Node) bool {
		if id, ok := node.(*ast.Ident); ok && c.pass.TypesInfo.Uses[id] == obj {
			n++
		}
		return true
	})
	return n
}

// reassigned reports whether file assigns to v after declaring it, or takes
// its address.
func (c *checker) reassigned(file *ast.File, v *types.Var) bool {
	found := false
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				found = found || c.refersTo(l, v)
			}
		case *ast.IncDecStmt:
			found = found || c.refersTo(n.X, v)
		case *ast.UnaryExpr:
			found = found || (n.Op == token.AND && c.refersTo(n.X, v))
		case *ast.RangeStmt:
			found = found || (n.Key != nil && c.refersTo(n.Key, v)) || (n.Value != nil && c.refersTo(n.Value, v))
		}
		return !found
	})
	return found
}

// trailingComments returns the text of the comments between start and end,
// to be kept after the statement replacing that range. It accepts only
// comments that follow act on its line; ok is false when there are others,
// which the replacement could not keep in place.
func (c *checker) trailingComments(file *ast.File, start, end token.Pos, act ast.Node) (text string, ok bool) {
	actLine := c.pass.Fset.Position(act.End()).Line
	for _, g := range file.Comments {
		if g.Pos() >= end || g.End() <= start {
			continue
		}
		for _, cm := range g.List {
			if cm.Pos() < act.End() || c.pass.Fset.Position(cm.Pos()).Line != actLine {
				return "", false
			}
			text += " " + cm.Text
		}
	}
	return text, true
}

// text returns the source text of n.
func (c *checker) text(n ast.Node) string {
	tf := c.pass.Fset.File(n.Pos())
	if tf == nil || c.pass.ReadFile == nil {
		return ""
	}
	content, err := c.pass.ReadFile(tf.Name())
	if err != nil {
		return ""
	}
	start, end := tf.Offset(n.Pos()), tf.Offset(n.End())
	if start < 0 || end > len(content) || start > end {
		return ""
	}
	return string(content[start:end])
}
