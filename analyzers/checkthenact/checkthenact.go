package checkthenact

import (
	_ "embed"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/budget"
	"github.com/mapguard/mapguard/internal/analysis/checkdoc"
	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/lazyssa"
	"github.com/mapguard/mapguard/internal/analysis/limits"
	"github.com/mapguard/mapguard/internal/run/guard"
)

//go:embed doc.go
var doc string

// Analyzer reports a sync.Map Store or Delete decided by an earlier Load of the
// same key, which another goroutine can change in between.
// The users' text is in doc.go, printed by `mapguard explain checkthenact`.
var Analyzer = &analysis.Analyzer{
	Name:     "checkthenact",
	Doc:      checkdoc.Extract(doc, "checkthenact"),
	URL:      checkdoc.URL("checkthenact"),
	Requires: []*analysis.Analyzer{lazyssa.Analyzer},
	Run:      guard.Run(run),
}

// Bounds on the searches of one read and act, beyond which the check says
// nothing about them.
const (
	maxDepth       = 12   // the other walks over values: steps from one value
	maxPathStates  = 4096 // pathsTo: (block, state) pairs visited
	maxPanicSteps  = 16   // endsInPanic: single successors followed
	maxAtomicDepth = 6    // atomicCall: operands followed back to a sync/atomic call
	maxLockNest    = 4    // locksHeldAt: enclosing functions a literal inherits locks from
	maxMemo        = 512  // purity: values remembered for one key
	maxComputed    = 256  // computedFrom: values visited
	maxUsedDepth   = 4    // usedAfter: uses followed from the stored object
)

func run(pass *analysis.Pass) (any, error) {
	if !code.Imports(pass.Pkg, "sync") ||
		!code.UsesSyncMapMethod(pass.TypesInfo, "Load", "LoadOrStore") ||
		!code.UsesSyncMapMethod(pass.TypesInfo, "Store", "Delete") {
		return nil, nil
	}
	_, funcs := pass.ResultOf[lazyssa.Analyzer].(*lazyssa.SSA).Get()
	c := &checker{
		pass:         pass,
		funcs:        funcs,
		calls:        code.NewCalls(pass.Files),
		locks:        make(map[*ssa.Function]*lockIndex),
		literalSites: make(map[*ssa.Function]map[*ssa.Function][]ssa.Instruction),
	}
	for fn, u := range budget.Funcs(pass, funcs) {
		c.budget = u
		c.checkFunc(fn)
	}
	return nil, nil
}

type checker struct {
	pass    *analysis.Pass
	funcs   []*ssa.Function
	budget  *budget.Func // of the function being checked
	calls   *code.Calls
	assigns map[token.Pos]*ast.AssignStmt // by the Lparen of their single call
	files   map[*token.File]*ast.File
	locks   map[*ssa.Function]*lockIndex // found on first need
	// literalSites holds, by parent function, where each of its function
	// literals is created or used; found on first need.
	literalSites map[*ssa.Function]map[*ssa.Function][]ssa.Instruction
}

// A kind is the way an act decided by a read loses data.
type kind int

const (
	none    kind = iota
	insert       // Store when the read found nothing: use LoadOrStore
	replace      // Store decided by the value read: use CompareAndSwap
	update       // Store of a value computed from the value read: CompareAndSwap loop
	remove       // Delete decided by the value read: use CompareAndDelete
	take         // Delete when the entry was there, then use of it: use LoadAndDelete
)

// A pair is a read (Load, LoadOrStore) and an act (Store, Delete) on the
// same key of the same sync.Map, the act decided by what the read returned.
type pair struct {
	read, act   *ssa.Call
	readMethod  string
	actMethod   string
	value, ok   ssa.Value // the read's results, nil when not extracted
	kind        kind
	presentOnly bool // every path to the act has seen the entry present
	// byCounter: a Delete decided by an atomic operation on the value
	// read (its own reference counter reaching zero).
	byCounter bool
}

func (c *checker) checkFunc(fn *ssa.Function) {
	if inInit(fn) || c.onceOnly(fn) || callerLocks(fn) {
		return
	}
	var reads, acts []*ssa.Call
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			switch code.SyncMapMethod(call.Common()) {
			case "Load", "LoadOrStore":
				reads = append(reads, call)
			case "Store", "Delete":
				acts = append(acts, call)
			}
		}
	}
	for _, act := range acts {
		if c.budget.Exceeded() {
			return
		}
		read := nearestRead(reads, act)
		if read == nil {
			continue
		}
		p := c.classify(read, act)
		if p == nil || localMap(act.Call.Args[0]) {
			continue
		}
		held, readLock := c.heldAcross(fn, read, act)
		if held {
			continue
		}
		c.report(p, readLock)
	}
}

// nearestRead returns the read of the same key of the same map that runs
// last before act on every path to it, or nil.
func nearestRead(reads []*ssa.Call, act *ssa.Call) *ssa.Call {
	var best *ssa.Call
	for _, r := range reads {
		if !code.Precedes(r, act) || !sameEntry(r, act) {
			continue
		}
		if best == nil || code.Precedes(best, r) {
			best = r
		}
	}
	return best
}

// classify returns the pair read, act make when act is decided by, or
// computed from, what read returned; otherwise nil.
func (c *checker) classify(read, act *ssa.Call) *pair {
	p := &pair{
		read:       read,
		act:        act,
		readMethod: code.SyncMapMethod(read.Common()),
		actMethod:  code.SyncMapMethod(act.Common()),
	}
	for _, r := range code.Referrers(read) {
		if e, ok := r.(*ssa.Extract); ok {
			switch e.Index {
			case 0:
				p.value = e
			case 1:
				p.ok = e
			}
		}
	}
	if p.actMethod == "Store" && p.value != nil {
		stored := unwrap(act.Call.Args[2])
		if stored == p.value || isAssertionOf(stored, p.value) {
			return nil // the value read, stored back: nothing is overwritten
		}
		if dependsOn(stored, act, p.value) {
			p.kind = update
			return p
		}
	}
	states := c.pathsTo(p)
	if len(states) == 0 {
		return nil
	}
	decided, valueDecided, allPresent := true, false, true
	p.presentOnly = true
	for _, s := range states {
		decided = decided && s&(missing|byValue) != 0
		valueDecided = valueDecided || s&byValue != 0
		allPresent = allPresent && s&present != 0
		p.presentOnly = p.presentOnly && s&missing == 0
	}
	switch {
	case !decided:
		// Only a Delete decided by the entry being there can lose
		// something then: the value, if two goroutines both use it.
		if p.actMethod == "Delete" && p.readMethod == "Load" && allPresent && c.usesTaken(p) {
			p.kind = take
			return p
		}
		return nil // a path where nothing read decides the act
	case valueDecided && p.actMethod == "Store":
		if recomputed(p) && !c.exclusiveWork(p, byValue) {
			return nil // a stale entry refreshed: any goroutine would store the same
		}
		p.kind = replace
	case valueDecided:
		p.kind = remove
		p.byCounter = c.decidedByAtomic(p)
	case p.actMethod == "Store" && p.readMethod == "Load":
		if idempotent(p) && !c.exclusiveWork(p, missing) && !c.storedOtherwise(p) {
			return nil // any goroutine would store the same: nothing is lost
		}
		if c.panicsWhenPresent(p) {
			return nil // a registration that treats a duplicate as a programming error
		}
		p.kind = insert
	default:
		return nil // a Delete of what is not there; or LoadOrStore's own insert
	}
	return p
}

// panicsWhenPresent reports whether the read guards against a duplicate by
// panicking when the entry is there (if _, ok := m.Load(k); ok {
// panic("duplicate") }; m.Store(k, v)): a registration, run at init by
// convention, where two registrations of one key are already a bug.
func (c *checker) panicsWhenPresent(p *pair) bool {
	for _, b := range p.read.Parent().Blocks {
		br := code.LastIf(b)
		if br == nil || !code.Precedes(p.read, br) {
			continue
		}
		for i, succ := range b.Succs {
			if c.edgeState(p, br, i == 0) == present && endsInPanic(succ) {
				return true
			}
		}
	}
	return false
}

// endsInPanic reports whether every path from b ends in a panic, following
// b's chain of single successors.
func endsInPanic(b *ssa.BasicBlock) bool {
	for steps := 0; b != nil && steps < maxPanicSteps; steps++ {
		if len(b.Instrs) > 0 {
			if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Panic); ok {
				return true
			}
		}
		if len(b.Succs) != 1 {
			return false
		}
		b = b.Succs[0]
	}
	return false
}

// usesTaken reports whether the branch that deletes the entry found present
// goes on to use the value read, or does work meant to happen once: two
// goroutines can both take the entry and both do it.
func (c *checker) usesTaken(p *pair) bool {
	if p.value != nil {
		region := c.decidingBlock(p, present)
		for _, r := range code.Referrers(p.value) {
			if b := r.Block(); b != nil && region.Dominates(b) && !isNilTest(r) {
				return true
			}
		}
	}
	return c.exclusiveWork(p, present)
}

// isNilTest reports whether instr compares a value with nil.
func isNilTest(instr ssa.Instruction) bool {
	b, ok := instr.(*ssa.BinOp)
	if !ok || (b.Op != token.EQL && b.Op != token.NEQ) {
		return false
	}
	for _, v := range []ssa.Value{b.X, b.Y} {
		if k, ok := v.(*ssa.Const); ok && k.IsNil() {
			return true
		}
	}
	return false
}

// exclusiveWork reports whether the branch that decided the act (the one
// taken on the path state want) does work meant to happen once per key
// besides the Store: a call whose result is not used (process(id),
// wg.Add(1), close(ch)), a go statement, a channel send. Two goroutines can
// both do it. Locking and logging calls do not count, nor calls that fill
// in the object being stored.
func (c *checker) exclusiveWork(p *pair, want int) bool {
	region := c.decidingBlock(p, want)
	for _, b := range p.act.Parent().Blocks {
		if !region.Dominates(b) {
			continue
		}
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Go, *ssa.Send:
				return true
			case *ssa.Call:
				if instr == p.act || len(code.Referrers(instr)) > 0 || builds(instr, p) || sameEntry(instr, p.act) {
					continue
				}
				if _, op := lockCall(instr); op != code.NotLock || logs(instr.Common()) || counted(instr, region) {
					continue
				}
				return true
			}
		}
	}
	return false
}

// sameEntry reports whether call is a sync.Map call on the entry act acts
// on: the same map and key. A read of that entry pairs with act; another
// act on it (the other Store of an if-else) is judged with its own read.
func sameEntry(call, act *ssa.Call) bool {
	return code.SyncMapMethod(call.Common()) != "" && len(call.Call.Args) > 1 &&
		code.SameValue(call.Call.Args[0], act.Call.Args[0]) &&
		code.SameValue(call.Call.Args[1], act.Call.Args[1])
}

// builds reports whether call fills in the object the act stores (it is
// handed to it: buildPlan(plan, t)), or an object made in this function
// that the stored value is computed from (maps.Copy(env, defaults) before
// compile(src, env)), directly or through a function literal.
func builds(call *ssa.Call, p *pair) bool {
	if p.actMethod != "Store" {
		return false
	}
	stored := unwrap(p.act.Call.Args[2])
	ingredient := func(v ssa.Value) bool { return isAllocation(v) && dependsOn(stored, p.act, v) }
	for _, a := range call.Call.Args {
		if a == stored || ingredient(a) {
			return true
		}
		// A function literal that fills such an object
		// (files.Range(func(f File) bool { n++; return true })).
		if mc, ok := a.(*ssa.MakeClosure); ok && slices.ContainsFunc(mc.Bindings, ingredient) {
			return true
		}
	}
	return false
}

// decidingBlock returns the block entered by the branch nearest the act, on
// every path to it, taken on path state want; the act's block if none.
func (c *checker) decidingBlock(p *pair, want int) *ssa.BasicBlock {
	for d := p.act.Block(); d != nil; d = d.Idom() {
		if len(d.Preds) == 1 {
			if _, value, ok := code.EdgeCond(d.Preds[0], d); ok && c.edgeState(p, code.LastIf(d.Preds[0]), value) == want {
				return d
			}
		}
		if d == p.read.Block() {
			break
		}
	}
	return p.act.Block()
}

// logs reports whether call prints or logs: doing that twice loses nothing.
// Besides the standard loggers, a method named like a logger's
// (s.Errorf, log.Warnf, c.Debugf) counts.
func logs(call *ssa.CallCommon) bool {
	fn := code.Callee(call)
	if call.IsInvoke() && logMethods[call.Method.Name()] {
		return true
	}
	if fn == nil {
		return false
	}
	if fn.Signature.Recv() != nil && logMethods[fn.Name()] {
		return true
	}
	if fn.Pkg == nil {
		return false
	}
	switch fn.Pkg.Pkg.Path() {
	case "log", "log/slog":
		return true
	case "fmt":
		return strings.HasPrefix(fn.Name(), "Print") || strings.HasPrefix(fn.Name(), "Fprint")
	}
	return false
}

// logMethods are the names of logging methods of the usual logger types.
var logMethods = map[string]bool{
	"Print": true, "Printf": true, "Println": true, "Log": true, "Logf": true,
	"Trace": true, "Tracef": true, "Debug": true, "Debugf": true,
	"Info": true, "Infof": true, "Notice": true, "Noticef": true,
	"Warn": true, "Warnf": true, "Warning": true, "Warningf": true,
	"Error": true, "Errorf": true,
}

// Path states: which kinds of branch on the read's results a path took.
const (
	missing = 1 << iota // a branch taken because the entry was absent
	present             // a branch taken because the entry was there
	byValue             // a branch on a condition computed from the value
)

// pathsTo walks the paths from the read to the act (not through the read
// again) and returns the set of states they reach the act with.
func (c *checker) pathsTo(p *pair) []int {
	type node struct {
		b     *ssa.BasicBlock
		state int
	}
	seen := make(map[node]bool)
	var out []int
	arrived := make(map[int]bool)
	var queue []node
	visit := func(b *ssa.BasicBlock, start, state int) {
		for _, instr := range b.Instrs[start:] {
			switch instr {
			case p.act:
				if !arrived[state] {
					arrived[state] = true
					out = append(out, state)
				}
				return
			case p.read:
				return // the next iteration reads again
			}
		}
		br := code.LastIf(b)
		for _, s := range b.Succs {
			next := state
			if br != nil {
				if _, value, ok := code.EdgeCond(b, s); ok {
					next |= c.edgeState(p, br, value)
				}
			}
			if n := (node{s, next}); !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	start := code.Index(p.read) + 1
	visit(p.read.Block(), start, 0)
	for len(queue) > 0 && len(seen) < maxPathStates {
		n := queue[0]
		queue = queue[1:]
		visit(n.b, 0, n.state)
	}
	return out
}

// edgeState returns what taking branch br with its condition having the
// given value says about the read: the entry was missing or present, or the value decided.
func (c *checker) edgeState(p *pair, br *ssa.If, value bool) int {
	cond := br.Cond
	if isPresent, ok := c.presence(p, cond, 0); ok {
		if p.readMethod != "Load" {
			return 0 // LoadOrStore's loaded says whether it stored, not presence
		}
		if isPresent == value {
			return present
		}
		return missing
	}
	if p.value != nil && dependsOn(cond, br, p.value) {
		return byValue
	}
	return 0
}

// presence reports whether cond tests the presence of the entry read, and if
// so whether cond being true means present.
func (c *checker) presence(p *pair, cond ssa.Value, depth int) (whenTrue, ok bool) {
	if depth > limits.CondDepth {
		return false, false
	}
	if p.ok != nil && cond == p.ok {
		return true, true
	}
	switch x := cond.(type) {
	case *ssa.UnOp:
		if x.Op == token.NOT {
			t, ok := c.presence(p, x.X, depth+1)
			return !t, ok
		}
	case *ssa.BinOp:
		if x.Op != token.EQL && x.Op != token.NEQ {
			return false, false
		}
		v, k := x.X, x.Y
		if _, isConst := v.(*ssa.Const); isConst {
			v, k = k, v
		}
		kc, isConst := k.(*ssa.Const)
		if !isConst {
			return false, false
		}
		eq := x.Op == token.EQL
		if kc.IsNil() && p.value != nil && isCopyOf(v, p.value) {
			return !eq, true // v != nil
		}
		if kc.Value != nil && kc.Value.Kind() == constant.Bool {
			if t, ok := c.presence(p, v, depth+1); ok {
				// (present == k) is true when present is k.
				return t == (constant.BoolVal(kc.Value) == eq), true
			}
		}
	case *ssa.Extract:
		ta, ok := x.Tuple.(*ssa.TypeAssert)
		if ok && x.Index == 1 && p.value != nil && isCopyOf(ta.X, p.value) {
			return true, true // v.(T) succeeded: present
		}
	}
	return false, false
}

// isCopyOf reports whether v is x, or x converted to another interface.
func isCopyOf(v, x ssa.Value) bool {
	for range maxDepth {
		if v == x {
			return true
		}
		ci, ok := v.(*ssa.ChangeInterface)
		if !ok {
			return false
		}
		v = ci.X
	}
	return false
}

// unwrap removes the interface conversions around v.
func unwrap(v ssa.Value) ssa.Value {
	for range maxDepth {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		default:
			return v
		}
	}
	return v
}

func isAssertionOf(v, x ssa.Value) bool {
	ta, ok := v.(*ssa.TypeAssert)
	return ok && !ta.CommaOk && isCopyOf(ta.X, x)
}

// localMap reports whether m is the address of a sync.Map local to one
// function that nothing but its own method calls touch: no other goroutine
// can see it.
func localMap(m ssa.Value) bool {
	alloc, ok := m.(*ssa.Alloc)
	if !ok {
		return false
	}
	for _, r := range code.Referrers(alloc) {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Call:
			if code.SyncMapMethod(r.Common()) == "" || len(r.Call.Args) == 0 || r.Call.Args[0] != alloc {
				return false
			}
			for _, a := range r.Call.Args[1:] {
				if a == alloc {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// inInit reports whether fn is, or is declared in, a package initializer:
// initialization runs on one goroutine.
func inInit(fn *ssa.Function) bool {
	root := fn
	for root.Parent() != nil {
		root = root.Parent()
	}
	return root.Signature.Recv() == nil && (root.Name() == "init" || strings.HasPrefix(root.Name(), "init#"))
}

// callerLocks reports whether fn (or the function declaring it) is named
// for running with a lock its caller holds: fooLocked.
func callerLocks(fn *ssa.Function) bool {
	root := fn
	for root.Parent() != nil {
		root = root.Parent()
	}
	if strings.HasSuffix(root.Name(), "Locked") || strings.HasSuffix(root.Name(), "locked") {
		return true
	}
	fd, ok := root.Syntax().(*ast.FuncDecl)
	return ok && fd.Doc != nil && (lockHeldDoc.MatchString(fd.Doc.Text()) || oneGoroutineDoc.MatchString(fd.Doc.Text()))
}

// oneGoroutineDoc matches a doc comment that says which single goroutine
// runs the function ("Invoked from outbound connection's readLoop", "only
// called from the janitor goroutine"): code like that relies on that
// goroutine being the only one to change the map, as code named fooLocked
// relies on a lock.
var oneGoroutineDoc = regexp.MustCompile(`(?i)\b(invoked|called|run)\s+(only\s+)?(from|in|by)\s+(the\s+)?[\w' ]{0,40}?(loop|goroutine)\b`)

// lockHeldDoc matches a doc comment that says the caller holds the lock
// ("Lock should be held on entry", "must be called with s.mu held", "the
// caller must hold c.mu").
var lockHeldDoc = regexp.MustCompile(`(?i)\b(lock|mutex|mu)\s+(should|must|needs to)\s+(already\s+)?be\s+held|\bmust be called with\s+\S+\s+(lock(ed)?|held)|\bcallers?\s+(must\s+)?holds?\s+(the\s+)?\S*(lock|mu)\b|\b(lock|mu)\s+held on entry`)

// onceOnly reports whether fn is a function literal handed to something that
// runs it at most once at a time for a key: sync.Once.Do, sync.OnceFunc and
// its kin, and singleflight's Group.Do.
func (c *checker) onceOnly(fn *ssa.Function) bool {
	for _, site := range c.sites(fn) {
		call, ok := site.(*ssa.Call)
		if !ok || !passes(call.Common(), fn) {
			continue
		}
		switch code.FuncName(call.Common()) {
		case "(*sync.Once).Do", "sync.OnceFunc", "sync.OnceValue", "sync.OnceValues":
			return true
		}
		if callee := code.Callee(call.Common()); callee != nil {
			if obj, ok := callee.Object().(*types.Func); ok && (obj.Name() == "Do" || obj.Name() == "DoChan") {
				if recv := obj.Signature().Recv(); recv != nil && namedType(recv.Type()) == "Group" {
					return true
				}
			}
		}
	}
	return false
}

func namedType(t types.Type) string {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

// sites returns the instructions of fn's parent that create the function
// literal fn (a MakeClosure, when it has free variables) or use it directly
// (as the function or an argument of a call), and those using its closure.
// One scan of the parent finds them for all its literals: checking each
// literal of a function with thousands of them (handlers, tests) rescanned
// the whole parent for each.
func (c *checker) sites(fn *ssa.Function) []ssa.Instruction {
	parent := fn.Parent()
	if parent == nil {
		return nil
	}
	if idx, ok := c.literalSites[parent]; ok {
		return idx[fn]
	}
	idx := make(map[*ssa.Function][]ssa.Instruction)
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			mc, isClosure := instr.(*ssa.MakeClosure)
			if isClosure {
				if lit, ok := mc.Fn.(*ssa.Function); ok {
					idx[lit] = append(idx[lit], mc)
					idx[lit] = append(idx[lit], code.Referrers(mc)...)
				}
			}
			var used []*ssa.Function // each literal gets the instruction once
			for _, op := range instr.Operands(nil) {
				if op == nil {
					continue
				}
				lit, ok := (*op).(*ssa.Function)
				if !ok || isClosure && ssa.Value(lit) == mc.Fn || slices.Contains(used, lit) {
					continue
				}
				used = append(used, lit)
				idx[lit] = append(idx[lit], instr)
			}
		}
	}
	c.literalSites[parent] = idx
	return idx[fn]
}

// passes reports whether call calls fn or hands it over as an argument,
// itself or as a closure.
func passes(call *ssa.CallCommon, fn *ssa.Function) bool {
	for _, v := range append([]ssa.Value{call.Value}, call.Args...) {
		if v == fn {
			return true
		}
		if mc, ok := v.(*ssa.MakeClosure); ok && mc.Fn == fn {
			return true
		}
	}
	return false
}

// counted reports whether instr runs only when an atomic counter crosses a
// limit (if n := size.Add(1); n > max { prune() }): maintenance that the
// counter hands to one goroutine at a time, not work done once per entry.
func counted(instr ssa.Instruction, region *ssa.BasicBlock) bool {
	for d := instr.Block(); d != nil && d != region; d = d.Idom() {
		if len(d.Preds) != 1 {
			continue
		}
		if br := code.LastIf(d.Preds[0]); br != nil && atomicCall(br.Cond, nil, 0) {
			return true
		}
	}
	return false
}

// decidedByAtomic reports whether a branch on the way from the read to the
// act tests the result of a sync/atomic operation on the value read
// (v.(*atomic.Int64).Add(-1) <= 0).
func (c *checker) decidedByAtomic(p *pair) bool {
	for d := p.act.Block(); d != nil && d != p.read.Block(); d = d.Idom() {
		if len(d.Preds) != 1 {
			continue
		}
		br := code.LastIf(d.Preds[0])
		if br != nil && atomicCall(br.Cond, p, 0) {
			return true
		}
	}
	return false
}

// atomicCall reports whether v is computed from a call of sync/atomic: on
// (a part of) the value p read, or on anything when p is nil.
func atomicCall(v ssa.Value, p *pair, depth int) bool {
	if depth > maxAtomicDepth {
		return false
	}
	instr, ok := v.(ssa.Instruction)
	if !ok {
		return false
	}
	if call, ok := v.(*ssa.Call); ok {
		if fn := code.Callee(call.Common()); fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == "sync/atomic" {
			if p == nil {
				return true
			}
			for _, a := range call.Call.Args {
				if dependsOn(a, call, p.value) {
					return true
				}
			}
		}
	}
	for _, op := range instr.Operands(nil) {
		if *op != nil && atomicCall(*op, p, depth+1) {
			return true
		}
	}
	return false
}

// storedOtherwise reports whether the package stores into the map of p, at
// another call, a value that may differ from the one p stores: then a Store
// that only seeds a default can overwrite that value, stored in between
// (if _, ok := limits.Load(u); !ok { limits.Store(u, defaultLimit) } and
// SetLimit's limits.Store(u, n)).
func (c *checker) storedOtherwise(p *pair) bool {
	ours := unwrap(p.act.Call.Args[2])
	if !isDefault(ours) {
		return false // a value computed from the key: other stores compute it too
	}
	id := mapIdentity(p.act.Call.Args[0])
	if id == nil {
		return false
	}
	for _, fn := range c.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok || call == p.act || (code.Precedes(p.read, call) && sameEntry(call, p.act)) {
					continue // the other Store of the same decision
				}
				var val ssa.Value
				switch code.SyncMapMethod(call.Common()) {
				case "Store", "LoadOrStore", "Swap":
					val = call.Call.Args[2]
				case "CompareAndSwap":
					val = call.Call.Args[3]
				default:
					continue
				}
				if mapIdentity(call.Call.Args[0]) != id {
					continue
				}
				if !code.SameValue(unwrap(val), ours) {
					return true
				}
			}
		}
	}
	return false
}

// isDefault reports whether v is a constant or a package-level value: a
// default every goroutine would store.
func isDefault(v ssa.Value) bool {
	switch x := v.(type) {
	case *ssa.Const, *ssa.Global, *ssa.Function:
		return true
	case *ssa.UnOp:
		return x.Op == token.MUL && isGlobal(x.X)
	}
	return false
}

// mapIdentity names the sync.Map at the address v across functions: the
// package-level variable, or the struct field, it is. It returns nil for
// anything else.
func mapIdentity(v ssa.Value) any {
	switch x := v.(type) {
	case *ssa.Global:
		return x
	case *ssa.FieldAddr:
		if s, ok := x.X.Type().Underlying().(*types.Pointer); ok {
			if st, ok := s.Elem().Underlying().(*types.Struct); ok && x.Field < st.NumFields() {
				return st.Field(x.Field)
			}
		}
	}
	return nil
}
