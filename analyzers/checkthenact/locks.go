package checkthenact

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/code"
)

type lockOp int

const (
	notLock lockOp = iota
	lock
	rlock
	unlock
)

// lockCall returns the mutex that instr locks or unlocks, and how: a call of
// a method Lock, RLock, Unlock or RUnlock (or their lower-case helpers) that
// takes and returns nothing, on any type, directly or through an interface.
func lockCall(instr ssa.Instruction) (ssa.Value, lockOp) {
	call, ok := instr.(*ssa.Call) // a deferred Unlock runs at return: not between
	if !ok {
		return nil, notLock
	}
	common := call.Common()
	var (
		name string
		recv ssa.Value
		sig  *types.Signature
	)
	if common.IsInvoke() {
		name, recv = common.Method.Name(), common.Value
		sig, _ = common.Method.Type().(*types.Signature)
	} else {
		callee := common.StaticCallee()
		if callee == nil || len(common.Args) == 0 {
			return nil, notLock
		}
		obj, ok := callee.Object().(*types.Func)
		if !ok || obj.Signature().Recv() == nil {
			return nil, notLock
		}
		name, recv, sig = obj.Name(), common.Args[0], obj.Signature()
	}
	if sig == nil || sig.Params().Len() != 0 || sig.Results().Len() != 0 {
		return nil, notLock
	}
	switch name {
	case "Lock", "lock":
		return recv, lock
	case "RLock", "rlock":
		return recv, rlock
	case "Unlock", "unlock", "RUnlock", "runlock":
		return recv, unlock
	}
	return nil, notLock
}

type heldLock struct {
	call      ssa.Instruction
	mutex     ssa.Value
	op        lockOp
	inherited bool // held by the function that creates this closure
}

// heldAcross reports whether an exclusive lock is held from read to act,
// which makes them one atomic step for everyone who takes that lock. When
// only read locks are held, it returns one of them, for the message.
func heldAcross(fn *ssa.Function, read, act ssa.Instruction) (bool, ssa.Instruction) {
	var readLock ssa.Instruction
	for _, l := range locksHeldAt(fn, read, 0) {
		if l.op == rlock {
			readLock = l.call
			continue
		}
		if l.inherited || !unlockedBetween(read, act, l.mutex) {
			return true, nil
		}
	}
	return false, readLock
}

// locksHeldAt returns the locks held at instruction at of fn: taken before
// it on every path and not released on the way, or held in the enclosing
// function where it creates fn, unless fn runs on a goroutine of its own.
func locksHeldAt(fn *ssa.Function, at ssa.Instruction, depth int) []heldLock {
	var out []heldLock
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			mutex, op := lockCall(instr)
			if (op == lock || op == rlock) && code.Precedes(instr, at) && !unlockedBetween(instr, at, mutex) {
				out = append(out, heldLock{call: instr, mutex: mutex, op: op})
			}
		}
	}
	if depth >= 4 {
		return out
	}
	// Inherit the locks held where the literal is created, unless a go
	// statement runs it (deferred or stored closures may run later
	// without the lock: the check errs towards silence there).
	created := sites(fn)
	for _, site := range created {
		if g, ok := site.(*ssa.Go); ok && passes(g.Common(), fn) {
			return out
		}
	}
	if len(created) > 0 {
		for _, l := range locksHeldAt(fn.Parent(), created[0], depth+1) {
			l.inherited = true
			out = append(out, l)
		}
	}
	return out
}

// unlockedBetween reports whether some path from instruction from to
// instruction to (not through from again) releases mutex and reaches to
// without taking it again.
func unlockedBetween(from, to ssa.Instruction, mutex ssa.Value) bool {
	type node struct {
		b        *ssa.BasicBlock
		released bool
	}
	seen := make(map[node]bool)
	var queue []node
	// walk scans b from instruction start and reports whether it reached
	// to with mutex released; otherwise it queues b's successors.
	walk := func(b *ssa.BasicBlock, start int, released bool) bool {
		for _, instr := range b.Instrs[start:] {
			if instr == to {
				return released
			}
			if instr == from {
				return false
			}
			if m, op := lockCall(instr); op != notLock && code.SameValue(m, mutex) {
				released = op == unlock
			}
		}
		for _, s := range b.Succs {
			if n := (node{s, released}); !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
		return false
	}
	start := -1
	for i, instr := range from.Block().Instrs {
		if instr == from {
			start = i + 1
		}
	}
	if start < 0 {
		return false
	}
	if walk(from.Block(), start, false) {
		return true
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if walk(n.b, 0, n.released) {
			return true
		}
	}
	return false
}
