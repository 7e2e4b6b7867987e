package code

import (
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/limits"
)

// EdgeCond returns the condition of the If that ends block from, and
// whether taking the edge from→to means that condition was true. ok is false
// when from does not end in an If, or both its branches lead to to.
func EdgeCond(from, to *ssa.BasicBlock) (cond ssa.Value, whenTrue bool, ok bool) {
	if from == nil || len(from.Succs) != 2 || from.Succs[0] == from.Succs[1] {
		return nil, false, false
	}
	br := LastIf(from)
	if br == nil {
		return nil, false, false
	}
	switch to {
	case from.Succs[0]:
		return br.Cond, true, true
	case from.Succs[1]:
		return br.Cond, false, true
	}
	return nil, false, false
}

// KnownConds calls f with each branch condition, and the value it had, that
// every path from the function's entry to block to has tested: every path to
// the edge from→to when from is not nil. It goes from the nearest condition
// outwards and stops when f returns false.
func KnownConds(to, from *ssa.BasicBlock, f func(cond ssa.Value, value bool) bool) {
	d := to
	if from != nil {
		if cond, value, ok := EdgeCond(from, to); ok && !f(cond, value) {
			return
		}
		d = from
	}
	// A block with a single predecessor is entered only through that
	// edge; walking up the dominator tree visits every such block that
	// dominates the start.
	for steps := 0; d != nil && steps < limits.DominatorSteps; steps++ {
		if len(d.Preds) == 1 {
			if cond, value, ok := EdgeCond(d.Preds[0], d); ok && !f(cond, value) {
				return
			}
		}
		d = d.Idom()
	}
}

// LastIf returns the If that ends block b, or nil.
func LastIf(b *ssa.BasicBlock) *ssa.If {
	if b == nil || len(b.Instrs) == 0 {
		return nil
	}
	br, _ := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	return br
}

// DominatingIfs calls f with the condition of each If that ends a block
// dominating block b strictly (so it runs before anything in b), nearest
// first, and stops when f returns false.
func DominatingIfs(b *ssa.BasicBlock, f func(cond ssa.Value) bool) {
	for steps, d := 0, b.Idom(); d != nil && steps < limits.DominatorSteps; steps, d = steps+1, d.Idom() {
		if br := LastIf(d); br != nil && !f(br.Cond) {
			return
		}
	}
}
