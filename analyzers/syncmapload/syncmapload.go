package syncmapload

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/budget"
	"github.com/mapguard/mapguard/internal/analysis/checkdoc"
	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/lazyssa"
	"github.com/mapguard/mapguard/internal/analysis/limits"
	"github.com/mapguard/mapguard/internal/analysis/scope"
	"github.com/mapguard/mapguard/internal/analysis/wrappers"
	"github.com/mapguard/mapguard/internal/run/guard"
)

//go:embed doc.go
var doc string

// Analyzer reports type assertions on a sync.Map lookup that panic when
// the key is missing.
// The users' text is in doc.go, printed by `mapguard explain syncmapload`.
var Analyzer = &analysis.Analyzer{
	Name:      "syncmapload",
	Doc:       checkdoc.Extract(doc, "syncmapload"),
	URL:       checkdoc.URL("syncmapload"),
	Requires:  []*analysis.Analyzer{lazyssa.Analyzer},
	FactTypes: []analysis.Fact{new(returnsLookup), new(hasLookups)},
	Run:       guard.Run(run),
}

// returnsLookup is the fact that a function returns, as result Value, what
// a sync.Map lookup returned, nil when the key is missing; result OK, when
// not -1, is the bool that says whether the key was present.
type returnsLookup struct {
	Value, OK int
	Method    string // the sync.Map method it ends in: "Load", "LoadAndDelete", "Swap"
}

func (*returnsLookup) AFact() {}

func (f *returnsLookup) String() string {
	return fmt.Sprintf("lookup(value %d, ok %d, %s)", f.Value, f.OK, f.Method)
}

// hasLookups is the package fact that a package exports functions carrying
// returnsLookup; importers that neither call sync.Map lookups nor import such
// a package are skipped.
type hasLookups struct{}

func (*hasLookups) AFact()         {}
func (*hasLookups) String() string { return "hasLookups" }

// lookups are the sync.Map methods whose first result is nil when the key
// was missing, and the name of their second result.
var lookups = map[string]string{
	"Load":          "ok",
	"LoadAndDelete": "loaded",
	"Swap":          "loaded",
}

// maxDepth bounds the walk back from an asserted value to the lookup it
// comes from, through conversions and φ-nodes. (How deep a condition is
// taken apart is limits.CondDepth.)
const maxDepth = 16

type checker struct {
	pass    *analysis.Pass
	budget  *budget.Func                                   // of the function being checked
	wrapped *wrappers.Facts[returnsLookup, *returnsLookup] // lookup wrappers
	asserts map[token.Pos]*ast.TypeAssertExpr
	calls   *code.Calls
	returns map[token.Pos]*ast.ReturnStmt
	// mutations holds each function's calls of sync.Map methods that add or
	// remove keys, found on first need: storedBefore asks for them once per
	// lookup, and a generated function can hold thousands of lookups.
	mutations map[*ssa.Function][]*ssa.Call
}

func run(pass *analysis.Pass) (any, error) {
	if !relevant(pass) {
		return nil, nil
	}
	_, funcs := pass.ResultOf[lazyssa.Analyzer].(*lazyssa.SSA).Get()
	c := &checker{pass: pass, wrapped: wrappers.New[returnsLookup](pass), calls: code.NewCalls(pass.Files), mutations: make(map[*ssa.Function][]*ssa.Call)}
	c.findWrappers(funcs)
	c.wrapped.Export(new(hasLookups))
	if scope.FactsOnly() {
		return nil, nil // a dependency: its findings would be dropped
	}
	for fn, u := range budget.Funcs(pass, funcs) {
		c.budget = u
		c.checkFunc(fn)
	}
	return nil, nil
}

// relevant reports whether the package can hold a lookup: it calls a
// sync.Map lookup, or a lookup wrapper of another package.
func relevant(pass *analysis.Pass) bool {
	return (code.Imports(pass.Pkg, "sync") && code.UsesSyncMapMethod(pass.TypesInfo, "Load", "LoadAndDelete", "Swap")) ||
		wrappers.Called[returnsLookup](pass, new(hasLookups))
}

// lookupOf returns what a call returns when it is a sync.Map lookup or a
// call of a lookup wrapper, or nil.
func (c *checker) lookupOf(call *ssa.CallCommon) *returnsLookup {
	if m := code.SyncMapMethod(call); m != "" {
		if _, ok := lookups[m]; ok {
			return &returnsLookup{Value: 0, OK: 1, Method: m}
		}
		return nil
	}
	fn := code.Callee(call)
	if fn == nil {
		return nil
	}
	if obj, ok := fn.Object().(*types.Func); ok && !code.ArgsMatch(call, obj) {
		return nil // a method value (f := c.Get): not followed
	}
	return c.wrapped.Of(fn)
}

// A source is a call whose result may be nil because a key was missing.
type source struct {
	call   *ssa.Call
	lookup *returnsLookup
	ok     ssa.Value // the extracted ok result, nil if never extracted
}

// sourceOf returns the source v is the looked-up value of, or nil.
func (c *checker) sourceOf(v ssa.Value) *source {
	var call *ssa.Call
	index := 0
	switch v := v.(type) {
	case *ssa.Extract:
		call, _ = v.Tuple.(*ssa.Call)
		index = v.Index
	case *ssa.Call:
		if v.Call.Signature().Results().Len() != 1 {
			return nil
		}
		call = v
	}
	if call == nil {
		return nil
	}
	l := c.lookupOf(call.Common())
	if l == nil || l.Value != index {
		return nil
	}
	s := &source{call: call, lookup: l}
	if l.OK >= 0 {
		for _, r := range code.Referrers(call) {
			if e, ok := r.(*ssa.Extract); ok && e.Tuple == call && e.Index == l.OK {
				s.ok = e
			}
		}
	}
	return s
}

// A point is where a value is used: in block (from == nil), or on the edge
// from→block (a φ-node's operand).
type point struct{ block, from *ssa.BasicBlock }

// A presence describes what proves a looked-up value present: its ok result
// being true, or one of the values in chain (the value and the copies it
// flowed through) being non-nil.
type presence struct {
	ok    ssa.Value
	chain []ssa.Value
}

func (p *presence) inChain(v ssa.Value) bool {
	for _, x := range p.chain {
		if x == v {
			return true
		}
	}
	return false
}

// provenAt reports whether a branch taken on every path to at proves the
// value present.
func (c *checker) provenAt(at point, p *presence, depth int) bool {
	proven := false
	code.KnownConds(at.block, at.from, func(cond ssa.Value, value bool) bool {
		proven = c.implies(cond, value, p, depth)
		return !proven
	})
	return proven
}

// implies reports whether cond having the given value proves the value
// present.
func (c *checker) implies(cond ssa.Value, value bool, p *presence, depth int) bool {
	if depth > limits.CondDepth {
		return false
	}
	if p.ok != nil && cond == p.ok {
		return value
	}
	switch x := cond.(type) {
	case *ssa.UnOp:
		if x.Op == token.NOT {
			return c.implies(x.X, !value, p, depth+1)
		}
	case *ssa.BinOp:
		if x.Op != token.EQL && x.Op != token.NEQ {
			return false
		}
		equal := (x.Op == token.EQL) == value
		v, k := x.X, x.Y
		if _, isConst := v.(*ssa.Const); isConst {
			v, k = k, v
		}
		kc, isConst := k.(*ssa.Const)
		if !isConst {
			return false
		}
		if kc.IsNil() && p.inChain(v) {
			return !equal
		}
		if p.ok != nil && v == p.ok && kc.Value != nil && kc.Value.Kind() == constant.Bool {
			return constant.BoolVal(kc.Value) == equal
		}
	case *ssa.Extract:
		// The ok of a comma-ok assertion of the value: true means non-nil.
		if ta, ok := x.Tuple.(*ssa.TypeAssert); ok && x.Index == 1 && p.inChain(ta.X) {
			return value
		}
	case *ssa.Phi:
		// ok && other, computed into a variable: every way of making it
		// true must prove presence.
		if !value {
			return false
		}
		for i, e := range x.Edges {
			if isBool(e, false) {
				continue
			}
			if i >= len(x.Block().Preds) {
				return false
			}
			if !c.implies(e, true, p, depth+1) && !c.provenAt(point{x.Block(), x.Block().Preds[i]}, p, depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

// mentions reports whether cond tests the ok result or compares a value of
// the chain.
func (c *checker) mentions(cond ssa.Value, p *presence, depth int) bool {
	if depth > limits.CondDepth {
		return false
	}
	if p.ok != nil && cond == p.ok {
		return true
	}
	switch x := cond.(type) {
	case *ssa.UnOp:
		return x.Op == token.NOT && c.mentions(x.X, p, depth+1)
	case *ssa.BinOp:
		if x.Op != token.EQL && x.Op != token.NEQ {
			return false
		}
		for _, v := range []ssa.Value{x.X, x.Y} {
			if p.inChain(v) || (p.ok != nil && v == p.ok) {
				return true
			}
		}
	case *ssa.Extract:
		ta, ok := x.Tuple.(*ssa.TypeAssert)
		return ok && x.Index == 1 && p.inChain(ta.X)
	case *ssa.Phi:
		for _, e := range x.Edges {
			if c.mentions(e, p, depth+1) {
				return true
			}
		}
	}
	return false
}

// testedBefore reports whether a branch that runs before at on every path
// tests the value's presence. The code then handles a missing key somehow;
// whether the handling falls through to the assertion (a helper that never
// returns?) is more than this check can tell, so it stays silent.
func (c *checker) testedBefore(at point, p *presence) bool {
	if at.from != nil {
		if br := code.LastIf(at.from); br != nil && c.mentions(br.Cond, p, 0) {
			return true
		}
	}
	start := at.block
	if at.from != nil {
		start = at.from
	}
	tested := false
	code.DominatingIfs(start, func(cond ssa.Value) bool {
		tested = c.mentions(cond, p, 0)
		return !tested
	})
	return tested
}

// unchecked returns the source of the value that assertion ta asserts when
// that value can reach ta without its presence being tested, or nil.
func (c *checker) unchecked(ta *ssa.TypeAssert) *source {
	seen := make(map[*ssa.Phi]bool)
	var visit func(v ssa.Value, points []point, chain []ssa.Value, depth int) *source
	visit = func(v ssa.Value, points []point, chain []ssa.Value, depth int) *source {
		if depth > maxDepth {
			return nil
		}
		chain = append(chain[:len(chain):len(chain)], v)
		switch x := v.(type) {
		case *ssa.ChangeInterface:
			return visit(x.X, points, chain, depth+1)
		case *ssa.Phi:
			if seen[x] {
				return nil
			}
			seen[x] = true
			b := x.Block()
			for i, e := range x.Edges {
				if i >= len(b.Preds) {
					return nil
				}
				at := append(points[:len(points):len(points)], point{b, b.Preds[i]})
				if s := visit(e, at, chain, depth+1); s != nil {
					return s
				}
			}
			return nil
		}
		s := c.sourceOf(v)
		if s == nil || c.storedBefore(s.call) {
			return nil
		}
		p := &presence{ok: s.ok, chain: chain}
		for _, at := range points {
			if c.testedBefore(at, p) {
				return nil
			}
		}
		return s
	}
	return visit(ta.X, []point{{block: ta.Block()}}, nil, 0)
}

// storedBefore reports whether the lookup call reads a key that the same
// function stored in the same map on every path before it, with no delete
// from that map in between: the key is there.
func (c *checker) storedBefore(lookup *ssa.Call) bool {
	if code.SyncMapMethod(lookup.Common()) == "" {
		return false // a wrapper: what it looks up is not known here
	}
	m, key := lookup.Call.Args[0], lookup.Call.Args[1]
	var stores, deletes []*ssa.Call
	for _, call := range c.mutationsIn(lookup.Parent()) {
		if call == lookup {
			continue
		}
		switch code.SyncMapMethod(call.Common()) {
		case "Store", "LoadOrStore", "Swap":
			if code.SameValue(call.Call.Args[0], m) && code.SameValue(call.Call.Args[1], key) && code.Precedes(call, lookup) {
				stores = append(stores, call)
			}
		case "Delete", "LoadAndDelete", "CompareAndDelete", "Clear":
			if code.SameValue(call.Call.Args[0], m) {
				deletes = append(deletes, call)
			}
		}
	}
	for _, st := range stores {
		deleted := false
		for _, d := range deletes {
			deleted = deleted || (code.Reaches(st, d) && code.Reaches(d, lookup))
		}
		if !deleted {
			return true
		}
	}
	return false
}

// mutationsIn returns the calls of fn that store or delete sync.Map keys.
func (c *checker) mutationsIn(fn *ssa.Function) []*ssa.Call {
	if calls, ok := c.mutations[fn]; ok {
		return calls
	}
	var calls []*ssa.Call
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			switch code.SyncMapMethod(call.Common()) {
			case "Store", "LoadOrStore", "Swap", "Delete", "LoadAndDelete", "CompareAndDelete", "Clear":
				calls = append(calls, call)
			}
		}
	}
	c.mutations[fn] = calls
	return calls
}

// precededByAssertion reports whether another unchecked assertion of the
// same value runs before ta: that one panics first and is the one reported.
func precededByAssertion(ta *ssa.TypeAssert) bool {
	for _, r := range code.Referrers(ta.X) {
		if o, ok := r.(*ssa.TypeAssert); ok && o != ta && !o.CommaOk && code.Precedes(o, ta) {
			return true
		}
	}
	return false
}

func (c *checker) checkFunc(fn *ssa.Function) {
	if code.IsTestFile(c.pass.Fset, fn.Pos()) {
		return // a panic in a test is a test failure, which is what a check would do
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ta, ok := instr.(*ssa.TypeAssert)
			if !ok || ta.CommaOk || !ta.Pos().IsValid() || precededByAssertion(ta) {
				continue
			}
			if c.budget.Exceeded() {
				return
			}
			if s := c.unchecked(ta); s != nil {
				c.report(fn, ta, s)
			}
		}
	}
}

// findWrappers finds the functions of the package that return a lookup's
// value, to a fixed point (wrappers of wrappers).
func (c *checker) findWrappers(funcs []*ssa.Function) {
	wrappers.Solve(funcs, func(fn *ssa.Function) bool {
		if c.wrapped.Local[fn] != nil {
			return false
		}
		l := c.summarize(fn)
		if l != nil {
			c.wrapped.Local[fn] = l
		}
		return l != nil
	})
}

// summarize returns the lookup fn returns, if it is a lookup wrapper: one of
// its results is always either a lookup's value or nil, nil at least when
// the key is missing, and another result, if any, is its ok result.
func (c *checker) summarize(fn *ssa.Function) *returnsLookup {
	results := fn.Signature.Results()
	if results.Len() == 0 || len(fn.Blocks) == 0 {
		return nil
	}
	rets := code.Returns(fn)
	if len(rets) == 0 {
		return nil
	}
	for vi := range results.Len() {
		t := results.At(vi).Type()
		if _, isParam := types.Unalias(t).(*types.TypeParam); isParam || !types.IsInterface(t) {
			continue
		}
		if results.Len() == 1 {
			if l := c.wraps(rets, vi, -1); l != nil {
				return l
			}
			continue
		}
		for oki := range results.Len() {
			if oki != vi && isBoolType(results.At(oki).Type()) {
				if l := c.wraps(rets, vi, oki); l != nil {
					return l
				}
			}
		}
	}
	return nil
}

// wraps returns the lookup that every return of rets hands back as result
// vi (with its ok as result oki, unless oki is -1), or nil.
func (c *checker) wraps(rets []*ssa.Return, vi, oki int) *returnsLookup {
	method := ""
	nilWhenMissing := false
	for _, r := range rets {
		v := r.Results[vi]
		for {
			ci, ok := v.(*ssa.ChangeInterface)
			if !ok {
				break
			}
			v = ci.X
		}
		if k, ok := v.(*ssa.Const); ok && k.IsNil() {
			if oki >= 0 && !isBool(r.Results[oki], false) {
				return nil
			}
			nilWhenMissing = true
			continue
		}
		s := c.sourceOf(v)
		if s == nil {
			return nil
		}
		present := c.provenAt(point{block: r.Block()}, &presence{ok: s.ok, chain: []ssa.Value{v}}, 0)
		if oki >= 0 {
			switch ok := r.Results[oki]; {
			case s.ok != nil && ok == s.ok:
			case present && isBool(ok, true):
			default:
				return nil
			}
		}
		if !present {
			nilWhenMissing = true
		}
		method = s.lookup.Method
	}
	if method == "" || !nilWhenMissing {
		return nil
	}
	return &returnsLookup{Value: vi, OK: oki, Method: method}
}

func calleeName(call *ssa.CallCommon) string {
	fn := code.Callee(call)
	switch {
	case fn == nil:
		return "the callee"
	case fn.Parent() != nil:
		return "the function literal"
	}
	return code.ShortName(fn)
}

func isBoolType(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsBoolean != 0
}

// isBool reports whether v is the boolean constant want.
func isBool(v ssa.Value, want bool) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.Value != nil && k.Value.Kind() == constant.Bool && constant.BoolVal(k.Value) == want
}
