package code

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A LockOp is what a call does to a mutex.
type LockOp int

const (
	NotLock LockOp = iota
	Lock
	RLock
	Unlock // Unlock or RUnlock
)

// LockCall returns the mutex instr locks or unlocks, and how: a call of a
// method Lock, RLock, Unlock or RUnlock (or their lower-case helpers) that
// takes no argument, on any type, directly or through an interface. With
// tryLock, TryLock and TryRLock count as taking the lock (whether they
// succeeded is not looked at) and the method may return values; without
// it, it must return nothing. A deferred Unlock is a Defer, not a Call: it runs at
// return, and the lock stays held until then.
func LockCall(instr ssa.Instruction, tryLock bool) (ssa.Value, LockOp) {
	call, ok := instr.(*ssa.Call)
	if !ok {
		return nil, NotLock
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
			return nil, NotLock
		}
		obj, ok := callee.Object().(*types.Func)
		if !ok || obj.Signature().Recv() == nil {
			return nil, NotLock
		}
		name, recv, sig = obj.Name(), common.Args[0], obj.Signature()
	}
	if sig == nil || sig.Params().Len() != 0 || !tryLock && sig.Results().Len() != 0 {
		return nil, NotLock
	}
	switch name {
	case "Lock", "lock":
		return recv, Lock
	case "RLock", "rlock":
		return recv, RLock
	case "Unlock", "unlock", "RUnlock", "runlock":
		return recv, Unlock
	case "TryLock":
		if tryLock {
			return recv, Lock
		}
	case "TryRLock":
		if tryLock {
			return recv, RLock
		}
	}
	return nil, NotLock
}
