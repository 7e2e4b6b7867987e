package lostwrite

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

// checkLoadOrStore reports calls of (*sync.Map).LoadOrStore whose actual
// result is dropped while the candidate value, a pointer, map or channel, is
// used afterwards as if it were the stored one. When the key is already
// present, the candidate is not in the map: what is done to it is lost.
func (c *checker) checkLoadOrStore(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || code.FuncName(call.Common()) != "(*sync.Map).LoadOrStore" || len(call.Call.Args) != 3 {
				continue
			}
			mi, ok := call.Call.Args[2].(*ssa.MakeInterface)
			if !ok || !hasIdentity(mi.X.Type()) {
				continue
			}
			actual, loaded := results(call)
			if actual != nil {
				// The code has the stored value: only work done on the
				// candidate without knowing which one was stored is lost.
				if use := unguardedUse(call, mi, loaded, actual); use != nil && worksOn(use, mi.X) {
					c.reportCandidateUse(call, mi.X, use)
				}
				continue
			}
			if use := unguardedUse(call, mi, loaded, nil); use != nil {
				c.reportLoadOrStore(call, mi.X, use)
			}
		}
	}
}

// hasIdentity reports whether values of type t refer to shared state that
// the stored value and the candidate would not share: pointers, maps and
// channels.
func hasIdentity(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Map, *types.Chan:
		return true
	}
	return false
}

// results returns the actual value and the loaded result of call, each if
// it is used. When the tuple flows somewhere this check does not follow, the
// actual value is call itself.
func results(call *ssa.Call) (actual ssa.Value, loaded *ssa.Extract) {
	for _, r := range code.Referrers(call) {
		ext, ok := r.(*ssa.Extract)
		if !ok {
			return call, nil
		}
		if len(code.Referrers(ext)) == 0 {
			continue
		}
		if ext.Index == 0 {
			actual = ext
		} else {
			loaded = ext
		}
	}
	return actual, loaded
}

// unguardedUse returns a use of the candidate v (converted by mi for the
// call) that runs after the call without the code having checked loaded:
// a use inside either branch of if loaded { ... } else { ... } knows
// whether v was stored, and so does one inside a branch of a comparison
// that involves the actual value (if actual != v { ... }). It returns nil
// if there is none, or if loaded is used in a way this check does not
// follow.
func unguardedUse(call *ssa.Call, mi *ssa.MakeInterface, loaded *ssa.Extract, actual ssa.Value) ssa.Instruction {
	var branches []*ssa.BasicBlock
	if actual != nil {
		for _, cmp := range comparisons(actual, maxDerived) {
			for _, r := range code.Referrers(cmp) {
				if _, ok := r.(*ssa.If); ok {
					branches = append(branches, r.Block().Succs...)
				}
			}
		}
	}
	if loaded != nil {
		for _, r := range code.Referrers(loaded) {
			b := r.Block()
			switch r := r.(type) {
			case *ssa.If:
				branches = append(branches, b.Succs...)
				continue
			case *ssa.UnOp:
				if r.Op == token.NOT && len(code.Referrers(r)) == 1 {
					if _, ok := code.Referrers(r)[0].(*ssa.If); ok {
						branches = append(branches, b.Succs...)
						continue
					}
				}
			}
			return nil
		}
	}
	v := mi.X
	for _, r := range code.Referrers(v) {
		if r == mi {
			continue
		}
		switch r.(type) {
		case *ssa.Phi, *ssa.DebugRef:
			continue // merged with another value: not followed
		case *ssa.BinOp:
			continue // compared
		}
		if !runsAfter(call, r) {
			continue
		}
		guarded := false
		for _, br := range branches {
			if len(br.Preds) == 1 && br.Dominates(r.Block()) {
				guarded = true
			}
		}
		if !guarded {
			return r
		}
	}
	return nil
}

// runsAfter reports whether instr can run after call in the same execution
// of the function: later in call's block, or in a block reachable from it.
func runsAfter(call, instr ssa.Instruction) bool {
	b := call.Block()
	if instr.Block() == b {
		for _, x := range b.Instrs {
			if x == call {
				return true
			}
			if x == instr {
				break
			}
		}
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[x] {
			continue
		}
		seen[x] = true
		if x == instr.Block() {
			return true
		}
		work = append(work, x.Succs...)
	}
	return false
}

// maxDerived bounds how many type assertions and conversions comparisons
// looks through from the value LoadOrStore returned.
const maxDerived = 4

// comparisons returns the == and != comparisons of v, or of a value derived
// from it by a type assertion or a conversion (up to depth steps): tests
// of which value is in the map.
func comparisons(v ssa.Value, depth int) []*ssa.BinOp {
	if depth == 0 {
		return nil
	}
	var out []*ssa.BinOp
	for _, r := range code.Referrers(v) {
		switch r := r.(type) {
		case *ssa.BinOp:
			if r.Op == token.EQL || r.Op == token.NEQ {
				out = append(out, r)
			}
		case *ssa.TypeAssert, *ssa.Extract, *ssa.ChangeType, *ssa.ChangeInterface:
			out = append(out, comparisons(r.(ssa.Value), depth-1)...)
		}
	}
	return out
}

// worksOn reports whether use does work on the candidate v that matters
// only if v is the stored value: calls a method on it, passes it to a
// function of this package, writes one of its fields or map entries, or
// sends on it.
func worksOn(use ssa.Instruction, v ssa.Value) bool {
	switch u := use.(type) {
	case *ssa.Call:
		common := u.Common()
		if common.IsInvoke() {
			return common.Value == v
		}
		callee := common.StaticCallee()
		if callee == nil || len(common.Args) == 0 {
			return false
		}
		if callee.Signature.Recv() != nil {
			return common.Args[0] == v
		}
		if o := callee.Origin(); o != nil {
			callee = o
		}
		return callee.Pkg != nil && callee.Pkg == use.Parent().Pkg && slices.Contains(common.Args, v)
	case *ssa.FieldAddr:
		for _, r := range code.Referrers(u) {
			if st, ok := r.(*ssa.Store); ok && st.Addr == u {
				return true
			}
		}
	case *ssa.MapUpdate:
		return u.Map == v
	case *ssa.Send:
		return u.Chan == v
	}
	return false
}
