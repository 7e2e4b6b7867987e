package maprace

import (
	"go/ast"
	"go/types"
	"maps"
	"reflect"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/graph"
)

// candidates decides from syntax and types alone which function
// declarations need SSA: nil when the package writes no map or has no
// concurrent context at all; otherwise the functions that may start or
// register a context (go statements, callbacks, handler values, t.Run,
// gRPC registrations), the contexts' own functions, and every function of
// the package these refer to, transitively.
func candidates(pass *analysis.Pass, ws writers) map[*ast.FuncDecl]bool {
	info := pass.TypesInfo
	decls := make(map[*types.Func]*ast.FuncDecl)
	refs := make(map[*ast.FuncDecl][]*types.Func) // functions of the package each one calls or refers to
	roots := make(map[*ast.FuncDecl]bool)
	var extra []*types.Func // contexts named elsewhere: analyzer Runs, gRPC methods
	writes := false
	scan := func(n ast.Node, fd *ast.FuncDecl) {
		callees := make(map[ast.Expr]bool)
		skip := make(map[*ast.Ident]bool)
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GoStmt:
				roots[fd] = true
			case *ast.FuncLit:
				if isHandlerSig(info.TypeOf(n)) {
					roots[fd] = true
				}
			case *ast.CompositeLit:
				if run := runOfAnalyzer(info, n); run != nil {
					extra = append(extra, run)
				}
			case *ast.CallExpr:
				fun := ast.Unparen(n.Fun)
				callees[fun] = true
				if isBuiltin(info, fun, "delete", "clear") {
					writes = true
				}
				fn := funcOf(info, fun)
				if fn == nil {
					break
				}
				if interesting[fn.Name()] { // FullName builds a string: only for these
					switch fn.FullName() {
					case "time.AfterFunc", "(*sync.WaitGroup).Go", "(*golang.org/x/sync/errgroup.Group).Go",
						"(*golang.org/x/sync/errgroup.Group).TryGo", "(*testing.T).Run":
						roots[fd] = true
					case "maps.Copy", "maps.DeleteFunc", "maps.Insert":
						writes = true
					}
				}
				switch {
				case isRegisterServer(fn) && len(n.Args) == 2:
					roots[fd] = true
					extra = append(extra, methodsOf(info.TypeOf(n.Args[1]))...)
				case fn.Pkg() == pass.Pkg:
					refs[fd] = append(refs[fd], fn)
				case ws[fn.Origin()] != nil:
					writes = true
				}
			case *ast.AssignStmt:
				for _, lhs := range n.Lhs {
					if ix, ok := ast.Unparen(lhs).(*ast.IndexExpr); ok && code.IsMapOrMapParam(info.TypeOf(ix.X)) {
						writes = true
					}
				}
			case *ast.IncDecStmt:
				if ix, ok := ast.Unparen(n.X).(*ast.IndexExpr); ok && code.IsMapOrMapParam(info.TypeOf(ix.X)) {
					writes = true
				}
			case *ast.SelectorExpr:
				skip[n.Sel] = true
				if !callees[n] {
					funcValue(info, pass.Pkg, n, fd, refs, roots)
				}
			case *ast.Ident:
				if !skip[n] && !callees[n] {
					funcValue(info, pass.Pkg, n, fd, refs, roots)
				}
			}
			return true
		})
	}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				scan(d, nil) // analyzer literals of package-level variables
				continue
			}
			if fd.Body == nil {
				continue
			}
			if obj, ok := info.Defs[fd.Name].(*types.Func); ok {
				decls[obj] = fd
				if isHandlerSig(stripRecv(obj.Signature())) {
					roots[fd] = true
				}
			}
			scan(fd.Body, fd)
		}
	}
	for _, fn := range extra {
		if d := decls[fn]; d != nil {
			roots[d] = true
		}
	}
	delete(roots, nil)
	if !writes || len(roots) == 0 {
		return nil
	}
	// Everything the roots refer to, transitively.
	return graph.Reach(maps.Keys(roots), func(fd *ast.FuncDecl, add func(*ast.FuncDecl)) {
		for _, fn := range refs[fd] {
			if d := decls[fn.Origin()]; d != nil {
				add(d)
			}
		}
	})
}

// funcValue notes a function of the package used as a value in fd (it may
// be started or registered), and makes fd a root when the value is an
// HTTP handler.
func funcValue(info *types.Info, pkg *types.Package, e ast.Expr, fd *ast.FuncDecl, refs map[*ast.FuncDecl][]*types.Func, roots map[*ast.FuncDecl]bool) {
	if fd == nil {
		return
	}
	fn := funcOf(info, e)
	if fn == nil {
		return
	}
	if fn.Pkg() == pkg {
		refs[fd] = append(refs[fd], fn)
	}
	if fn.Signature().Params().Len() == 2 && isHandlerSig(info.TypeOf(e)) {
		roots[fd] = true
	}
}

// interesting are the names of the functions candidates looks for by
// full name.
var interesting = map[string]bool{
	"AfterFunc": true, "Go": true, "TryGo": true, "Run": true,
	"Copy": true, "DeleteFunc": true, "Insert": true,
}

// runOfAnalyzer returns the function an analysis.Analyzer literal names as
// its Run, or nil.
func runOfAnalyzer(info *types.Info, lit *ast.CompositeLit) *types.Func {
	if !code.IsNamed(info.TypeOf(lit), "golang.org/x/tools/go/analysis", "Analyzer") {
		return nil
	}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if key, ok := kv.Key.(*ast.Ident); ok && key.Name == "Run" {
			return funcOf(info, ast.Unparen(kv.Value))
		}
	}
	return nil
}

// methodsOf returns the methods of t's method set (t or *t).
func methodsOf(t types.Type) []*types.Func {
	if t == nil {
		return nil
	}
	var out []*types.Func
	ms := types.NewMethodSet(t)
	for i := range ms.Len() {
		if fn, ok := ms.At(i).Obj().(*types.Func); ok {
			out = append(out, fn)
		}
	}
	return out
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
