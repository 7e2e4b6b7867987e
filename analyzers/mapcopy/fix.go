package mapcopy

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/copies"
)

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
		if (a.Op == copies.Read && len(a.Path) == 0) || a.Op == copies.Leak {
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
