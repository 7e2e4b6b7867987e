package checkthenact

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// same reports whether a and b provably hold the same value: the same SSA
// value, equal constants, or the same access path (field of the same base,
// load of the same variable, conversion or arithmetic of such).
func same(a, b ssa.Value, depth int) bool {
	if a == b {
		return true
	}
	if depth > maxDepth || a == nil || b == nil || !types.Identical(a.Type(), b.Type()) {
		return false
	}
	switch x := a.(type) {
	case *ssa.Const:
		y, ok := b.(*ssa.Const)
		if !ok {
			return false
		}
		if x.Value == nil || y.Value == nil {
			return x.Value == nil && y.Value == nil
		}
		return constant.Compare(x.Value, token.EQL, y.Value)
	case *ssa.MakeInterface:
		y, ok := b.(*ssa.MakeInterface)
		return ok && same(x.X, y.X, depth+1)
	case *ssa.ChangeInterface:
		y, ok := b.(*ssa.ChangeInterface)
		return ok && same(x.X, y.X, depth+1)
	case *ssa.ChangeType:
		y, ok := b.(*ssa.ChangeType)
		return ok && same(x.X, y.X, depth+1)
	case *ssa.Convert:
		y, ok := b.(*ssa.Convert)
		return ok && same(x.X, y.X, depth+1)
	case *ssa.FieldAddr:
		y, ok := b.(*ssa.FieldAddr)
		return ok && x.Field == y.Field && same(x.X, y.X, depth+1)
	case *ssa.Field:
		y, ok := b.(*ssa.Field)
		return ok && x.Field == y.Field && same(x.X, y.X, depth+1)
	case *ssa.IndexAddr:
		y, ok := b.(*ssa.IndexAddr)
		return ok && same(x.X, y.X, depth+1) && same(x.Index, y.Index, depth+1)
	case *ssa.UnOp:
		y, ok := b.(*ssa.UnOp)
		return ok && x.Op == token.MUL && y.Op == token.MUL && same(x.X, y.X, depth+1)
	case *ssa.BinOp:
		y, ok := b.(*ssa.BinOp)
		return ok && x.Op == y.Op && same(x.X, y.X, depth+1) && same(x.Y, y.Y, depth+1)
	}
	return false
}

// idempotent reports whether the value the act stores is one every
// goroutine taking this path would store: a constant, a package-level
// variable or function, or a value computed from the key alone (a memoized
// result, such as the size of a type keyed by the type). A fresh allocation
// is not, even from the key: each goroutine would keep its own copy.
func idempotent(p *pair) bool {
	stored := unwrap(p.act.Call.Args[2])
	switch x := stored.(type) {
	case *ssa.Const, *ssa.Global, *ssa.Function:
		return true
	case *ssa.UnOp:
		if x.Op == token.MUL && isGlobal(x.X) {
			return true
		}
	case *ssa.Alloc, *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeSlice, *ssa.MakeClosure:
		return false
	}
	return fromKey(stored, p.act, unwrap(p.act.Call.Args[1]))
}

// recomputed reports whether the value the act stores is computed from the
// key alone (and constants and package-level state): a stale entry
// refreshed the way any goroutine would refresh it.
func recomputed(p *pair) bool {
	return fromKey(unwrap(p.act.Call.Args[2]), p.act, unwrap(p.act.Call.Args[1]))
}

// fromKey reports whether v, used by instruction use, is computed from key
// and nothing but constants, functions, package-level variables and the
// method's receiver: every goroutine computing it for that key gets the
// same. Values through memory
// count (a variable, a composite literal's fields), the function a call
// calls does not; a call with no arguments (time.Now()) is not.
func fromKey(v ssa.Value, use ssa.Instruction, key ssa.Value) bool {
	memo := make(map[ssa.Value]int) // 1 pure without key, 2 pure with key, 3 impure or in progress
	var walk func(v ssa.Value, use ssa.Instruction, depth int) int
	pure := func(vals []ssa.Value, use ssa.Instruction, depth int) int {
		r := 1
		for _, x := range vals {
			switch w := walk(x, use, depth+1); w {
			case 3:
				return 3
			case 2:
				r = 2
			}
		}
		return r
	}
	walk = func(v ssa.Value, use ssa.Instruction, depth int) int {
		if same(v, key, 0) {
			return 2
		}
		if r, ok := memo[v]; ok {
			return r
		}
		if depth > maxDepth || len(memo) > 256 {
			return 3
		}
		memo[v] = 3
		r := 3
		switch x := v.(type) {
		case *ssa.Const, *ssa.Global, *ssa.Function, *ssa.Builtin:
			r = 1
		case *ssa.Alloc:
			r = pure(storedInto(x, use), use, depth)
		case *ssa.UnOp:
			switch {
			case x.Op != token.MUL:
				r = walk(x.X, x, depth+1)
			case isGlobal(x.X):
				r = 1
			default:
				// What this function wrote there on the way, or
				// else what the address is computed from (a field
				// of a value obtained from the key is too).
				if vals := storedInto(x.X, x); len(vals) > 0 {
					r = pure(vals, x, depth)
				} else {
					r = walk(x.X, x, depth+1)
				}
			}
		case *ssa.Call:
			args := x.Call.Args
			if x.Call.IsInvoke() {
				args = append([]ssa.Value{x.Call.Value}, args...)
			}
			if len(args) > 0 {
				r = pure(args, x, depth)
			}
		case *ssa.Parameter:
			// The receiver is the environment, like package state:
			// c.load(key) is as much a memo as load(key).
			if fn := x.Parent(); fn != nil && fn.Signature.Recv() != nil && len(fn.Params) > 0 && fn.Params[0] == x {
				r = 1
			}
		case *ssa.FreeVar:
		case ssa.Instruction:
			var ops []ssa.Value
			for _, op := range x.Operands(nil) {
				if op != nil && *op != nil {
					ops = append(ops, *op)
				}
			}
			r = pure(ops, x, depth)
		}
		memo[v] = r
		return r
	}
	return walk(v, use, 0) == 2
}

// storedInto returns the values stored, on the way to use, at addr or in
// the fields and elements of what addr points to (a composite literal).
func storedInto(addr ssa.Value, use ssa.Instruction) []ssa.Value {
	var out []ssa.Value
	fn := use.Parent()
	if fn == nil {
		return nil
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok || !reaches(st, use) {
				continue
			}
			switch a := st.Addr.(type) {
			case *ssa.FieldAddr:
				if same(a.X, addr, 0) {
					out = append(out, st.Val)
					continue
				}
			case *ssa.IndexAddr:
				if same(a.X, addr, 0) {
					out = append(out, st.Val)
					continue
				}
			}
			if same(st.Addr, addr, 0) {
				out = append(out, st.Val)
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
		if v == nil || depth > maxDepth || seen[v] || len(seen) > 256 {
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
// access path) by a store that can run before use.
func storedAt(addr ssa.Value, use ssa.Instruction, f func(ssa.Value) bool) bool {
	fn := use.Parent()
	if fn == nil {
		return false
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok && same(st.Addr, addr, 0) && reaches(st, use) && f(st.Val) {
				return true
			}
		}
	}
	return false
}

// reaches reports whether some path leads from instruction a to instruction
// b of the same function.
func reaches(a, b ssa.Instruction) bool {
	if a.Block() == b.Block() {
		for _, instr := range a.Block().Instrs {
			switch instr {
			case a:
				return true
			case b:
				// b comes first: only a loop back to b can follow a.
				return reachable(a.Block().Succs, b.Block())
			}
		}
		return false
	}
	return reachable(a.Block().Succs, b.Block())
}

// reachable reports whether target can be reached from the blocks from.
func reachable(from []*ssa.BasicBlock, target *ssa.BasicBlock) bool {
	seen := make(map[*ssa.BasicBlock]bool)
	queue := append([]*ssa.BasicBlock(nil), from...)
	for len(queue) > 0 {
		b := queue[0]
		queue = queue[1:]
		if b == target {
			return true
		}
		if seen[b] {
			continue
		}
		seen[b] = true
		queue = append(queue, b.Succs...)
	}
	return false
}
