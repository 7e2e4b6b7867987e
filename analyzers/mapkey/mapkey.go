package mapkey

import (
	_ "embed"
	"fmt"
	"go/ast"
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
	"github.com/mapguard/mapguard/internal/analysis/scope"
	"github.com/mapguard/mapguard/internal/analysis/wrappers"
	"github.com/mapguard/mapguard/internal/run/guard"
)

//go:embed doc.go
var doc string

// Analyzer reports map and sync.Map keys that panic (unhashable dynamic
// types) or never match (NaN).
// The users' text is in doc.go, printed by `mapguard explain mapkey`.
var Analyzer = &analysis.Analyzer{
	Name:      "mapkey",
	Doc:       checkdoc.Extract(doc, "mapkey"),
	URL:       checkdoc.URL("mapkey"),
	Requires:  []*analysis.Analyzer{lazyssa.Analyzer},
	FactTypes: []analysis.Fact{new(hashesParams), new(hasHashers)},
	Run:       guard.Run(run),
}

// hashesParams is the fact that a function uses some of its parameters as
// map keys, directly or through other such functions.
type hashesParams struct {
	Params []hashedParam
}

type hashedParam struct {
	Index int    // index in the SSA parameters (receiver first)
	Op    string // "insert", "lookup" or "delete", for messages
}

func (*hashesParams) AFact() {}

func (f *hashesParams) String() string {
	var parts []string
	for _, p := range f.Params {
		parts = append(parts, fmt.Sprintf("%d %s", p.Index, p.Op))
	}
	return "hashes(" + strings.Join(parts, ", ") + ")"
}

// hasHashers is the package fact that a package exports functions carrying
// hashesParams.
type hasHashers struct{}

func (*hasHashers) AFact()         {}
func (*hasHashers) String() string { return "hasHashers" }

// maxDepth bounds every walk over values.
const maxDepth = 16

// harm ranks what an operation does with a bad key, for the message: an
// insert of a NaN leaks an entry; a delete leaves one; a lookup only misses.
var harm = map[string]int{"lookup": 0, "delete": 1, "insert": 2}

// keyMethods are the sync.Map methods taking a key, and what they do with it.
var keyMethods = map[string]string{
	"Load":             "lookup",
	"Store":            "insert",
	"LoadOrStore":      "insert",
	"LoadAndDelete":    "delete",
	"Delete":           "delete",
	"Swap":             "insert",
	"CompareAndSwap":   "lookup",
	"CompareAndDelete": "delete",
}

func run(pass *analysis.Pass) (any, error) {
	if !relevant(pass) {
		return nil, nil
	}
	pkg, funcs := pass.ResultOf[lazyssa.Analyzer].(*lazyssa.SSA).Get()
	c := &checker{
		pass:    pass,
		pkg:     pkg,
		funcs:   funcs,
		hashers: wrappers.New[hashesParams](pass),
		calls:   code.NewCalls(pass.Files),
		nanVars: make(map[*ssa.Global]bool),
	}
	c.findHashers()
	c.hashers.Export(new(hasHashers))
	if scope.FactsOnly() {
		return nil, nil // a dependency: its findings would be dropped
	}
	for fn, u := range budget.Funcs(pass, funcs) {
		c.budget = u
		c.checkFunc(fn)
	}
	return nil, nil
}

// relevant reports whether the package can hold a key that panics or never
// matches, from its syntax and types alone: it uses a function of another
// package that hashes its parameters, or, outside its tests and generated
// files, it has a key
// (of a sync.Map method, or of a map with interface, type-parameter or
// float keys) whose static type cannot be hashed, or leaves the value open:
// the empty interface, a type parameter, a float. Keys of a named interface
// type (map[reflect.Type]T, map[types.Object]T: the usual case) do not
// count: the check does not follow them.
func relevant(pass *analysis.Pass) bool {
	if wrappers.Called[hashesParams](pass, new(hasHashers)) {
		return true
	}
	info := pass.TypesInfo
	found := false
	candidate := func(key ast.Expr) {
		if t := info.TypeOf(key); t != nil && (!types.Comparable(t) || openKey(t)) {
			found = true
		}
	}
	for _, f := range pass.Files {
		if code.IsTestFile(pass.Fset, f.Pos()) || ast.IsGenerated(f) {
			continue // not reported there
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if found {
				return false
			}
			switch n := n.(type) {
			case *ast.IndexExpr:
				if m, ok := typeOf(info, n.X).(*types.Map); ok && riskyKey(m.Key()) {
					candidate(n.Index)
				}
			case *ast.CompositeLit:
				if m, ok := typeOf(info, n).(*types.Map); ok && riskyKey(m.Key()) {
					for _, elt := range n.Elts {
						if kv, ok := elt.(*ast.KeyValueExpr); ok {
							candidate(kv.Key)
						}
					}
				}
			case *ast.CallExpr:
				if key := keyArg(info, n); key != nil {
					candidate(key)
				}
			}
			return true
		})
		if found {
			return true
		}
	}
	return false
}

// typeOf returns the underlying type of e, or nil.
func typeOf(info *types.Info, e ast.Expr) types.Type {
	if t := info.TypeOf(e); t != nil {
		return t.Underlying()
	}
	return nil
}

// keyArg returns the key argument of a call of delete on a map with risky
// keys or of a sync.Map method taking a key, or nil.
func keyArg(info *types.Info, call *ast.CallExpr) ast.Expr {
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		if b, ok := info.Uses[fun].(*types.Builtin); ok && b.Name() == "delete" && len(call.Args) == 2 {
			if m, ok := typeOf(info, call.Args[0]).(*types.Map); ok && riskyKey(m.Key()) {
				return call.Args[1]
			}
		}
	case *ast.SelectorExpr:
		fn, ok := info.Uses[fun.Sel].(*types.Func)
		if !ok || len(call.Args) == 0 {
			return nil
		}
		if recv := fn.Signature().Recv(); recv != nil && code.IsSyncMap(recv.Type()) {
			if _, takesKey := keyMethods[fn.Name()]; takesKey {
				return call.Args[0]
			}
		}
	}
	return nil
}

// riskyKey reports whether map keys of type t can panic or never match:
// interfaces and type parameters (their dynamic type may not be hashable)
// and floats (NaN).
func riskyKey(t types.Type) bool {
	if _, ok := types.Unalias(t).(*types.TypeParam); ok {
		return true
	}
	return types.IsInterface(t) || isFloat(t)
}

// openKey reports whether a key of static type t leaves the value to
// whoever provides it: the empty interface, a type parameter, a float.
func openKey(t types.Type) bool {
	if _, ok := types.Unalias(t).(*types.TypeParam); ok {
		return true
	}
	if i, ok := t.Underlying().(*types.Interface); ok {
		return i.Empty()
	}
	return isFloat(t)
}

type checker struct {
	pass    *analysis.Pass
	budget  *budget.Func // of the function being checked
	pkg     *ssa.Package
	funcs   []*ssa.Function
	hashers *wrappers.Facts[hashesParams, *hashesParams]
	nanVars map[*ssa.Global]bool // package variables known to hold only NaN
	nanDone bool

	calls    *code.Calls
	indexes  map[token.Pos]*ast.IndexExpr
	keyVals  map[token.Pos]*ast.KeyValueExpr
	reported map[token.Pos]bool
}

// A sink is an instruction that hashes key: a map operation, a sync.Map
// method call, or a call of a function that hashes its parameter.
type sink struct {
	instr ssa.Instruction
	key   ssa.Value
	op    string // "insert", "lookup", "delete"
	what  string // the operation, for messages
	arg   int    // for calls: index of the key in the SSA arguments
	via   *ssa.Function
}

// sinks returns the sinks of fn.
func (c *checker) sinks(fn *ssa.Function) []sink {
	var out []sink
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.MapUpdate:
				if m, ok := x.Map.Type().Underlying().(*types.Map); ok && riskyKey(m.Key()) {
					out = append(out, sink{instr: x, key: x.Key, op: "insert", what: "the map assignment"})
				}
			case *ssa.Lookup:
				if m, ok := x.X.Type().Underlying().(*types.Map); ok && riskyKey(m.Key()) {
					out = append(out, sink{instr: x, key: x.Index, op: "lookup", what: "the map lookup"})
				}
			case *ssa.Call:
				out = append(out, c.callSinks(x)...)
			}
		}
	}
	return out
}

func (c *checker) callSinks(call *ssa.Call) []sink {
	common := call.Common()
	if b, ok := common.Value.(*ssa.Builtin); ok && b.Name() == "delete" && len(common.Args) == 2 {
		if m, ok := common.Args[0].Type().Underlying().(*types.Map); ok && riskyKey(m.Key()) {
			return []sink{{instr: call, key: common.Args[1], op: "delete", what: "delete", arg: 1}}
		}
		return nil
	}
	if m := code.SyncMapMethod(common); m != "" {
		if op, ok := keyMethods[m]; ok && len(common.Args) > 1 {
			return []sink{{instr: call, key: common.Args[1], op: op, what: "sync.Map." + m, arg: 1}}
		}
		return nil
	}
	fn := code.Callee(common)
	if fn == nil {
		return nil
	}
	if obj, ok := fn.Object().(*types.Func); !ok || !code.ArgsMatch(common, obj) {
		return nil // a method value: its arguments lack the receiver
	}
	f := c.hashers.Of(fn)
	if f == nil {
		return nil
	}
	var out []sink
	for _, p := range f.Params {
		if p.Index < len(common.Args) {
			out = append(out, sink{instr: call, key: common.Args[p.Index], op: p.Op, what: code.ShortName(fn), arg: p.Index, via: fn})
		}
	}
	return out
}

// A leaf is a value that flows into a key: of a concrete type, or a
// parameter of the function.
func leaves(v ssa.Value) []ssa.Value {
	seen := make(map[ssa.Value]bool)
	var out []ssa.Value
	var walk func(v ssa.Value, depth int)
	walk = func(v ssa.Value, depth int) {
		if depth > maxDepth || seen[v] {
			return
		}
		seen[v] = true
		switch x := v.(type) {
		case *ssa.MakeInterface:
			walk(x.X, depth+1)
		case *ssa.ChangeInterface:
			walk(x.X, depth+1)
		case *ssa.ChangeType:
			walk(x.X, depth+1)
		case *ssa.Phi:
			for _, e := range x.Edges {
				walk(e, depth+1)
			}
		default:
			out = append(out, v)
		}
	}
	walk(v, 0)
	return out
}

// findHashers finds the functions of the package that use a parameter as a
// key, to a fixed point. A parameter is a hasher's when its type leaves the
// key's dynamic type or value to the caller (openKey).
func (c *checker) findHashers() {
	wrappers.Solve(c.funcs, func(fn *ssa.Function) bool {
		if recovers(fn) {
			return false // it expects the panic
		}
		changed := false
		for _, s := range c.sinks(fn) {
			for _, l := range leaves(s.key) {
				if i := wrappers.OpenParam(fn, l, openKey); i >= 0 && c.addHashed(fn, hashedParam{Index: i, Op: s.op}) {
					changed = true
				}
			}
		}
		return changed
	})
}

// addHashed records that fn hashes parameter p, and reports whether that is
// news: a new parameter, or a more harmful operation on one.
func (c *checker) addHashed(fn *ssa.Function, p hashedParam) bool {
	f := c.hashers.Add(fn)
	for i, q := range f.Params {
		if q.Index == p.Index {
			if harm[p.Op] <= harm[q.Op] {
				return false
			}
			f.Params[i].Op = p.Op
			return true
		}
	}
	f.Params = append(f.Params, p)
	sort.Slice(f.Params, func(i, j int) bool { return f.Params[i].Index < f.Params[j].Index })
	return true
}

// recovers reports whether fn defers a function that calls recover: code
// that expects a key to panic (a hashability probe) is not reported.
func recovers(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			d, ok := instr.(*ssa.Defer)
			if !ok {
				continue
			}
			var callee *ssa.Function
			switch v := d.Call.Value.(type) {
			case *ssa.Function:
				callee = v
			case *ssa.MakeClosure:
				callee, _ = v.Fn.(*ssa.Function)
			}
			if callee != nil && callsRecover(callee) {
				return true
			}
		}
	}
	return false
}

func callsRecover(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok {
				if bi, ok := call.Call.Value.(*ssa.Builtin); ok && bi.Name() == "recover" {
					return true
				}
			}
		}
	}
	return false
}

func (c *checker) checkFunc(fn *ssa.Function) {
	// A test that uses such a key either fails loudly or is testing the
	// runtime's behaviour on purpose.
	if code.IsTestFile(c.pass.Fset, fn.Pos()) || recovers(fn) {
		return
	}
	sinks := c.sinks(fn)
	// m[k] op= v is a lookup and an insert of one key: report the insert.
	sort.SliceStable(sinks, func(i, j int) bool { return harm[sinks[i].op] > harm[sinks[j].op] })
	for _, s := range sinks {
		if c.budget.Exceeded() {
			return
		}
		for _, l := range leaves(s.key) {
			if wrappers.OpenParam(fn, l, openKey) >= 0 {
				continue // a hasher: its callers are checked
			}
			t := l.Type()
			if code.HasTypeParam(t) {
				continue
			}
			if !types.Comparable(t) {
				c.report(s, l, c.unhashable(t))
				break
			}
			if isFloat(t) && c.isNaN(l, 0) {
				c.report(s, l, "")
				break
			}
		}
	}
}

func isFloat(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&(types.IsFloat|types.IsComplex) != 0
}
