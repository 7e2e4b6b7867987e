package checkthenact

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/limits"
)

// idempotent reports whether the value the act stores is one every
// goroutine taking this path would store, so that overwriting one with
// another loses nothing: a constant, a package-level variable or function,
// a value computed from the key (a memoized result, such as the size of a
// type keyed by the type), or an object built from the key that this
// goroutine does not go on to use (a memoized plan or descriptor). An
// object built from nothing (&entry{}, make(chan T)) is a container meant to
// collect state: whose copy wins matters.
func idempotent(p *pair) bool {
	stored := unwrap(p.act.Call.Args[2])
	switch x := stored.(type) {
	case *ssa.Const, *ssa.Global, *ssa.Function:
		return true
	case *ssa.UnOp:
		if x.Op == token.MUL && isGlobal(x.X) {
			return true
		}
	}
	switch purity(stored, p.act, unwrap(p.act.Call.Args[1])) {
	case fromKey:
		return !usedAfter(stored, p.act)
	case fromNothing:
		return !isAllocation(stored) && !usedAfter(stored, p.act)
	case unknown:
		return true // the walk ran out of steps: say nothing
	}
	return false
}

// recomputed reports whether the value the act stores is computed from the
// key (and constants, package-level state, the receiver): a stale entry
// refreshed the way any goroutine would refresh it.
func recomputed(p *pair) bool {
	r := purity(unwrap(p.act.Call.Args[2]), p.act, unwrap(p.act.Call.Args[1]))
	return r == fromKey || r == unknown // unknown: the walk ran out of steps, say nothing
}

// isSet reports whether t is a map used as a set: its values are struct{}
// or bool.
func isSet(t types.Type) bool {
	m, ok := t.Underlying().(*types.Map)
	if !ok {
		return false
	}
	switch e := m.Elem().Underlying().(type) {
	case *types.Struct:
		return e.NumFields() == 0
	case *types.Basic:
		return e.Kind() == types.Bool
	}
	return false
}

func isFunc(t types.Type) bool {
	_, ok := t.Underlying().(*types.Signature)
	return ok
}

func isAllocation(v ssa.Value) bool {
	switch v.(type) {
	case *ssa.Alloc, *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeSlice, *ssa.MakeClosure:
		return true
	}
	return false
}

// Purity of a value, for purity.
const (
	fromNothing = 1 + iota // constants, functions, package state, the receiver
	fromKey                // those and the key
	unknown                // no impure source found, but the walk ran out of steps before the end
	impure                 // anything else: parameters, calls without arguments, ...
)

// purity tells whether v, used by instruction use, is computed from key and
// nothing but constants, functions, package-level variables and the
// method's receiver (every goroutine computing it for that key gets the
// same), from those alone, or from anything else; unknown when no source of
// the last kind was found before the walk ran out of steps. It follows values through
// memory (a variable, a composite literal's fields, an object filled by the
// calls it is passed to), and through the branch conditions that choose
// between the values of a φ-node or between stores; the function a call
// calls does not count, and a call without arguments (time.Now()) is
// impure unless it returns a function (a functional option).
func purity(v ssa.Value, use ssa.Instruction, key ssa.Value) int {
	// A value met again while it is being walked (a loop's φ-node) adds no
	// source of its own: what it is computed from is walked on the way
	// back, so it counts as fromNothing meanwhile.
	memo := make(map[ssa.Value]int)
	// The parts of a key built as a struct (k := cacheKey{t, tag}) are the
	// key as much as k is.
	if ld, ok := key.(*ssa.UnOp); ok && ld.Op == token.MUL {
		if _, ok := ld.X.(*ssa.Alloc); ok {
			for _, part := range filledWith(ld.X, ld) {
				memo[part] = fromKey
			}
		}
	}
	var walk func(v ssa.Value, use ssa.Instruction, depth int) int
	all := func(vals []ssa.Value, use ssa.Instruction, depth int) int {
		r := fromNothing
		for _, x := range vals {
			r = max(r, walk(x, use, depth+1))
			if r == impure {
				break
			}
		}
		return r
	}
	walk = func(v ssa.Value, use ssa.Instruction, depth int) int {
		if code.SameValue(v, key) {
			return fromKey
		}
		if r, ok := memo[v]; ok {
			return r
		}
		if depth > maxDepth || len(memo) > maxMemo {
			return unknown
		}
		memo[v] = fromNothing
		r := impure
		switch x := v.(type) {
		case *ssa.Const, *ssa.Global, *ssa.Function, *ssa.Builtin:
			r = fromNothing
		case *ssa.Alloc:
			r = all(filledWith(x, use), use, depth)
		case *ssa.UnOp:
			switch {
			case x.Op != token.MUL:
				r = walk(x.X, x, depth+1)
			case isGlobal(x.X):
				r = fromNothing
			default:
				// What this function wrote there on the way, or
				// else what the address is computed from (a field
				// of a value obtained from the key is too).
				if vals := filledWith(x.X, x); len(vals) > 0 {
					r = all(vals, x, depth)
				} else {
					r = walk(x.X, x, depth+1)
				}
			}
		case *ssa.Call:
			args := x.Call.Args
			if x.Call.IsInvoke() {
				args = append([]ssa.Value{x.Call.Value}, args...)
			}
			if mc, ok := x.Call.Value.(*ssa.MakeClosure); ok {
				// A function literal called in place computes
				// from what it captures.
				args = append(args[:len(args):len(args)], mc.Bindings...)
			}
			switch {
			case len(args) > 0:
				r = all(args, x, depth)
			case isFunc(x.Type()):
				// A call without arguments that returns a function
				// is a functional option (expr.AsBool(),
				// grpc.WithInsecure()): configuration, not a
				// clock or a random source.
				r = fromNothing
			}
		case *ssa.Phi:
			r = all(append(append([]ssa.Value(nil), x.Edges...), choosing(x)...), x, depth)
		case *ssa.Parameter:
			// The receiver is the environment, like package state:
			// c.load(key) is as much a memo as load(key). So is a
			// set handed down a recursive walk (visited
			// map[T]struct{}): it records where the walk has been,
			// not data of the caller's.
			if fn := x.Parent(); fn != nil && fn.Signature.Recv() != nil && len(fn.Params) > 0 && fn.Params[0] == x || isSet(x.Type()) {
				r = fromNothing
			}
		case *ssa.FreeVar:
		case ssa.Instruction:
			var ops []ssa.Value
			for _, op := range x.Operands(nil) {
				if op != nil && *op != nil {
					ops = append(ops, *op)
				}
			}
			r = all(ops, x, depth)
		}
		memo[v] = r
		return r
	}
	return walk(v, use, 0)
}

// choosing returns the branch conditions that decide which edge of phi is
// taken: those ending the blocks from each predecessor up to the block that
// dominates phi's.
func choosing(phi *ssa.Phi) []ssa.Value {
	stop := phi.Block().Idom()
	var out []ssa.Value
	for _, pred := range phi.Block().Preds {
		out = append(out, conditionsBetween(pred, stop)...)
	}
	return out
}

// conditionsBetween returns the conditions of the branches ending the blocks
// from b up the dominator tree to stop, both included.
func conditionsBetween(b, stop *ssa.BasicBlock) []ssa.Value {
	var out []ssa.Value
	for steps, d := 0, b; d != nil && steps < limits.DominatorSteps; steps, d = steps+1, d.Idom() {
		if br := code.LastIf(d); br != nil {
			out = append(out, br.Cond)
		}
		if d == stop {
			break
		}
	}
	return out
}

// usedAfter reports whether this goroutine goes on using the object v (a
// pointer, map or channel) after the act stores it: calls a method of it or passes it on, writes to its
// fields, sends it, starts a goroutine with it. Returning it, reading its
// fields and comparing it do not count: a memoizing function returns what it
// stored.
func usedAfter(v ssa.Value, act ssa.Instruction) bool {
	switch v.Type().Underlying().(type) {
	case *types.Pointer, *types.Map, *types.Chan:
	default:
		return false // a value, not an object with an identity
	}
	// In a loop, the uses past v's definition are of the next object.
	def, _ := v.(ssa.Instruction)
	seen := make(map[ssa.Value]bool)
	var used func(v ssa.Value, depth int) bool
	used = func(v ssa.Value, depth int) bool {
		if depth > maxUsedDepth || seen[v] {
			return false
		}
		seen[v] = true
		for _, r := range code.Referrers(v) {
			if r == act || !reachesAvoiding(act, r, def) {
				continue
			}
			switch r := r.(type) {
			case *ssa.Return, *ssa.DebugRef, *ssa.BinOp, *ssa.If:
			case *ssa.UnOp:
				if r.Op == token.MUL && used(r, depth+1) {
					return true
				}
			case *ssa.FieldAddr:
				if used(r, depth+1) {
					return true
				}
				for _, rr := range code.Referrers(r) {
					if st, ok := rr.(*ssa.Store); ok && st.Addr == r {
						return true
					}
				}
			case *ssa.IndexAddr:
				if used(r, depth+1) {
					return true
				}
			case *ssa.Field, *ssa.Index, *ssa.Lookup:
			case *ssa.MakeInterface, *ssa.ChangeType, *ssa.ChangeInterface, *ssa.Convert, *ssa.TypeAssert:
				if used(r.(ssa.Value), depth+1) {
					return true
				}
			default:
				return true // calls, stores, sends, go, defer, map updates, ...
			}
		}
		return false
	}
	return used(v, 0)
}

// filledWith returns what fills the memory at addr on the way to use: the
// values stored at addr or in the fields and elements of what it points to
// (a composite literal), the branch conditions between the making of a
// local object and its stores, and the other arguments of calls it is
// passed to (buildPlan(plan, t)).
func filledWith(addr ssa.Value, use ssa.Instruction) []ssa.Value {
	var out []ssa.Value
	fn := use.Parent()
	if fn == nil {
		return nil
	}
	// For an object made here, the branches between its making and a
	// store decide what it holds.
	var anchor *ssa.BasicBlock
	if alloc, ok := addr.(*ssa.Alloc); ok {
		anchor = alloc.Block()
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if !code.Reaches(instr, use) {
				continue
			}
			switch x := instr.(type) {
			case *ssa.Store:
				if storesInto(x, addr) {
					out = append(out, x.Val)
					if anchor != nil && b != anchor && anchor.Dominates(b) {
						out = append(out, conditionsBetween(b.Idom(), anchor)...)
					}
				}
			case *ssa.Call:
				args := x.Call.Args
				passed := false
				for _, a := range args {
					passed = passed || code.SameValue(a, addr)
				}
				if passed {
					for _, a := range args {
						if !code.SameValue(a, addr) {
							out = append(out, a)
						}
					}
				}
			}
		}
	}
	return out
}

func isGlobal(v ssa.Value) bool {
	_, ok := v.(*ssa.Global)
	return ok
}

// dependsOn reports whether v, used by instruction use, is computed from
// target.
func dependsOn(v ssa.Value, use ssa.Instruction, target ssa.Value) bool {
	return computedFrom(v, use, func(x ssa.Value) bool { return x == target })
}

// computedFrom reports whether v, used by instruction use, is computed from
// a value match accepts: through the operands of instructions, and through
// memory, from a variable or a load to the values stored there on the way.
func computedFrom(v ssa.Value, use ssa.Instruction, match func(ssa.Value) bool) bool {
	seen := make(map[ssa.Value]bool)
	var walk func(v ssa.Value, use ssa.Instruction, depth int) bool
	walk = func(v ssa.Value, use ssa.Instruction, depth int) bool {
		if v == nil || depth > maxDepth || seen[v] || len(seen) > maxComputed {
			return false
		}
		if match(v) {
			return true
		}
		seen[v] = true
		stored := func(val ssa.Value) bool { return walk(val, use, depth+1) }
		switch x := v.(type) {
		case *ssa.Alloc:
			// A local variable used at use: what is stored in it
			// on the way (e := *v.(*T); ...; m.Store(k, &e)).
			return storedAt(x, use, stored)
		case *ssa.UnOp:
			if x.Op == token.MUL && storedAt(x.X, x, stored) {
				return true
			}
		}
		instr, ok := v.(ssa.Instruction)
		if !ok {
			return false
		}
		for _, op := range instr.Operands(nil) {
			if op != nil && walk(*op, instr, depth+1) {
				return true
			}
		}
		return false
	}
	return walk(v, use, 0)
}

// storedAt reports whether f accepts a value stored at addr (or at the same
// access path), or in a field or element of what it points to (a composite
// literal, the array behind variadic arguments), by a store that can run
// before use.
func storedAt(addr ssa.Value, use ssa.Instruction, f func(ssa.Value) bool) bool {
	fn := use.Parent()
	if fn == nil {
		return false
	}
	var stores []*ssa.Store
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok && storesInto(st, addr) && code.Reaches(st, use) {
				stores = append(stores, st)
			}
		}
	}
	for _, st := range stores {
		if !overwritten(st, stores, use) && f(st.Val) {
			return true
		}
	}
	return false
}

// overwritten reports whether another of stores to the same place runs on
// every path from st to use (xs, _ := v.(T); ...; xs = make(T); use(xs)):
// the value st stored is gone by then.
func overwritten(st *ssa.Store, stores []*ssa.Store, use ssa.Instruction) bool {
	for _, other := range stores {
		if other != st && code.SameValue(other.Addr, st.Addr) && !reachesAvoiding(st, use, other) {
			return true
		}
	}
	return false
}

func storesInto(st *ssa.Store, addr ssa.Value) bool {
	switch a := st.Addr.(type) {
	case *ssa.FieldAddr:
		return code.SameValue(a.X, addr) || code.SameValue(a, addr)
	case *ssa.IndexAddr:
		return code.SameValue(a.X, addr) || code.SameValue(a, addr)
	}
	return code.SameValue(st.Addr, addr)
}

// reachesAvoiding reports whether some path leads from instruction a to
// instruction b of the same function without running instruction avoid
// (which may be nil).
func reachesAvoiding(a, b, avoid ssa.Instruction) bool {
	type from struct {
		b     *ssa.BasicBlock
		start int
	}
	seen := make(map[*ssa.BasicBlock]bool)
	queue := []from{{a.Block(), -1}}
	if i := code.Index(a); i >= 0 {
		queue[0].start = i + 1
	}
	if queue[0].start < 0 {
		return false
	}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		blocked := false
		for _, instr := range f.b.Instrs[f.start:] {
			if instr == b {
				return true
			}
			if instr == avoid {
				blocked = true
				break
			}
		}
		if blocked {
			continue
		}
		for _, s := range f.b.Succs {
			if !seen[s] {
				seen[s] = true
				queue = append(queue, from{s, 0})
			}
		}
	}
	return false
}
