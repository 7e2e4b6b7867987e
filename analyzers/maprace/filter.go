package maprace

import (
	"go/ast"
	"go/types"
	"reflect"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/internal/code"
)

// candidates decides from syntax and types alone which function
// declarations need SSA: nil when the package writes no map or has no
// concurrent context at all; otherwise those that touch a map, start or
// register a context, or call (transitively, in the package) one that
// does.
func candidates(pass *analysis.Pass) map[*ast.FuncDecl]bool {
	info := pass.TypesInfo
	keep := make(map[*ast.FuncDecl]bool)
	calls := make(map[*ast.FuncDecl][]*types.Func)
	decls := make(map[*types.Func]*ast.FuncDecl)
	writes, concurrent := false, false
	writers := packagesWith(pass, new(hasGlobalWriters))
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if isAnalyzerLit(info, d) {
				concurrent = true
			}
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			if obj, ok := info.Defs[fd.Name].(*types.Func); ok {
				decls[obj] = fd
				if isHandlerSig(stripRecv(obj.Signature())) {
					concurrent = true
					keep[fd] = true
				}
			}
			callees := make(map[ast.Expr]bool)
			skip := make(map[*ast.Ident]bool)
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.GoStmt:
					concurrent = true
					keep[fd] = true
				case *ast.FuncLit:
					keep[fd] = true
					if isHandlerSig(info.TypeOf(n)) {
						concurrent = true
					}
				case *ast.CallExpr:
					fun := ast.Unparen(n.Fun)
					callees[fun] = true
					if isBuiltin(info, fun, "delete", "clear") {
						writes = true
						keep[fd] = true
					}
					if fn := funcOf(info, fun); fn != nil {
						switch fn.FullName() {
						case "time.AfterFunc", "(*sync.WaitGroup).Go", "(*golang.org/x/sync/errgroup.Group).Go",
							"(*golang.org/x/sync/errgroup.Group).TryGo":
							concurrent = true
							keep[fd] = true
						case "maps.Copy", "maps.DeleteFunc", "maps.Insert":
							writes = true
							keep[fd] = true
						}
						if isRegisterServer(fn) {
							concurrent = true
							keep[fd] = true
						}
						if fn.Pkg() == pass.Pkg {
							calls[fd] = append(calls[fd], fn)
						} else if writers[fn.Pkg()] && pass.ImportObjectFact(fn.Origin(), new(writesGlobal)) {
							writes = true
							keep[fd] = true
						}
					}
				case *ast.IndexExpr:
					if isMap(info.TypeOf(n.X)) {
						keep[fd] = true
					}
				case *ast.RangeStmt:
					if isMap(info.TypeOf(n.X)) {
						keep[fd] = true
					}
				case *ast.AssignStmt:
					for _, lhs := range n.Lhs {
						if ix, ok := ast.Unparen(lhs).(*ast.IndexExpr); ok && isMap(info.TypeOf(ix.X)) {
							writes = true
						}
					}
				case *ast.IncDecStmt:
					if ix, ok := ast.Unparen(n.X).(*ast.IndexExpr); ok && isMap(info.TypeOf(ix.X)) {
						writes = true
					}
				case *ast.SelectorExpr:
					// A function used as a value may be registered as a
					// handler.
					skip[n.Sel] = true
					if !callees[n] && funcOf(info, n) != nil {
						keep[fd] = true
					}
				case *ast.Ident:
					if !skip[n] && !callees[n] && funcOf(info, n) != nil {
						keep[fd] = true
					}
				}
				return true
			})
		}
	}
	if !writes || !concurrent {
		return nil
	}
	for changed := true; changed; {
		changed = false
		for fd, callees := range calls {
			if keep[fd] {
				continue
			}
			for _, fn := range callees {
				if d := decls[fn.Origin()]; d != nil && keep[d] {
					keep[fd], changed = true, true
					break
				}
			}
		}
	}
	return keep
}

// funcOf returns the function or method e names, or nil.
func funcOf(info *types.Info, e ast.Expr) *types.Func {
	var id *ast.Ident
	switch e := e.(type) {
	case *ast.Ident:
		id = e
	case *ast.SelectorExpr:
		id = e.Sel
	case *ast.IndexExpr: // an explicit instantiation
		return funcOf(info, e.X)
	case *ast.IndexListExpr:
		return funcOf(info, e.X)
	default:
		return nil
	}
	fn, _ := info.Uses[id].(*types.Func)
	return fn
}

func isBuiltin(info *types.Info, e ast.Expr, names ...string) bool {
	id, ok := e.(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := info.Uses[id].(*types.Builtin)
	if !ok {
		return false
	}
	for _, n := range names {
		if b.Name() == n {
			return true
		}
	}
	return false
}

// isAnalyzerLit reports whether d declares a variable whose value holds an
// analysis.Analyzer literal.
func isAnalyzerLit(info *types.Info, d ast.Decl) bool {
	gd, ok := d.(*ast.GenDecl)
	if !ok {
		return false
	}
	found := false
	ast.Inspect(gd, func(n ast.Node) bool {
		if lit, ok := n.(*ast.CompositeLit); ok && code.IsNamed(info.TypeOf(lit), "golang.org/x/tools/go/analysis", "Analyzer") {
			found = true
		}
		return !found
	})
	return found
}

// isRegisterServer reports whether fn looks like a generated gRPC
// registration: Register...Server(registrar, implementation interface).
func isRegisterServer(fn *types.Func) bool {
	sig := fn.Signature()
	if !strings.HasPrefix(fn.Name(), "Register") || !strings.HasSuffix(fn.Name(), "Server") || sig.Params().Len() != 2 {
		return false
	}
	_, ok := sig.Params().At(1).Type().Underlying().(*types.Interface)
	return ok
}

// packagesWith returns the packages that carry a package fact of the type
// of fact.
func packagesWith(pass *analysis.Pass, fact analysis.Fact) map[*types.Package]bool {
	out := make(map[*types.Package]bool)
	for _, f := range pass.AllPackageFacts() {
		if reflect.TypeOf(f.Fact) == reflect.TypeOf(fact) {
			out[f.Package] = true
		}
	}
	return out
}
