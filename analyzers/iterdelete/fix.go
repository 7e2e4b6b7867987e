package iterdelete

import (
	"bytes"
	"go/ast"
	"go/token"
	"go/types"
	"strconv"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
)

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
