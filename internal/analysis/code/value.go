package code

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// SameValue reports whether a and b provably hold the same value: the same SSA
// value, equal constants, or the same access path (field of the same base,
// load of the same variable, conversion or arithmetic of such).
func SameValue(a, b ssa.Value) bool { return sameValue(a, b, 0) }

// maxSameDepth bounds how many operations deep SameValue compares two
// values (a field of a load of a conversion ...).
const maxSameDepth = 12

func sameValue(a, b ssa.Value, depth int) bool {
	if a == b {
		return true
	}
	if depth > maxSameDepth || a == nil || b == nil || !types.Identical(a.Type(), b.Type()) {
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
		return ok && sameValue(x.X, y.X, depth+1)
	case *ssa.ChangeInterface:
		y, ok := b.(*ssa.ChangeInterface)
		return ok && sameValue(x.X, y.X, depth+1)
	case *ssa.ChangeType:
		y, ok := b.(*ssa.ChangeType)
		return ok && sameValue(x.X, y.X, depth+1)
	case *ssa.Convert:
		y, ok := b.(*ssa.Convert)
		return ok && sameValue(x.X, y.X, depth+1)
	case *ssa.FieldAddr:
		y, ok := b.(*ssa.FieldAddr)
		return ok && x.Field == y.Field && sameValue(x.X, y.X, depth+1)
	case *ssa.Field:
		y, ok := b.(*ssa.Field)
		return ok && x.Field == y.Field && sameValue(x.X, y.X, depth+1)
	case *ssa.IndexAddr:
		y, ok := b.(*ssa.IndexAddr)
		return ok && sameValue(x.X, y.X, depth+1) && sameValue(x.Index, y.Index, depth+1)
	case *ssa.UnOp:
		y, ok := b.(*ssa.UnOp)
		return ok && x.Op == token.MUL && y.Op == token.MUL && sameValue(x.X, y.X, depth+1)
	case *ssa.BinOp:
		y, ok := b.(*ssa.BinOp)
		return ok && x.Op == y.Op && sameValue(x.X, y.X, depth+1) && sameValue(x.Y, y.Y, depth+1)
	}
	return false
}

// Reaches reports whether some path leads from instruction a to instruction
// b of the same function.
func Reaches(a, b ssa.Instruction) bool {
	if a.Block() == nil || b.Block() == nil || a.Parent() != b.Parent() {
		return false
	}
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
