package copies

import (
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/fieldpath"
)

// A Fate is what happens to a part of a copy after an instruction.
type Fate struct {
	// Later holds the accesses to the copy that can execute after the
	// instruction while the part still holds what was there: before the
	// part is overwritten and before the copy is redefined.
	Later []Access
	// Dies reports that on some path the function returns, or the variable
	// is redefined (a new iteration, a new copy stored into it), with the
	// part neither overwritten nor accessed in between.
	Dies bool
}

// After follows the control flow from just after instruction at and returns
// the fate of part p of the copy.
//
// A write that covers p ends a path (what was written is gone: a plain dead
// store, not a lost copy); so does re-executing the variable's allocation or
// storing a whole new value into it, which is where the copy dies. Paths
// that end in a panic die quietly: losing a copy on the way to a crash is
// not the bug these checks look for.
func (c *Copy) After(at ssa.Instruction, p fieldpath.Path) Fate {
	var fate Fate
	start := at.Block()
	if start == nil {
		return fate
	}
	from := code.Index(at) + 1
	if from == 0 {
		return fate
	}
	seen := make(map[*ssa.BasicBlock]bool)
	type item struct {
		b    *ssa.BasicBlock
		from int
	}
	work := []item{{start, from}}
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		if c.scan(it.b.Instrs[it.from:], p, &fate) {
			continue
		}
		for _, s := range it.b.Succs {
			if !seen[s] {
				seen[s] = true
				work = append(work, item{s, 0})
			}
		}
	}
	return fate
}

// scan walks instrs, adding the accesses it meets to fate, and reports
// whether the path ended (p overwritten, the copy dead, or the function
// left).
func (c *Copy) scan(instrs []ssa.Instruction, p fieldpath.Path, fate *Fate) (ended bool) {
	for _, instr := range instrs {
		if instr == c.Var {
			fate.Dies = true // a new variable each time the allocation runs
			return true
		}
		var writes []Access
		for _, i := range c.at[instr] {
			a := c.accesses[i]
			if a.Op == Write {
				writes = append(writes, a)
				continue
			}
			fate.Later = append(fate.Later, a)
		}
		for _, w := range writes {
			switch {
			case len(w.Path) == 0:
				fate.Dies = true
				return true
			case fieldpath.Covers(w.Path, p):
				return true
			default:
				fate.Later = append(fate.Later, w)
			}
		}
		switch instr.(type) {
		case *ssa.Return:
			fate.Dies = true
			return true
		case *ssa.Panic:
			return true
		}
	}
	return false
}
