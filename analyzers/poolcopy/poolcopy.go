package poolcopy

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/budget"
	"github.com/mapguard/mapguard/internal/analysis/checkdoc"
	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/fieldpath"
	"github.com/mapguard/mapguard/internal/analysis/lazyssa"
	"github.com/mapguard/mapguard/internal/analysis/scope"
	"github.com/mapguard/mapguard/internal/run/guard"
)

//go:embed doc.go
var doc string

// Analyzer reports locks, pools and atomic values used through a copy of
// the stored one.
// The users' text is in doc.go, printed by `mapguard explain poolcopy`.
var Analyzer = &analysis.Analyzer{
	Name:      "poolcopy",
	Doc:       checkdoc.Extract(doc, "poolcopy"),
	URL:       checkdoc.URL("poolcopy"),
	Requires:  []*analysis.Analyzer{lazyssa.Analyzer},
	FactTypes: []analysis.Fact{new(copiesOut)},
	Run:       guard.Run(run),
}

// WithCopylocks is the name of the flag that says go vet's copylocks runs
// in the same pass.
const WithCopylocks = "withcopylocks"

// withCopylocks leaves to copylocks the copies it reports.
var withCopylocks bool

func init() {
	Analyzer.Flags.BoolVar(&withCopylocks, WithCopylocks, false,
		"go vet's copylocks runs in the same pass: leave it the copies it reports")
}

// copiesOut is the fact that a function returns, at the given result
// indices, copies of data that it leaves stored (a map entry, an element, a
// field, the value in a sync.Map), and removes nothing.
type copiesOut struct {
	Results []int
}

func (*copiesOut) AFact() {}

func (f *copiesOut) String() string {
	parts := make([]string, len(f.Results))
	for i, r := range f.Results {
		parts[i] = strconv.Itoa(r)
	}
	return "copiesOut(" + strings.Join(parts, ",") + ")"
}

type checker struct {
	pass             *analysis.Pass
	leaveToCopylocks bool // copylocks runs too: skip the copies it reports
	summaries        map[*ssa.Function]*summary
	sites            map[token.Pos]*site // by the position of the variable assigned
	calls            *code.Calls
}

func run(pass *analysis.Pass) (any, error) {
	exports := exportCandidates(pass)
	var sites map[token.Pos]*site
	if mayCopyState(pass) && !scope.FactsOnly() {
		sites = findSites(pass, withCopylocks)
	}
	if len(exports) == 0 && len(sites) == 0 {
		return nil, nil
	}
	pkg, funcs := pass.ResultOf[lazyssa.Analyzer].(*lazyssa.SSA).Get()
	c := &checker{pass: pass, summaries: make(map[*ssa.Function]*summary), sites: sites, calls: code.NewCalls(pass.Files), leaveToCopylocks: withCopylocks}
	for _, obj := range exports {
		fn := pkg.Prog.FuncValue(obj)
		if fn == nil {
			continue
		}
		if results := c.returnedCopies(fn); len(results) > 0 {
			pass.ExportObjectFact(obj, &copiesOut{Results: results})
		}
	}
	if len(sites) == 0 {
		return nil, nil
	}
	done := make(map[*ssa.Alloc]bool)
	for fn, u := range budget.Funcs(pass, funcs) {
	blocks:
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				store, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				if u.Exceeded() {
					break blocks
				}
				alloc, ok := store.Addr.(*ssa.Alloc)
				if !ok || done[alloc] || sites[store.Pos()] == nil {
					continue
				}
				done[alloc] = true
				c.checkVar(alloc)
			}
		}
	}
	return nil, nil
}

// exportCandidates returns the exported functions and methods of the
// package whose results can carry a copy of a lock or atomic value: the
// ones other packages may need a copiesOut fact about. Looking at
// signatures only, it is cheap on every dependency.
func exportCandidates(pass *analysis.Pass) []*types.Func {
	var out []*types.Func
	consider := func(fn *types.Func) {
		if !fn.Exported() {
			return
		}
		results := fn.Signature().Results()
		for i := range results.Len() {
			if returnsUnseen(results.At(i).Type()) {
				out = append(out, fn)
				return
			}
		}
	}
	scope := pass.Pkg.Scope()
	for _, name := range scope.Names() {
		switch obj := scope.Lookup(name).(type) {
		case *types.Func:
			consider(obj)
		case *types.TypeName:
			if obj.IsAlias() {
				continue
			}
			named, ok := obj.Type().(*types.Named)
			if !ok || types.IsInterface(named) {
				continue
			}
			for i := range named.NumMethods() {
				consider(named.Method(i))
			}
		}
	}
	return out
}

// mayCopyState reports whether the package declares a local variable that
// holds a lock or an atomic value by value: without one, no copy of such a
// value can be used by a method call. It reads only the type checker's
// definitions.
func mayCopyState(pass *analysis.Pass) bool {
	scope := pass.Pkg.Scope()
	memo := make(map[types.Type]bool)
	holds := func(obj types.Object) bool {
		v, ok := obj.(*types.Var)
		if !ok || v.IsField() || v.Parent() == scope || v.Parent() == nil {
			return false
		}
		t := v.Type()
		h, seen := memo[t]
		if !seen {
			h = holdsState(t)
			memo[t] = h
		}
		return h
	}
	for _, obj := range pass.TypesInfo.Defs {
		if obj != nil && holds(obj) {
			return true
		}
	}
	for _, obj := range pass.TypesInfo.Implicits {
		if holds(obj) {
			return true
		}
	}
	return false
}

// A site is a statement that gives a local variable a value that may be a
// copy of stored data, and that go vet's copylocks does not report.
type site struct {
	stmt       ast.Node // *ast.AssignStmt, *ast.ValueSpec, *ast.RangeStmt or *ast.TypeSwitchStmt
	lhs        *ast.Ident
	rhs        ast.Expr // the expression whose value is copied (for a type switch, the x of x.(type))
	define     bool     // the statement declares the variable with :=
	typeSwitch bool
}

// findSites indexes the statements that may copy stored locks or atomic
// values into local variables, by the position of the variable (which is
// the position go/ssa gives the store). With leave, copies that copylocks
// reports (any copy of a lock but a call result or a type switch binding)
// are left out.
func findSites(pass *analysis.Pass, leave bool) map[token.Pos]*site {
	sites := make(map[token.Pos]*site)
	scope := pass.Pkg.Scope()
	localVar := func(id *ast.Ident) (*types.Var, bool) {
		obj := pass.TypesInfo.Defs[id]
		if obj == nil {
			obj = pass.TypesInfo.Uses[id]
		}
		v, ok := obj.(*types.Var)
		if !ok || v.IsField() || v.Parent() == scope || v.Parent() == nil {
			return nil, false
		}
		return v, holdsState(v.Type())
	}
	// copylocks reports every copy of a lock but these.
	unseen := func(t types.Type, rhs ast.Expr) bool {
		if !leave || !copylocksSees(t) {
			return true
		}
		_, isCall := ast.Unparen(rhs).(*ast.CallExpr)
		return isCall
	}
	add := func(s *site) {
		if _, fresh := ast.Unparen(s.rhs).(*ast.CompositeLit); !fresh {
			sites[s.lhs.Pos()] = s
		}
	}
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					id, ok := lhs.(*ast.Ident)
					if !ok || id.Name == "_" {
						continue
					}
					v, holds := localVar(id)
					if !holds {
						continue
					}
					rhs := n.Rhs[0]
					if len(n.Rhs) == len(n.Lhs) {
						rhs = n.Rhs[i]
					}
					if unseen(v.Type(), rhs) {
						add(&site{stmt: n, lhs: id, rhs: rhs, define: n.Tok == token.DEFINE && pass.TypesInfo.Defs[id] != nil})
					}
				}
			case *ast.ValueSpec:
				for i, id := range n.Names {
					v, holds := localVar(id)
					if !holds || len(n.Values) == 0 {
						continue
					}
					rhs := n.Values[0]
					if len(n.Values) == len(n.Names) {
						rhs = n.Values[i]
					}
					if unseen(v.Type(), rhs) {
						add(&site{stmt: n, lhs: id, rhs: rhs})
					}
				}
			case *ast.RangeStmt:
				for _, e := range []ast.Expr{n.Key, n.Value} {
					id, ok := e.(*ast.Ident)
					if !ok || id.Name == "_" {
						continue
					}
					if v, holds := localVar(id); holds && (!leave || !copylocksSees(v.Type())) {
						add(&site{stmt: n, lhs: id, rhs: n.X})
					}
				}
			case *ast.TypeSwitchStmt:
				assign, ok := n.Assign.(*ast.AssignStmt)
				if !ok || len(assign.Lhs) != 1 || len(assign.Rhs) != 1 {
					return true
				}
				id, ok := assign.Lhs[0].(*ast.Ident)
				guard, isGuard := assign.Rhs[0].(*ast.TypeAssertExpr)
				if !ok || !isGuard {
					return true
				}
				guarded := guard.X
				for _, clause := range n.Body.List {
					obj, ok := pass.TypesInfo.Implicits[clause].(*types.Var)
					if ok && holdsState(obj.Type()) {
						add(&site{stmt: n, lhs: id, rhs: guarded, typeSwitch: true})
						break
					}
				}
			}
			return true
		})
	}
	return sites
}

// A use is a call of a method of a lock or atomic value on the copy.
type use struct {
	call  ssa.CallInstruction
	kind  *kind
	recv  types.Type     // the lock or atomic type
	name  string         // the method
	path  fieldpath.Path // the fields and elements from the variable to the receiver
	write bool           // the method is one whose effect the copy loses
}

// checkVar reports the local variable alloc when every value assigned to it
// is a copy of stored data and a method that changes a lock or atomic value
// in it is called on it, while nothing else reads it whole or takes its
// address: the changes then reach neither the stored original nor anyone
// else.
func (c *checker) checkVar(alloc *ssa.Alloc) {
	var stores []*ssa.Store
	for _, ref := range *alloc.Referrers() {
		if s, ok := ref.(*ssa.Store); ok && s.Addr == alloc {
			stores = append(stores, s)
		}
	}
	if len(stores) == 0 {
		return
	}
	type copied struct {
		copy
		site *site
	}
	var copies []copied
	for _, s := range stores {
		st := c.sites[s.Pos()]
		if st == nil {
			return // a value from a statement the check does not follow
		}
		cp, ok := c.copyOf(s.Val, 0)
		if !ok {
			return
		}
		copies = append(copies, copied{cp, st})
	}
	uses, ok := c.usesOf(alloc, true, nil, 0)
	if !ok {
		return
	}
	var first *use
	for i := range uses {
		u := &uses[i]
		if u.write && (first == nil || u.call.Pos() < first.call.Pos()) {
			first = u
		}
	}
	if first == nil {
		return
	}
	t := alloc.Type().(*types.Pointer).Elem()
	lock := c.leaveToCopylocks && copylocksSees(t)
	for _, cp := range copies {
		if lock && !c.unseenByCopylocks(cp.copy, cp.site) {
			return
		}
	}
	sort.Slice(copies, func(i, j int) bool { return copies[i].site.lhs.Pos() < copies[j].site.lhs.Pos() })
	c.report(t, copies[0].copy, copies[0].site, first, uses, len(stores) == 1)
}

// unseenByCopylocks reports whether copylocks misses this copy of a lock:
// the result of a generic function whose generic result type holds no lock
// (copylocks skips call results, and the copy inside the generic body has a
// type parameter's type), or the binding of a type switch case (whose
// implicit assignment copylocks does not inspect).
func (c *checker) unseenByCopylocks(cp copy, st *site) bool {
	switch cp.origin {
	case fromCall:
		results := cp.callee.Signature.Results()
		return cp.callee.TypeParams().Len() > 0 && cp.result < results.Len() &&
			!copylocksSees(results.At(cp.result).Type())
	case fromIface:
		return st.typeSwitch
	}
	return false
}

// usesOf walks the uses of the address addr (the variable, a field or an
// element of it, or a closure's captured reference to it) and returns the
// method calls on its lock and atomic parts; ok is false when the copy is
// read whole, stored, passed on or otherwise escapes, or is assigned inside
// a closure.
func (c *checker) usesOf(addr ssa.Value, root bool, path fieldpath.Path, depth int) (uses []use, ok bool) {
	if depth > maxDepth {
		return nil, false
	}
	refs := addr.Referrers()
	if refs == nil {
		return nil, true
	}
	pointee := addr.Type().Underlying().(*types.Pointer).Elem()
	for _, ref := range *refs {
		switch r := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			switch {
			case r.Val == addr:
				return nil, false // the address is kept somewhere
			case root:
				// The assignments to the variable, which checkVar checks.
			case holdsState(pointee):
				return nil, false // a new lock or atomic value, not the copy
			}
		case *ssa.UnOp:
			if r.Op != token.MUL || root || holdsState(pointee) {
				return nil, false // the copy is copied again
			}
		case *ssa.FieldAddr:
			more, ok := c.usesOf(r, false, path.Append(r.Field), depth+1)
			if !ok {
				return nil, false
			}
			uses = append(uses, more...)
		case *ssa.IndexAddr:
			more, ok := c.usesOf(r, false, path.Append(fieldpath.AnyIndex), depth+1)
			if !ok {
				return nil, false
			}
			uses = append(uses, more...)
		case *ssa.MakeClosure:
			for i, b := range r.Bindings {
				if b != addr {
					continue
				}
				fn, isFn := r.Fn.(*ssa.Function)
				if !isFn || i >= len(fn.FreeVars) {
					return nil, false
				}
				more, ok := c.usesOf(fn.FreeVars[i], false, path, depth+1)
				if !ok {
					return nil, false
				}
				uses = append(uses, more...)
			}
		case ssa.CallInstruction:
			u, ok := methodUse(r, addr)
			if !ok {
				return nil, false
			}
			u.path = path
			uses = append(uses, u)
		default:
			return nil, false
		}
	}
	return uses, true
}

// methodUse returns the use when call calls a method of a lock or atomic
// type with addr as its receiver and nowhere else.
func methodUse(call ssa.CallInstruction, addr ssa.Value) (use, bool) {
	common := call.Common()
	fn := code.Callee(common)
	if fn == nil || len(common.Args) == 0 || common.Args[0] != addr {
		return use{}, false
	}
	for _, a := range common.Args[1:] {
		if a == addr {
			return use{}, false
		}
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return use{}, false
	}
	k, recv := stateMethod(obj)
	if k == nil {
		return use{}, false
	}
	return use{call: call, kind: k, recv: recv, name: obj.Name(), write: k.uses[obj.Name()]}, true
}
