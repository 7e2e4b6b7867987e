package unboundedmap

import (
	_ "embed"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/budget"
	"github.com/mapguard/mapguard/internal/analysis/checkdoc"
	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/lazyssa"
	"github.com/mapguard/mapguard/internal/run/guard"
)

//go:embed doc.go
var doc string

// Analyzer reports package-level maps that gain an entry for every
// distinct request or network input and never lose one.
// The users' text is in doc.go, printed by `mapguard explain unboundedmap`.
var Analyzer = &analysis.Analyzer{
	Name:     "unboundedmap",
	Doc:      checkdoc.Extract(doc, "unboundedmap"),
	URL:      checkdoc.URL("unboundedmap"),
	Requires: []*analysis.Analyzer{lazyssa.Analyzer},
	Run:      guard.Run(run),
}

func run(pass *analysis.Pass) (any, error) {
	vars := candidateVars(pass)
	if len(vars) == 0 || !mayReadInput(pass) {
		return nil, nil
	}
	pkg, funcs := pass.ResultOf[lazyssa.Analyzer].(*lazyssa.SSA).Get()
	all, inits := packageFuncs(pkg, funcs)
	globals := make(map[*ssa.Global]*types.Var)
	for _, v := range vars {
		if g, ok := pkg.Members[v.Name()].(*ssa.Global); ok && g.Object() == v {
			globals[g] = v
		}
	}
	uses := collectUses(all, inits, globals)
	t := newTracer(pass, all, inits)
	var order []*ssa.Global
	for g := range uses {
		order = append(order, g)
	}
	sort.Slice(order, func(i, j int) bool { return order[i].Pos() < order[j].Pos() })
	b := budget.Start(pass)
	for _, g := range order {
		if b.Exceeded() {
			break
		}
		u := uses[g]
		if u.removes || u.measured {
			continue
		}
		checkVar(pass, t, globals[g], u)
	}
	return nil, nil
}

// candidateVars returns the package's unexported package-level variables
// that are a map with keys of an unbounded type, a sync.Map or a *sync.Map.
// Other packages cannot touch an unexported variable, so what this package
// does with it is all that is ever done; an exported one may be evicted
// from elsewhere.
func candidateVars(pass *analysis.Pass) []*types.Var {
	var out []*types.Var
	scope := pass.Pkg.Scope()
	for _, name := range scope.Names() {
		v, ok := scope.Lookup(name).(*types.Var)
		if !ok || v.Exported() || name == "_" {
			continue
		}
		switch t := v.Type().Underlying().(type) {
		case *types.Map:
			if unboundedKey(t.Key()) {
				out = append(out, v)
			}
		default:
			if code.IsSyncMap(v.Type()) {
				out = append(out, v)
			}
		}
	}
	return out
}

// mayReadInput reports whether the package can see input from outside the
// program: it imports net/http, net, bufio or net/textproto. (A request
// handled elsewhere reaches it as a parameter of type *http.Request, which
// needs the net/http import too.)
func mayReadInput(pass *analysis.Pass) bool {
	return code.Imports(pass.Pkg, "net/http", "net", "bufio", "net/textproto")
}

// packageFuncs returns every function of the package with a body (source
// functions and methods, the package initializer and the init functions,
// and all their function literals), and the set of those that run at
// initialization: the initializer and the init functions themselves.
func packageFuncs(pkg *ssa.Package, funcs []*ssa.Function) ([]*ssa.Function, map[*ssa.Function]bool) {
	seen := make(map[*ssa.Function]bool)
	inits := make(map[*ssa.Function]bool)
	var all []*ssa.Function
	var add func(fn *ssa.Function, init bool)
	add = func(fn *ssa.Function, init bool) {
		if fn == nil || seen[fn] {
			return
		}
		seen[fn] = true
		all = append(all, fn)
		if init {
			inits[fn] = true
		}
		// A function literal of an init function runs when it is called:
		// a handler registered at init serves requests later.
		for _, anon := range fn.AnonFuncs {
			add(anon, false)
		}
	}
	var names []string
	for name := range pkg.Members {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if fn, ok := pkg.Members[name].(*ssa.Function); ok {
			add(fn, name == "init" || strings.HasPrefix(name, "init#"))
		}
	}
	for _, fn := range funcs {
		add(fn, false)
	}
	return all, inits
}

// An insert adds an entry to a map or sync.Map.
type insert struct {
	fn  *ssa.Function
	key ssa.Value // the key, before any conversion to an interface
	pos token.Pos // the map index expression's [ or the method call's (
}

// varUses is what the package does with one variable.
type varUses struct {
	inserts  []insert
	reads    []ssa.Value // values read from the map: Lookup results, Load results
	removes  bool        // deletes, clears, replaces, or lets the map escape where that might happen
	measured bool        // len is taken: a size cap may guard the inserts
}

// collectUses classifies every use of the globals in the package's
// functions.
func collectUses(all []*ssa.Function, inits map[*ssa.Function]bool, globals map[*ssa.Global]*types.Var) map[*ssa.Global]*varUses {
	uses := make(map[*ssa.Global]*varUses)
	for g := range globals {
		uses[g] = &varUses{}
	}
	for _, fn := range all {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				for _, op := range instr.Operands(nil) {
					g, ok := (*op).(*ssa.Global)
					if !ok || uses[g] == nil {
						continue
					}
					useGlobal(uses[g], fn, inits[fn], instr, g)
				}
			}
		}
	}
	return uses
}

// useGlobal classifies one instruction that uses the global g.
func useGlobal(u *varUses, fn *ssa.Function, init bool, instr ssa.Instruction, g *ssa.Global) {
	switch instr := instr.(type) {
	case *ssa.DebugRef:
	case *ssa.UnOp:
		if instr.Op != token.MUL {
			u.removes = true
			return
		}
		useValue(u, fn, instr)
	case *ssa.Store:
		// Assigning the variable anywhere but in its initialization
		// replaces the whole map: an eviction. Storing its address lets it
		// escape.
		if instr.Val == g || !init {
			u.removes = true
		}
	case ssa.CallInstruction:
		// Methods of a sync.Map variable take its address as receiver.
		if !syncMapCall(u, fn, instr, g) {
			u.removes = true
		}
	default:
		u.removes = true
	}
}

// useValue classifies the uses of a value loaded from the variable: a map,
// or a *sync.Map for a pointer variable.
func useValue(u *varUses, fn *ssa.Function, load *ssa.UnOp) {
	refs := load.Referrers()
	if refs == nil {
		return
	}
	for _, ref := range *refs {
		switch r := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.Lookup:
			if r.Index == load {
				u.removes = true // a map used as a key: it escapes
				continue
			}
			u.reads = append(u.reads, r)
		case *ssa.Range:
		case *ssa.MapUpdate:
			if r.Map != load {
				u.removes = true
				continue
			}
			u.inserts = append(u.inserts, insert{fn: fn, key: r.Key, pos: r.Pos()})
		case ssa.CallInstruction:
			common := r.Common()
			if b, ok := common.Value.(*ssa.Builtin); ok {
				switch b.Name() {
				case "len":
					u.measured = true
				default: // delete, clear, and anything else
					u.removes = true
				}
				continue
			}
			if !syncMapCall(u, fn, r, load) {
				u.removes = true
			}
		default:
			u.removes = true // stored, passed on, converted: it escapes
		}
	}
}

// syncMapCall classifies a call whose receiver is the sync.Map recv, and
// reports whether it was one: a method of sync.Map with recv as receiver
// and nowhere else.
func syncMapCall(u *varUses, fn *ssa.Function, call ssa.CallInstruction, recv ssa.Value) bool {
	common := call.Common()
	if len(common.Args) == 0 || common.Args[0] != recv {
		return false
	}
	for _, a := range common.Args[1:] {
		if a == recv {
			return false
		}
	}
	name := code.FuncName(common)
	method, ok := strings.CutPrefix(name, "(*sync.Map).")
	if !ok {
		return false
	}
	switch method {
	case "Store", "LoadOrStore", "Swap":
		if len(common.Args) > 1 {
			u.inserts = append(u.inserts, insert{fn: fn, key: unbox(common.Args[1]), pos: call.Pos()})
		}
		if c, ok := call.(*ssa.Call); ok && method == "LoadOrStore" {
			u.reads = append(u.reads, c)
		}
	case "Load":
		if c, ok := call.(*ssa.Call); ok {
			u.reads = append(u.reads, c)
		}
	case "Range", "CompareAndSwap":
	default: // Delete, LoadAndDelete, CompareAndDelete, Clear
		u.removes = true
	}
	return true
}

// unbox returns the value converted to an interface by v, or v.
func unbox(v ssa.Value) ssa.Value {
	switch x := v.(type) {
	case *ssa.MakeInterface:
		return x.X
	case *ssa.ChangeInterface:
		return x.X
	}
	return v
}

// memoizes reports whether fn returns a value it read from the map (one of
// reads): the shape of a memo, get or compute, as opposed to a registry
// that only records what it is given.
func memoizes(fn *ssa.Function, reads []ssa.Value) bool {
	for _, r := range reads {
		if r.Parent() == fn && reachesReturn(r, 0) {
			return true
		}
	}
	return false
}

// maxReturnDepth bounds the steps reachesReturn follows from a value.
const maxReturnDepth = 12

// reachesReturn reports whether v flows to a return of its function,
// through extraction, conversions, phis and the result variables of a
// function with a defer.
func reachesReturn(v ssa.Value, depth int) bool {
	refs := v.Referrers()
	if refs == nil || depth > maxReturnDepth {
		return false
	}
	for _, ref := range *refs {
		switch r := ref.(type) {
		case *ssa.Return:
			return true
		case *ssa.Store:
			if alloc, ok := r.Addr.(*ssa.Alloc); ok && r.Val == v {
				for _, use := range *alloc.Referrers() {
					if load, ok := use.(*ssa.UnOp); ok && load.Op == token.MUL && reachesReturn(load, depth+1) {
						return true
					}
				}
			}
		case *ssa.Extract, *ssa.TypeAssert, *ssa.ChangeType, *ssa.MakeInterface,
			*ssa.ChangeInterface, *ssa.Convert, *ssa.Phi:
			if reachesReturn(r.(ssa.Value), depth+1) {
				return true
			}
		}
	}
	return false
}
