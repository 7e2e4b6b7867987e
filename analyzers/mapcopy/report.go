package mapcopy

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/copies"
	"github.com/mapguard/mapguard/internal/analysis/fieldpath"
	"github.com/mapguard/mapguard/internal/analysis/report"
)

func (c *checker) reportAssignment(fn *ssa.Function, cp *copies.Copy, w copies.Access, filled bool) {
	files := c.pass.Files
	o := copies.FindOrigin(files, cp)
	stmt := copies.StmtAt(files, w.Instr.Pos())
	if o == nil || stmt == nil || !c.firstOnLine(stmt) {
		return
	}
	what := copies.Statement(stmt)
	orig := o.Original(cp, w.Path)
	var tail string
	switch {
	case swappedOut(cp, w.Path, w):
		tail = fmt.Sprintf("%s still holds the map returned as the old one, and goes on writing into it", orig)
	case filled && nilGuarded(cp, w):
		tail = fmt.Sprintf("%s stays nil, and what is written into the new map is lost", orig)
	case filled:
		tail = fmt.Sprintf("%s is unchanged, and what is written into the new map is lost", orig)
	default:
		tail = fmt.Sprintf("%s is unchanged", orig)
	}
	d := analysis.Diagnostic{
		Pos:     stmt.Pos(),
		End:     stmt.End(),
		Message: fmt.Sprintf("%s assigns to a copy (%s): %s", what, o.Describe(cp, code.Qualifier(c.pass.Pkg)), tail),
		Related: []analysis.RelatedInformation{o.Related(cp)},
	}
	if fix := c.fix(fn, cp, o); fix != nil {
		d.SuggestedFixes = append(d.SuggestedFixes, *fix)
	}
	report.Report(c.pass, d)
}

// firstOnLine reports whether no finding was reported yet on the line of n.
func (c *checker) firstOnLine(n ast.Node) bool {
	p := c.pass.Fset.Position(n.Pos())
	p.Column, p.Offset = 0, 0
	if c.reported[p] {
		return false
	}
	c.reported[p] = true
	return true
}

func (c *checker) reportShared(fn *ssa.Function, cp *copies.Copy, p fieldpath.Path, w ssa.Instruction) {
	files := c.pass.Files
	o := copies.FindOrigin(files, cp)
	stmt := copies.StmtAt(files, w.Pos())
	if o == nil || stmt == nil || !c.firstOnLine(stmt) {
		return
	}
	field := cp.PathString(p)
	d := analysis.Diagnostic{
		Pos: stmt.Pos(),
		End: stmt.End(),
		Message: fmt.Sprintf("%s writes into the map that the returned copy shares with the caller (%s): the caller's %s changes too (clone it first: %s.%s = maps.Clone(%s.%s))",
			copies.Statement(stmt), o.Describe(cp, code.Qualifier(c.pass.Pkg)), field, o.Name.Name, field, o.Name.Name, field),
		Related: []analysis.RelatedInformation{o.Related(cp)},
	}
	if fix := c.cloneFix(fn, cp, o, p); fix != nil {
		d.SuggestedFixes = append(d.SuggestedFixes, *fix)
	}
	report.Report(c.pass, d)
}

// fix returns the mechanical fix of a lost assignment, if there is a safe
// one: a pointer receiver, or writing through the index of a range loop.
// Each declaration gets its fix once, on its first finding.
func (c *checker) fix(fn *ssa.Function, cp *copies.Copy, o *copies.Origin) *analysis.SuggestedFix {
	if c.fixed[o.Decl] {
		return nil
	}
	var fix *analysis.SuggestedFix
	switch {
	case cp.Kind == copies.Receiver:
		fix = c.receiverFix(fn, cp, o)
	case o.Range != nil:
		if edits, ok := copies.IndexRewrite(c.pass.TypesInfo, o.Range); ok {
			fix = &analysis.SuggestedFix{Message: "write to the elements through the index", TextEdits: edits}
		}
	}
	if fix != nil {
		c.fixed[o.Decl] = true
	}
	return fix
}

// receiverFix turns the value receiver of fn into a pointer receiver when
// nothing can break or change meaning but the fix itself:
//   - the method uses its receiver only through its fields: it does not
//     return, pass on, copy or take the address of the whole value;
//   - no other package can call it (package main, an unexported method or
//     an unexported type) and the type is not embedded anywhere, so the
//     value method sets that change are only this package's;
//   - in this package, no value of the type is converted to an interface
//     that has the method, the type is not a type argument, the method is
//     not used as a method expression (T.M), and it is never called on a
//     value that is not addressable (m[k].M(), f().M(), T{}.M()).
func (c *checker) receiverFix(fn *ssa.Function, cp *copies.Copy, o *copies.Origin) *analysis.SuggestedFix {
	field, ok := o.Decl.(*ast.Field)
	if !ok {
		return nil
	}
	method, _ := fn.Object().(*types.Func)
	if method == nil {
		return nil
	}
	for _, a := range cp.Accesses() {
		if ((a.Op == copies.Read || a.Op == copies.Captured) && len(a.Path) == 0) || a.Op == copies.Leak {
			return nil
		}
	}
	named := receiverNamed(method)
	if named == nil {
		return nil
	}
	obj := named.Obj()
	if c.pass.Pkg.Name() != "main" && method.Exported() && obj.Exported() {
		return nil
	}
	if c.embedded(obj) || c.typeArgument(obj) || c.convertedToInterface(obj, method.Name()) || c.needsValueMethod(method, obj) {
		return nil
	}
	return &analysis.SuggestedFix{
		Message:   "use a pointer receiver",
		TextEdits: []analysis.TextEdit{{Pos: field.Type.Pos(), End: field.Type.Pos(), NewText: []byte("*")}},
	}
}

func receiverNamed(method *types.Func) *types.Named {
	recv := method.Signature().Recv()
	if recv == nil {
		return nil
	}
	n, _ := types.Unalias(recv.Type()).(*types.Named)
	return n
}

// isType reports whether t is the named type obj (any instance of it), not
// a pointer to it.
func isType(t types.Type, obj *types.TypeName) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Origin().Obj() == obj
}

// embedded reports whether a struct type of the package embeds obj by value.
func (c *checker) embedded(obj *types.TypeName) bool {
	found := false
	for _, f := range c.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			st, ok := n.(*ast.StructType)
			if !ok || found {
				return !found
			}
			for _, fl := range st.Fields.List {
				if len(fl.Names) == 0 && isType(c.pass.TypesInfo.TypeOf(fl.Type), obj) {
					found = true
				}
			}
			return true
		})
	}
	return found
}

// typeArgument reports whether obj is a type argument of an instantiation.
func (c *checker) typeArgument(obj *types.TypeName) bool {
	for _, inst := range c.pass.TypesInfo.Instances {
		for i := range inst.TypeArgs.Len() {
			if isType(inst.TypeArgs.At(i), obj) {
				return true
			}
		}
	}
	return false
}

// convertedToInterface reports whether a value of type obj is converted to
// an interface type that has a method called name, anywhere in the
// package, package initialisation included.
func (c *checker) convertedToInterface(obj *types.TypeName, name string) bool {
	// go/ssa drops the conversion of var _ I = T{}: look at the syntax.
	found := false
	for _, f := range c.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if vs, ok := n.(*ast.ValueSpec); ok && vs.Type != nil {
				for _, v := range vs.Values {
					if isType(c.pass.TypesInfo.TypeOf(v), obj) && hasMethod(c.pass.TypesInfo.TypeOf(vs.Type), name) {
						found = true
					}
				}
			}
			return !found
		})
	}
	if found {
		return true
	}
	funcs := c.funcs
	if init := c.pkg.Func("init"); init != nil {
		funcs = append(append([]*ssa.Function(nil), funcs...), init)
		funcs = append(funcs, init.AnonFuncs...)
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				mi, ok := instr.(*ssa.MakeInterface)
				if !ok || !isType(mi.X.Type(), obj) {
					continue
				}
				if hasMethod(mi.Type(), name) {
					return true
				}
			}
		}
	}
	return false
}

// hasMethod reports whether t is an interface type with a method called
// name, or not an interface this code understands.
func hasMethod(t types.Type, name string) bool {
	if t == nil {
		return false
	}
	iface, ok := t.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	for i := range iface.NumMethods() {
		if iface.Method(i).Name() == name {
			return true
		}
	}
	return false
}

// needsValueMethod reports whether the package uses method as a method
// expression, or calls it (or takes its method value) on a value of type
// obj that is not addressable.
func (c *checker) needsValueMethod(method *types.Func, obj *types.TypeName) bool {
	for sel, s := range c.pass.TypesInfo.Selections {
		if s.Obj() != method && s.Obj() != method.Origin() {
			if f, ok := s.Obj().(*types.Func); !ok || f.Origin() != method {
				continue
			}
		}
		switch s.Kind() {
		case types.MethodExpr:
			return true
		case types.MethodVal:
			if isType(s.Recv(), obj) && !c.pass.TypesInfo.Types[sel.X].Addressable() {
				return true
			}
		}
	}
	return false
}

// cloneFix clones the shared map at the start of the function, so that the
// returned copy gets its own: c.Tags = maps.Clone(c.Tags). It needs Go 1.21
// (package maps), a name for the package maps that nothing else in the file
// uses, and the function's body; each function and field gets it once.
func (c *checker) cloneFix(fn *ssa.Function, cp *copies.Copy, o *copies.Origin, p fieldpath.Path) *analysis.SuggestedFix {
	var body *ast.BlockStmt
	switch syn := fn.Syntax().(type) {
	case *ast.FuncDecl:
		body = syn.Body
	case *ast.FuncLit:
		body = syn.Body
	}
	if body == nil || slices.Contains(p, fieldpath.AnyIndex) {
		return nil
	}
	key := cloneKey{body, cp.PathString(p)}
	if c.cloned[key] {
		return nil
	}
	file := copies.FileOf(c.pass.Files, body.Pos())
	if file == nil || !atLeastGo121(c.pass, file) {
		return nil
	}
	name, importEdits, ok := c.mapsImport(file)
	if !ok {
		return nil
	}
	c.cloned[key] = true
	field := o.Name.Name + "." + cp.PathString(p)
	edits := []analysis.TextEdit{insert(body.Lbrace+1, "\n"+field+" = "+name+".Clone("+field+")")}
	edits = append(edits, importEdits...)
	return &analysis.SuggestedFix{Message: "clone the map first", TextEdits: edits}
}

type cloneKey struct {
	body  *ast.BlockStmt
	field string
}

func atLeastGo121(pass *analysis.Pass, file *ast.File) bool {
	v := pass.TypesInfo.FileVersions[file]
	if v == "" {
		v = pass.Pkg.GoVersion()
	}
	return v == "" || version.Compare(v, "go1.21") >= 0
}

// mapsImport returns the name under which file can refer to package maps,
// and the edits that import it when the file does not yet.
func (c *checker) mapsImport(file *ast.File) (name string, edits []analysis.TextEdit, ok bool) {
	for _, imp := range file.Imports {
		if imp.Path.Value != `"maps"` {
			continue
		}
		switch {
		case imp.Name == nil:
			return "maps", nil, true
		case imp.Name.Name == "_" || imp.Name.Name == ".":
			return "", nil, false
		default:
			return imp.Name.Name, nil, true
		}
	}
	// Only add the import when the name maps is free in the whole file.
	if c.pass.Pkg.Scope().Lookup("maps") != nil {
		return "", nil, false
	}
	free := true
	ast.Inspect(file, func(n ast.Node) bool {
		if id, isIdent := n.(*ast.Ident); isIdent && id.Name == "maps" {
			free = false
		}
		return free
	})
	if !free {
		return "", nil, false
	}
	for _, decl := range file.Decls {
		gd, isGen := decl.(*ast.GenDecl)
		if !isGen || gd.Tok != token.IMPORT || len(gd.Specs) == 0 {
			continue
		}
		if gd.Lparen.IsValid() {
			// Keep the block sorted: before the first path that sorts
			// after "maps", or last.
			for _, spec := range gd.Specs {
				if is, ok := spec.(*ast.ImportSpec); ok && is.Path.Value > `"maps"` {
					return "maps", []analysis.TextEdit{insert(is.Pos(), "\"maps\"\n\t")}, true
				}
			}
			return "maps", []analysis.TextEdit{insert(gd.Specs[len(gd.Specs)-1].End(), "\n\t\"maps\"")}, true
		}
		// import "fmt" becomes import ( "fmt"; "maps" ).
		spec, ok := gd.Specs[0].(*ast.ImportSpec)
		if !ok {
			return "", nil, false
		}
		if spec.Path.Value > `"maps"` {
			return "maps", []analysis.TextEdit{insert(spec.Pos(), "(\n\t\"maps\"\n\t"), insert(spec.End(), "\n)")}, true
		}
		return "maps", []analysis.TextEdit{insert(spec.Pos(), "(\n\t"), insert(spec.End(), "\n\t\"maps\"\n)")}, true
	}
	return "maps", []analysis.TextEdit{insert(file.Name.End(), "\n\nimport \"maps\"")}, true
}

func insert(pos token.Pos, text string) analysis.TextEdit {
	return analysis.TextEdit{Pos: pos, End: pos, NewText: []byte(text)}
}
