package checkthenact

import (
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

// The checks' names for what a call does to a mutex (code.LockCall).
// lockCall is code.LockCall without TryLock: a lock that may not have been
// taken does not make a read and an act one step.
func lockCall(instr ssa.Instruction) (ssa.Value, code.LockOp) { return code.LockCall(instr, false) }

type heldLock struct {
	call      ssa.Instruction
	mutex     ssa.Value
	op        code.LockOp
	inherited bool // held by the function that creates this closure
}

// heldAcross reports whether an exclusive lock is held from read to act,
// which makes them one atomic step for everyone who takes that lock. When
// only read locks are held, it returns one of them, for the message.
func (c *checker) heldAcross(fn *ssa.Function, read, act ssa.Instruction) (bool, ssa.Instruction) {
	var readLock ssa.Instruction
	for _, l := range c.locksHeldAt(fn, read, 0) {
		if l.op == code.RLock {
			readLock = l.call
			continue
		}
		if l.inherited || !c.lockIndexOf(fn).unlockedBetween(read, act, l.mutex) {
			return true, nil
		}
	}
	return false, readLock
}

// locksHeldAt returns the locks held at instruction at of fn: taken before
// it on every path and not released on the way, or held in the enclosing
// function where it creates fn, unless fn runs on a goroutine of its own.
func (c *checker) locksHeldAt(fn *ssa.Function, at ssa.Instruction, depth int) []heldLock {
	var out []heldLock
	ix := c.lockIndexOf(fn)
	for _, e := range ix.takes {
		if code.Precedes(e.instr, at) && !ix.unlockedBetween(e.instr, at, e.mutex) {
			out = append(out, heldLock{call: e.instr, mutex: e.mutex, op: e.op})
		}
	}
	if depth >= maxLockNest {
		return out
	}
	// Inherit the locks held where the literal is created, unless a go
	// statement runs it (deferred or stored closures may run later
	// without the lock: the check errs towards silence there).
	created := c.sites(fn)
	for _, site := range created {
		if g, ok := site.(*ssa.Go); ok && passes(g.Common(), fn) {
			return out
		}
	}
	if len(created) > 0 {
		for _, l := range c.locksHeldAt(fn.Parent(), created[0], depth+1) {
			l.inherited = true
			out = append(out, l)
		}
	}
	return out
}

// A lockIndex holds the lock and unlock calls of one function, found once:
// unlockedBetween walks the function for each lock held at each read, and
// testing every instruction of every block it passes (lockCall) made a long
// function with many locks and sync.Map calls cubic in its length.
type lockIndex struct {
	events map[*ssa.BasicBlock][]lockEvent // by block, in order
	takes  []lockEvent                     // the Lock and RLock calls, in block order
}

type lockEvent struct {
	index int // in its block's Instrs
	instr ssa.Instruction
	mutex ssa.Value
	op    code.LockOp
}

func (c *checker) lockIndexOf(fn *ssa.Function) *lockIndex {
	if ix, ok := c.locks[fn]; ok {
		return ix
	}
	ix := &lockIndex{events: make(map[*ssa.BasicBlock][]lockEvent)}
	for _, b := range fn.Blocks {
		for i, instr := range b.Instrs {
			mutex, op := lockCall(instr)
			if op == code.NotLock {
				continue
			}
			e := lockEvent{index: i, instr: instr, mutex: mutex, op: op}
			ix.events[b] = append(ix.events[b], e)
			if op == code.Lock || op == code.RLock {
				ix.takes = append(ix.takes, e)
			}
		}
	}
	c.locks[fn] = ix
	return ix
}

// unlockedBetween reports whether some path from instruction from to
// instruction to (not through from again) releases mutex and reaches to
// without taking it again. Both are instructions of the indexed function.
func (ix *lockIndex) unlockedBetween(from, to ssa.Instruction, mutex ssa.Value) bool {
	type node struct {
		b        *ssa.BasicBlock
		released bool
	}
	fromAt, toAt := code.Index(from), code.Index(to)
	if fromAt < 0 {
		return false
	}
	seen := make(map[node]bool)
	var queue []node
	// walk scans b from instruction start and reports whether it reached
	// to with mutex released; otherwise it queues b's successors.
	walk := func(b *ssa.BasicBlock, start int, released bool) bool {
		end, endsAt := len(b.Instrs), ssa.Instruction(nil)
		if b == to.Block() && toAt >= start {
			end, endsAt = toAt, to
		}
		if b == from.Block() && fromAt >= start && fromAt < end {
			end, endsAt = fromAt, from
		}
		for _, e := range ix.events[b] {
			if e.index >= end {
				break
			}
			if e.index >= start && code.SameValue(e.mutex, mutex) {
				released = e.op == code.Unlock
			}
		}
		switch endsAt {
		case to:
			return released
		case from:
			return false
		}
		for _, s := range b.Succs {
			if n := (node{s, released}); !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
		return false
	}
	if walk(from.Block(), fromAt+1, false) {
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
