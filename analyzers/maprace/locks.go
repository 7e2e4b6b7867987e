package maprace

import (
	"go/token"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

// A heldLock is a mutex held at an access.
type heldLock struct {
	key  string // which mutex; "?" for one the check cannot name, which it takes to guard everything
	read bool   // held with RLock only
}

const anyLock = "?"

// The checks' names for what a call does to a mutex (code.LockCall).
// lockCall is code.LockCall with TryLock: code guarded by a TryLock that
// succeeded holds the lock.
func lockCall(instr ssa.Instruction) (ssa.Value, code.LockOp) { return code.LockCall(instr, true) }

// locksAt returns the locks held at instr in frame f: by the callers, and
// by f's function itself.
func (c *checker) locksAt(f *frame, instr ssa.Instruction) []heldLock {
	return append(append([]heldLock(nil), f.locks...), c.localLocksAt(f, instr)...)
}

// localLocksAt returns the locks f's function takes on some path to instr
// and does not release on any path from there to it: a lock taken only
// when a flag says the caller does not hold it yet (if !locked { mu.Lock() })
// counts, for the caller's lock is the same. A channel send that always
// comes first counts as an unnamed lock: a channel of capacity one used as
// a semaphore guards like a mutex, and the check cannot tell the capacity.
func (c *checker) localLocksAt(f *frame, at ssa.Instruction) []heldLock {
	var out []heldLock
	for _, b := range f.fn.Blocks {
		for _, instr := range b.Instrs {
			if isCAS(instr) && code.Reaches(instr, at) {
				// Who wins a compare-and-swap goes on alone (a hand-made once).
				out = append(out, heldLock{key: anyLock})
				continue
			}
			if _, ok := instr.(*ssa.Send); ok && code.Precedes(instr, at) {
				out = append(out, heldLock{key: anyLock})
				continue
			}
			mutex, op := lockCall(instr)
			if (op == code.Lock || op == code.RLock) && code.Reaches(instr, at) && !unlockedBetween(instr, at, mutex) {
				out = append(out, heldLock{key: c.lockKey(f, mutex), read: op == code.RLock})
			}
		}
	}
	return out
}

// isCAS reports whether instr calls a sync/atomic CompareAndSwap.
func isCAS(instr ssa.Instruction) bool {
	call, ok := instr.(*ssa.Call)
	if !ok {
		return false
	}
	fn := code.Callee(call.Common())
	return fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == "sync/atomic" && strings.HasPrefix(fn.Name(), "CompareAndSwap")
}

// lockKey names the mutex v denotes in f, as resolve names maps; a pointer
// to a mutex and the mutex it points to are one.
func (c *checker) lockKey(f *frame, v ssa.Value) string {
	if k, ok := c.resolve(f, v, 0); ok {
		return strings.TrimPrefix(k.key, "*")
	}
	return anyLock
}

// guarded reports whether one mutex excludes w from a: both hold it, and
// at least one exclusively.
func guarded(w, a *access) bool {
	// The function that starts a goroutine may be called with a lock held
	// ("lock held on entry"), which the check does not see: when the
	// goroutine takes any lock, it may be that one.
	if a.outer && len(w.locks) > 0 || w.outer && len(a.locks) > 0 {
		return true
	}
	for _, lw := range w.locks {
		for _, la := range a.locks {
			if lw.key == anyLock || la.key == anyLock {
				return true
			}
			if lw.key == la.key && (!lw.read || !la.read) {
				return true
			}
		}
	}
	return false
}

// readLocked returns whether w holds a read lock only where it needs the
// write lock: the mistake of RLock around a write.
func readLocked(w *access) bool {
	if len(w.locks) == 0 {
		return false
	}
	for _, l := range w.locks {
		if !l.read {
			return false
		}
	}
	return true
}

// unlockedBetween reports whether some path from instruction from to
// instruction to (not through from again) releases mutex and reaches to
// without taking it again.
func unlockedBetween(from, to ssa.Instruction, mutex ssa.Value) bool {
	return pathWhere(from, to, func(instr ssa.Instruction, released bool) bool {
		if m, op := lockCall(instr); op != code.NotLock && code.SameValue(m, mutex) {
			return op == code.Unlock
		}
		return released
	}, false)
}

// syncFree reports whether some path leads from instruction from (after
// it) to instruction to without a point where the goroutine that runs
// them may wait for another: a channel operation, a Wait, a call the check
// cannot see into. from == to asks whether from can run again so.
func syncFree(from, to ssa.Instruction) bool {
	return pathWhere(from, to, func(instr ssa.Instruction, free bool) bool {
		return free && !waits(instr)
	}, true)
}

// waits reports whether instr may wait for another goroutine.
func waits(instr ssa.Instruction) bool {
	switch in := instr.(type) {
	case *ssa.Send, *ssa.Select:
		return true
	case *ssa.UnOp:
		return in.Op == token.ARROW
	case *ssa.Call:
		common := in.Common()
		if _, ok := common.Value.(*ssa.Builtin); ok {
			return false
		}
		if _, op := lockCall(in); op != code.NotLock {
			return false // mutual exclusion is the locks' business
		}
		fn := code.Callee(common)
		if common.IsInvoke() || fn == nil || fn.Pkg == nil {
			return true
		}
		path := fn.Pkg.Pkg.Path()
		if !isStd(path) {
			return true
		}
		name := fn.Name()
		return path == "sync" && name != "Add" && name != "Done" ||
			strings.HasPrefix(name, "Wait") || path == "time" && name == "Sleep" || path == "os/signal"
	}
	return false
}

// isStd reports whether path may be of the standard library: its first
// element has no dot. unsavedload's isStdPath asks a narrower question (the
// first element is a known standard root, so a module "myservice" is not
// standard); the two stay apart on purpose, since either answer in the other
// check would change what it reports.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// pathWhere walks the paths from instruction from (exclusive) to
// instruction to, carrying a state that step updates at each instruction,
// and reports whether some path reaches to with the state true. A path
// that comes back to from ends there, unless from == to.
func pathWhere(from, to ssa.Instruction, step func(ssa.Instruction, bool) bool, init bool) bool {
	type node struct {
		b     *ssa.BasicBlock
		state bool
	}
	if from.Block() == nil || to.Block() == nil || from.Parent() != to.Parent() {
		return false
	}
	seen := make(map[node]bool)
	var queue []node
	walk := func(b *ssa.BasicBlock, start int, state bool) bool {
		for _, instr := range b.Instrs[start:] {
			if instr == to {
				return state
			}
			if instr == from {
				return false
			}
			state = step(instr, state)
		}
		for _, s := range b.Succs {
			if n := (node{s, state}); !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
		return false
	}
	start := code.Index(from)
	if start < 0 {
		return false
	}
	start++
	if walk(from.Block(), start, init) {
		return true
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if walk(n.b, 0, n.state) {
			return true
		}
	}
	return false
}
