package maprace

import (
	"go/ast"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/run/guard"
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

// factsAnalyzer exports the facts and hands maprace, as its result, those
// of the functions the package uses. It is an analyzer of its own so that
// only it, cheap and syntactic, runs on every dependency: an analyzer with
// facts runs on all of a package's dependencies, maprace on the package.
var factsAnalyzer = &analysis.Analyzer{
	Name:       "mapracefacts",
	Doc:        "mapracefacts: which exported functions write a package-level map of their package with no lock, for maprace",
	Run:        guard.Run(runFacts),
	FactTypes:  []analysis.Fact{new(writesGlobal), new(hasGlobalWriters)},
	ResultType: reflect.TypeFor[writers](),
}

// writers maps the functions of other packages that the package uses to
// the package-level map each writes with no lock.
type writers map[*types.Func]*writesGlobal

func runFacts(pass *analysis.Pass) (any, error) {
	exportFacts(pass)
	out := make(writers)
	with := packagesWith(pass, new(hasGlobalWriters))
	if len(with) == 0 {
		return out, nil
	}
	for _, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || fn.Pkg() == nil || !with[fn.Pkg()] {
			continue
		}
		var fact writesGlobal
		if pass.ImportObjectFact(fn.Origin(), &fact) {
			out[fn.Origin()] = &fact
		}
	}
	return out, nil
}

// exportFacts exports writesGlobal for the package's exported functions
// (not methods) that write one of its package-level maps in their own body
// (not in a function literal) and call no Lock, RLock or TryLock method at
// all. It reads syntax only: no SSA is built for it.
func exportFacts(pass *analysis.Pass) {
	info := pass.TypesInfo
	exported := false
	for _, f := range pass.Files {
		if code.IsTestFile(pass.Fset, f.Pos()) {
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || fd.Recv != nil || !fd.Name.IsExported() {
				continue
			}
			var written *types.Var
			locks := false
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					locks = locks || callsLock(n)
					return false
				case *ast.AssignStmt:
					for _, lhs := range n.Lhs {
						written = firstVar(written, writtenPkgMap(pass, lhs))
					}
				case *ast.IncDecStmt:
					written = firstVar(written, writtenPkgMap(pass, n.X))
				case *ast.CallExpr:
					if isBuiltin(info, ast.Unparen(n.Fun), "delete", "clear") && len(n.Args) > 0 {
						written = firstVar(written, pkgMap(pass, n.Args[0]))
					}
					if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && lockNames[sel.Sel.Name] {
						locks = true
					}
				}
				return !locks
			})
			obj, ok := info.Defs[fd.Name].(*types.Func)
			if written == nil || locks || !ok {
				continue
			}
			pass.ExportObjectFact(obj, &writesGlobal{Key: globalKey(written), Name: written.Pkg().Name() + "." + written.Name()})
			exported = true
		}
	}
	if exported {
		pass.ExportPackageFact(new(hasGlobalWriters))
	}
}

var lockNames = map[string]bool{"Lock": true, "RLock": true, "TryLock": true, "TryRLock": true, "lock": true, "rlock": true}

// callsLock reports whether n calls a method named like a lock.
func callsLock(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && lockNames[sel.Sel.Name] {
				found = true
			}
		}
		return !found
	})
	return found
}

func firstVar(old, v *types.Var) *types.Var {
	if old != nil {
		return old
	}
	return v
}

// globalKey is the key of a package-level variable, the same in every
// package that sees it.
func globalKey(v *types.Var) string { return "g:" + v.Pkg().Path() + "." + v.Name() }

// writtenPkgMap returns the package-level map m of the package when e is
// m[k], or nil.
func writtenPkgMap(pass *analysis.Pass, e ast.Expr) *types.Var {
	if ix, ok := ast.Unparen(e).(*ast.IndexExpr); ok {
		return pkgMap(pass, ix.X)
	}
	return nil
}

// pkgMap returns the package-level map variable of the package e names, or
// nil.
func pkgMap(pass *analysis.Pass, e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.Pkg() != pass.Pkg || v.Parent() != pass.Pkg.Scope() || !code.IsMapOrMapParam(v.Type()) {
		return nil
	}
	return v
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
	return c.writers[obj.Origin()]
}
