package maprace

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/lazyssa"
)

// writesGlobal is the fact that an exported function writes a
// package-level map of its package with no lock held: a caller running
// concurrently with another such call races on that map.
type writesGlobal struct {
	Key  string // the map's key, as resolve spells it
	Name string // the map, for messages: "pkg.name"
}

func (*writesGlobal) AFact()           {}
func (f *writesGlobal) String() string { return "writesGlobal(" + f.Name + ")" }

// hasGlobalWriters is the package fact that a package exports
// writesGlobal facts.
type hasGlobalWriters struct{}

func (*hasGlobalWriters) AFact()         {}
func (*hasGlobalWriters) String() string { return "hasGlobalWriters" }

// exportFacts exports writesGlobal for the package's exported functions
// (not methods) that write one of its package-level maps in their own body
// with no lock held, outside sync.Once and function literals. It looks at
// syntax first and builds SSA only for those functions.
func exportFacts(pass *analysis.Pass) {
	info := pass.TypesInfo
	want := make(map[*ast.FuncDecl]bool)
	for _, f := range pass.Files {
		if isTestFileName(pass.Fset, f) {
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || fd.Recv != nil || !fd.Name.IsExported() || fd.Name.Name == "init" {
				continue
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					return false
				case *ast.AssignStmt:
					for _, lhs := range n.Lhs {
						if writesPkgMap(pass, lhs) {
							want[fd] = true
						}
					}
				case *ast.IncDecStmt:
					if writesPkgMap(pass, n.X) {
						want[fd] = true
					}
				case *ast.CallExpr:
					if isBuiltin(info, ast.Unparen(n.Fun), "delete", "clear") && len(n.Args) > 0 && isPkgMap(pass, n.Args[0]) {
						want[fd] = true
					}
				}
				return !want[fd]
			})
		}
	}
	if len(want) == 0 {
		return
	}
	funcs := pass.ResultOf[lazyssa.Analyzer].(*lazyssa.SSA).Partial(func(fd *ast.FuncDecl) bool { return want[fd] })
	c := &checker{pass: pass}
	exported := false
	for _, fn := range funcs {
		if fn.Parent() != nil {
			continue
		}
		obj, ok := fn.Object().(*types.Func)
		if !ok {
			continue
		}
		if fact := c.unlockedGlobalWrite(fn); fact != nil {
			pass.ExportObjectFact(obj, fact)
			exported = true
		}
	}
	if exported {
		pass.ExportPackageFact(new(hasGlobalWriters))
	}
}

// unlockedGlobalWrite returns the fact for fn's first write to a
// package-level map of its package made with no lock held, or nil. A
// function that takes any lock at all is left alone: its lock may be the
// map's.
func (c *checker) unlockedGlobalWrite(fn *ssa.Function) *writesGlobal {
	f := &frame{fn: fn}
	var found *writesGlobal
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if _, op := lockCall(instr); op != notLock {
				return nil
			}
			if found != nil {
				continue
			}
			for _, op := range mapOps(instr) {
				g := globalOf(op.m)
				if !op.write || g == nil || g.Pkg() != c.pass.Pkg || len(c.localLocksAt(f, instr)) > 0 {
					continue
				}
				found = &writesGlobal{Key: globalKey(g), Name: g.Pkg().Name() + "." + g.Name()}
			}
		}
	}
	return found
}

// globalOf returns the package-level variable whose map v is, or nil.
func globalOf(v ssa.Value) *types.Var {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		if g, ok := u.X.(*ssa.Global); ok {
			obj, _ := g.Object().(*types.Var)
			return obj
		}
	}
	return nil
}

// globalKey is the key of a package-level variable, the same in every
// package that sees it.
func globalKey(v *types.Var) string { return "g:" + v.Pkg().Path() + "." + v.Name() }

// writesPkgMap reports whether e is m[k] for a package-level map m of the
// package.
func writesPkgMap(pass *analysis.Pass, e ast.Expr) bool {
	ix, ok := ast.Unparen(e).(*ast.IndexExpr)
	return ok && isPkgMap(pass, ix.X)
}

func isPkgMap(pass *analysis.Pass, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := pass.TypesInfo.Uses[id].(*types.Var)
	return ok && v.Pkg() == pass.Pkg && v.Parent() == pass.Pkg.Scope() && isMap(v.Type())
}

func isTestFileName(fset *token.FileSet, f *ast.File) bool {
	name := fset.File(f.FileStart).Name()
	return len(name) > len("_test.go") && name[len(name)-len("_test.go"):] == "_test.go"
}

// importedWrite returns the fact of the function of another package that
// instr calls, when that function writes a package-level map of its own
// with no lock held.
func (c *checker) importedWrite(instr ssa.Instruction) *writesGlobal {
	call, ok := instr.(*ssa.Call)
	if !ok || call.Common().IsInvoke() {
		return nil
	}
	fn, ok := call.Common().Value.(*ssa.Function)
	if !ok {
		return nil
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok || obj.Pkg() == nil || obj.Pkg() == c.pass.Pkg {
		return nil
	}
	var fact writesGlobal
	if !c.pass.ImportObjectFact(obj.Origin(), &fact) {
		return nil
	}
	return &fact
}
