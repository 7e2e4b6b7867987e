package lostwrite

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/budget"
	"github.com/mapguard/mapguard/internal/analysis/checkdoc"
	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/copies"
	"github.com/mapguard/mapguard/internal/analysis/fieldpath"
	"github.com/mapguard/mapguard/internal/analysis/lazyssa"
	"github.com/mapguard/mapguard/internal/analysis/limits"
	"github.com/mapguard/mapguard/internal/analysis/mutators"
	"github.com/mapguard/mapguard/internal/run/guard"
)

//go:embed doc.go
var doc string

// Analyzer reports updates that reach a copy of a map, slice or sync.Map
// value instead of the value itself.
// The users' text is in doc.go, printed by `mapguard explain lostwrite`.
var Analyzer = &analysis.Analyzer{
	Name:     "lostwrite",
	Doc:      checkdoc.Extract(doc, "lostwrite"),
	URL:      checkdoc.URL("lostwrite"),
	Requires: []*analysis.Analyzer{lazyssa.Analyzer, mutators.Analyzer},
	Run:      guard.Run(run),
}

type checker struct {
	pass    *analysis.Pass
	methods *mutators.Methods
	memo    *copyMemo    // of the copy being checked
	budget  *budget.Func // of the function being checked
}

// copyMemo holds what checking one copy asks about it again for each of its
// writes. Computed once per copy, it keeps a function with thousands of
// writes to one copy (generated code) linear in them instead of quadratic.
type copyMemo struct {
	writes  map[string][]copies.Access  // writes to each part, by pathKey
	mapLine map[int]bool                // lines that assign a map field
	updates map[ssa.Instruction]updates // updatesOnly's answers, by read
}

type updates struct {
	fed []copies.Access
	ok  bool
}

// pathKey identifies a part for fieldpath.Equal: paths through any array
// element equal nothing and get no key.
func pathKey(p fieldpath.Path) (string, bool) {
	if slices.Contains(p, fieldpath.AnyIndex) {
		return "", false
	}
	return fmt.Sprint([]int(p)), true
}

func (c *checker) newMemo(cp *copies.Copy) *copyMemo {
	m := &copyMemo{
		writes:  make(map[string][]copies.Access),
		mapLine: make(map[int]bool),
		updates: make(map[ssa.Instruction]updates),
	}
	for _, a := range cp.Accesses() {
		if a.Op != copies.Write {
			continue
		}
		if k, ok := pathKey(a.Path); ok {
			m.writes[k] = append(m.writes[k], a)
		}
		if len(a.Path) > 0 && code.IsMap(cp.TypeOf(a.Path)) {
			m.mapLine[c.pass.Fset.Position(a.Instr.Pos()).Line] = true
		}
	}
	return m
}

func run(pass *analysis.Pass) (any, error) {
	keep := candidateFuncs(pass)
	if len(keep) == 0 {
		return nil, nil
	}
	funcs := pass.ResultOf[lazyssa.Analyzer].(*lazyssa.SSA).Partial(func(fd *ast.FuncDecl) bool { return keep[fd] })
	c := &checker{pass: pass, methods: pass.ResultOf[mutators.Analyzer].(*mutators.Methods)}
	for fn, u := range budget.Funcs(pass, funcs) {
		c.budget = u
		for _, cp := range copies.Find(fn) {
			if c.budget.Exceeded() {
				break
			}
			c.checkCopy(cp)
		}
		if !c.budget.Exceeded() {
			c.checkLoadOrStore(fn)
		}
	}
	return nil, nil
}

// candidateFuncs returns the function declarations that write a field of a
// variable that may be a copy (see copies.Candidates), call a pointer method
// on one, or call LoadOrStore: the only statements this check can report.
// Only they need SSA.
func candidateFuncs(pass *analysis.Pass) map[*ast.FuncDecl]bool {
	info := pass.TypesInfo
	var candidates map[types.Object]bool // computed on first need
	onCopy := func(e ast.Expr) bool {
		id := copies.RootIdent(e)
		if id == nil {
			return false
		}
		if candidates == nil {
			candidates = copies.Candidates(info, pass.Files)
		}
		return candidates[info.ObjectOf(id)]
	}
	keep := make(map[*ast.FuncDecl]bool)
	calleeNeeded := make(map[types.Object]bool)
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			found := false
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					for _, l := range n.Lhs {
						switch l.(type) {
						case *ast.SelectorExpr, *ast.IndexExpr:
							found = found || onCopy(l)
						}
					}
				case *ast.IncDecStmt:
					found = found || onCopy(n.X)
				case *ast.CallExpr:
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
						if sel.Sel.Name == "LoadOrStore" {
							found = true
						} else if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
							if fn, ok := s.Obj().(*types.Func); ok && code.HasPointerReceiver(fn) && onCopy(sel.X) {
								found = true
							}
						}
					}
				}
				return !found
			})
			if found {
				keep[fd] = true
				for _, fn := range takesFuncLit(info, pass.Pkg, fd) {
					calleeNeeded[fn] = true
				}
			}
		}
	}
	// A closure capturing a copy is followed into a callee of this
	// package that it is passed to: that callee's body is needed too.
	if len(calleeNeeded) > 0 {
		for _, f := range pass.Files {
			for _, decl := range f.Decls {
				if fd, ok := decl.(*ast.FuncDecl); ok && fd.Body != nil && calleeNeeded[info.Defs[fd.Name]] {
					keep[fd] = true
				}
			}
		}
	}
	return keep
}

// takesFuncLit returns the functions of this package that fd calls with a
// function literal argument.
func takesFuncLit(info *types.Info, pkg *types.Package, fd *ast.FuncDecl) []types.Object {
	var out []types.Object
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || !slices.ContainsFunc(call.Args, func(a ast.Expr) bool { _, ok := a.(*ast.FuncLit); return ok }) {
			return true
		}
		var id *ast.Ident
		switch f := ast.Unparen(call.Fun).(type) {
		case *ast.Ident:
			id = f
		case *ast.IndexExpr: // an explicit instantiation
			id, _ = f.X.(*ast.Ident)
		case *ast.IndexListExpr:
			id, _ = f.X.(*ast.Ident)
		}
		if id != nil {
			if fn, ok := info.Uses[id].(*types.Func); ok && fn.Pkg() == pkg {
				out = append(out, fn)
			}
		}
		return true
	})
	return out
}

// A lost write is a write to a copy (or a mutating pointer-method call on
// it) that nothing reads before the copy is dropped.
type lost struct {
	access copies.Access
	method *types.Func // for a pointer-method call
}

// checkCopy reports the first write to cp that is lost.
func (c *checker) checkCopy(cp *copies.Copy) {
	c.memo = c.newMemo(cp)
	var found []lost
	for _, a := range cp.Accesses() {
		if c.budget.Exceeded() {
			return // what was found so far may not be the first loss
		}
		var method *types.Func
		switch a.Op {
		case copies.Write:
			// The whole variable's stores are its definitions (or a
			// plain dead store); map fields belong to mapcopy.
			if len(a.Path) == 0 || code.IsMap(cp.TypeOf(a.Path)) || a.Instr == cp.Init || restores(cp, a) {
				continue
			}
		case copies.Method:
			method = a.Callee()
			if method == nil || !c.methods.Mutates(method) || !onlyForReceiver(a.Instr.(*ssa.Call)) {
				continue
			}
		default:
			continue
		}
		if c.isLost(cp, a) {
			found = append(found, lost{a, method})
		}
	}
	if len(found) == 0 {
		return
	}
	slices.SortFunc(found, func(x, y lost) int { return int(x.access.Instr.Pos() - y.access.Instr.Pos()) })
	for _, l := range found {
		if c.report(cp, l) {
			return
		}
	}
}

// isLost reports whether what a writes into part of cp is never observed:
// nothing reads that part or passes the copy on afterwards, and on some path
// the copy dies with it.
func (c *checker) isLost(cp *copies.Copy, a copies.Access) bool {
	if cp.Leaked() || cp.KeptByMethod(c.methods) || c.mapWriteOnLine(a) || cp.ReleasesAfterUse(a) {
		return false
	}
	return c.unobserved(cp, a, make(map[ssa.Instruction]bool))
}

// unobserved reports whether what a writes is never observed: the copy dies
// on some path, and every later read of the part is an update of it (the
// load in v.Hits++) whose own result is unobserved in turn (depth++ read back
// by a later depth--; depth < 0 is observed). visiting holds the writes
// being decided, so that an update in a loop does not depend on itself.
func (c *checker) unobserved(cp *copies.Copy, a copies.Access, visiting map[ssa.Instruction]bool) bool {
	if c.budget.Exceeded() {
		return false // undecided: not reported
	}
	visiting[a.Instr] = true
	fate := cp.After(a.Instr, a.Path)
	if !fate.Dies {
		return false
	}
	for _, l := range fate.Later {
		if !fieldpath.Overlap(l.Path, a.Path) {
			continue
		}
		switch l.Op {
		case copies.Read:
			updates, ok := c.updatesOnly(l)
			if !ok {
				return false
			}
			for _, u := range updates {
				if !visiting[u.Instr] && !c.unobserved(cp, u, visiting) {
					return false
				}
			}
		case copies.Method, copies.Leak, copies.Captured:
			return false
		}
	}
	return true
}

// restores reports whether the write w puts back the value the same part of
// the copy held before (old := ctx.Context; ...; ctx.Context = old): it
// undoes a change made to the copy, and the original never saw either.
func restores(cp *copies.Copy, w copies.Access) bool {
	st, ok := w.Instr.(*ssa.Store)
	if !ok {
		return false
	}
	for _, a := range cp.Accesses() {
		if v, ok := a.Instr.(ssa.Value); ok && a.Op == copies.Read && fieldpath.Equal(a.Path, w.Path) && v == st.Val {
			return true
		}
	}
	return false
}

// onlyForReceiver reports whether a method call can matter only for what it
// does to its receiver: its results are unused, and it is given no pointer,
// slice, map, channel, function or interface through which it could have
// other effects (h.fixLen(msg, ...) writes msg; its update of h may be a
// detail).
func onlyForReceiver(call *ssa.Call) bool {
	if len(code.Referrers(call)) > 0 {
		return false
	}
	for _, arg := range call.Call.Args[1:] {
		switch arg.Type().Underlying().(type) {
		case *types.Basic, *types.Struct, *types.Array:
		default:
			return false
		}
	}
	return true
}

// mapWriteOnLine reports whether the line of a also assigns a map field of
// cp: mapcopy reports that line, and one finding per line is enough.
func (c *checker) mapWriteOnLine(a copies.Access) bool {
	return c.memo.mapLine[c.pass.Fset.Position(a.Instr.Pos()).Line]
}

// updatesOnly reports whether the read r only computes a new value for the
// same part of the copy: the load of v.Hits in v.Hits++, or of acc.Sum in
// acc.Sum += x inside a loop. Such a read makes the earlier write observable
// only if the writes it feeds, which it returns, are observed.
func (c *checker) updatesOnly(r copies.Access) ([]copies.Access, bool) {
	if u, ok := c.memo.updates[r.Instr]; ok {
		return u.fed, u.ok
	}
	fed, ok := c.memo.updatesOnly(r)
	c.memo.updates[r.Instr] = updates{fed, ok}
	return fed, ok
}

func (m *copyMemo) updatesOnly(r copies.Access) ([]copies.Access, bool) {
	stores := make(map[ssa.Instruction]copies.Access)
	if k, ok := pathKey(r.Path); ok {
		for _, a := range m.writes[k] {
			stores[a.Instr] = a
		}
	}
	var fed []copies.Access
	seen := 0
	var follow func(v ssa.Value) bool
	follow = func(v ssa.Value) bool {
		if seen++; seen > limits.FeedSteps {
			return false
		}
		for _, ref := range code.Referrers(v) {
			switch ref := ref.(type) {
			case *ssa.BinOp:
				if !follow(ref) {
					return false
				}
			case *ssa.UnOp:
				if ref.Op == token.MUL || ref.Op == token.ARROW || !follow(ref) {
					return false
				}
			case *ssa.Convert:
				if !follow(ref) {
					return false
				}
			case *ssa.Store:
				w, ok := stores[ref]
				if !ok || ref.Val != v {
					return false
				}
				fed = append(fed, w)
			default:
				return false
			}
		}
		return true
	}
	v, ok := r.Instr.(ssa.Value)
	if !ok || !follow(v) {
		return nil, false
	}
	return fed, true
}
