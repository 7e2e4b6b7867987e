package iterdelete

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

type delKind int

const (
	delAppend delKind = iota // s = append(s[:i], s[i+1:]...)
	delSlices                // s = slices.Delete(s, i, i+1)
	delCopy                  // copy(s[i:], s[i+1:]); s = s[:len(s)-1], or s = s[:i+copy(s[i:], s[i+1:])]
	delSwap                  // s[i] = s[len(s)-1]; s = s[:len(s)-1]
)

// A deletion shrinks a slice in place at an index: the elements after the
// index move down (or the last one moves into it, for delSwap).
type deletion struct {
	kind   delKind
	result ssa.Value       // the shrunk slice
	slice  ssa.Value       // the slice deleted from
	index  ssa.Value       // the index of the first deleted element
	at     ssa.Instruction // what to point at: the append, slices.Delete or copy call, or the swap's store
}

// deletions finds the in-place deletions of fn.
func deletions(fn *ssa.Function) []*deletion {
	var (
		out    []*deletion
		copies []*ssa.Call
		stores []*ssa.Store
		slices []*ssa.Slice
	)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Call:
				args := x.Call.Args
				switch builtinName(x) {
				case "append":
					if d := appendDeletion(x); d != nil {
						out = append(out, d)
					}
				case "copy":
					if len(args) == 2 {
						copies = append(copies, x)
					}
				default:
					if code.FuncName(x.Common()) == "slices.Delete" && len(args) == 3 {
						if beyond(args[2], args[1]) {
							out = append(out, &deletion{kind: delSlices, result: x, slice: args[0], index: args[1], at: x})
						}
					}
				}
			case *ssa.Store:
				stores = append(stores, x)
			case *ssa.Slice:
				if x.High != nil && x.Max == nil && (x.Low == nil || isZero(x.Low)) {
					slices = append(slices, x)
				}
			}
		}
	}
	for _, r := range slices {
		if d := reslice(r, copies, stores); d != nil {
			out = append(out, d)
		}
	}
	return out
}

func builtinName(call *ssa.Call) string {
	if b, ok := call.Call.Value.(*ssa.Builtin); ok {
		return b.Name()
	}
	return ""
}

// appendDeletion matches append(s[:i], s[i+k:]...) with k >= 1.
func appendDeletion(call *ssa.Call) *deletion {
	args := call.Call.Args
	if len(args) != 2 {
		return nil
	}
	head, ok1 := args[0].(*ssa.Slice)
	tail, ok2 := args[1].(*ssa.Slice)
	if !ok1 || !ok2 || head.High == nil || head.Max != nil || head.Low != nil && !isZero(head.Low) ||
		tail.Low == nil || tail.High != nil || tail.Max != nil || !sameSlice(head.X, tail.X) {
		return nil
	}
	if !beyond(tail.Low, head.High) {
		return nil
	}
	return &deletion{kind: delAppend, result: call, slice: head.X, index: head.High, at: call}
}

// beyond reports whether j is i plus a positive constant.
func beyond(j, i ssa.Value) bool {
	bj, kj := offset(j)
	bi, ki := offset(i)
	return bj == bi && kj > ki
}

// copyShift matches copy(s[i:], s[i+k:]) with k >= 1 and returns s and i.
func copyShift(call *ssa.Call) (s, i ssa.Value) {
	dst, ok1 := call.Call.Args[0].(*ssa.Slice)
	src, ok2 := call.Call.Args[1].(*ssa.Slice)
	if !ok1 || !ok2 || dst.Low == nil || src.Low == nil || dst.High != nil || src.High != nil ||
		dst.Max != nil || src.Max != nil || !sameSlice(dst.X, src.X) {
		return nil, nil
	}
	if !beyond(src.Low, dst.Low) {
		return nil, nil
	}
	return dst.X, dst.Low
}

// reslice matches the reslice that ends a copy or swap deletion:
// s[:i+copy(s[i:], s[i+1:])], or s[:len(s)-k] after copy(s[i:], s[i+k:]) or
// after s[i] = s[len(s)-1].
func reslice(r *ssa.Slice, copies []*ssa.Call, stores []*ssa.Store) *deletion {
	if h, ok := r.High.(*ssa.BinOp); ok && h.Op == token.ADD {
		for _, pair := range [][2]ssa.Value{{h.X, h.Y}, {h.Y, h.X}} {
			cp, ok := pair[1].(*ssa.Call)
			if !ok || builtinName(cp) != "copy" || len(cp.Call.Args) != 2 {
				continue
			}
			if s, i := copyShift(cp); s != nil && i == pair[0] && sameSlice(s, r.X) {
				return &deletion{kind: delCopy, result: r, slice: r.X, index: i, at: cp}
			}
		}
		return nil
	}
	if !isLenMinus(r.High, r.X) {
		return nil
	}
	for _, cp := range copies {
		if s, i := copyShift(cp); s != nil && sameSlice(s, r.X) && code.Precedes(cp, r) {
			return &deletion{kind: delCopy, result: r, slice: r.X, index: i, at: cp}
		}
	}
	for _, st := range stores {
		dst, ok1 := st.Addr.(*ssa.IndexAddr)
		val, ok2 := st.Val.(*ssa.UnOp)
		if !ok1 || !ok2 || val.Op != token.MUL {
			continue
		}
		src, ok := val.X.(*ssa.IndexAddr)
		if !ok || !sameSlice(dst.X, r.X) || !sameSlice(src.X, r.X) || !isLenMinus(src.Index, r.X) || !code.Precedes(st, r) {
			continue
		}
		return &deletion{kind: delSwap, result: r, slice: r.X, index: dst.Index, at: st}
	}
	return nil
}

// isLenMinus reports whether v is len(s) minus a positive constant.
func isLenMinus(v, s ssa.Value) bool {
	base, k := offset(v)
	call, ok := base.(*ssa.Call)
	return ok && k < 0 && builtinName(call) == "len" && len(call.Call.Args) == 1 && sameSlice(call.Call.Args[0], s)
}

// sameSlice reports whether a and b are one slice: one SSA value, or one
// field or package-level variable read twice.
func sameSlice(a, b ssa.Value) bool {
	_, ok := samePath(a, b)
	return ok
}

// checkSlices reports deletions at the current index of a loop that then
// goes on to the next index.
func (c *checker) checkSlices(fn *ssa.Function) {
	for _, d := range deletions(fn) {
		if c.budget.Exceeded() {
			return
		}
		idx, ok := indexPhi(d.index)
		if !ok {
			continue
		}
		res, ok := d.result.(ssa.Instruction)
		l := c.loopAt(idx.Block())
		if !ok || l == nil || !l.contains(res.Block()) {
			continue
		}
		var local *ssa.Phi   // the slice as a variable of the loop
		var store *ssa.Store // or the store of the shrunk slice back to memory
		if phi := loopVariable(l, d.slice); phi != nil {
			local = phi
		} else if store = storeBack(l, d); store == nil {
			continue
		}
		if !boundedBy(l, idx, local, d.slice) {
			continue // the loop walks another slice: its index does not skip here
		}
		if advancesAfterDeletion(l, idx, local, store, d.result) {
			c.reportSlice(l, d, idx)
		}
	}
}

// boundedBy reports whether the loop runs its index up to the length of the
// slice deleted from: some exit test of the loop compares the index (idx,
// plus a constant) with len(s), for s the slice variable as it is now
// (local), as it was when the loop started, or read again from the same
// field or variable. A loop over a copy of the slice, or over anything
// else, may shift its index on purpose after deleting from another slice.
func boundedBy(l *loop, idx, local *ssa.Phi, slice ssa.Value) bool {
	isSlice := func(y ssa.Value) bool {
		if local == nil {
			return sameSlice(y, slice)
		}
		if y == local {
			return true
		}
		for i, e := range local.Edges {
			if !l.isBackEdge(i) && e == y {
				return true
			}
		}
		return false
	}
	isLen := func(n ssa.Value) bool {
		call, ok := n.(*ssa.Call)
		return ok && builtinName(call) == "len" && len(call.Call.Args) == 1 && isSlice(call.Call.Args[0])
	}
	isIndex := func(v ssa.Value) bool {
		base, _ := offset(v)
		return base == idx
	}
	for _, b := range l.blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		iff, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok || len(b.Succs) != 2 || l.contains(b.Succs[0]) && l.contains(b.Succs[1]) {
			continue
		}
		cmp, ok := iff.Cond.(*ssa.BinOp)
		if !ok {
			continue
		}
		switch cmp.Op {
		case token.LSS, token.LEQ, token.GTR, token.GEQ, token.NEQ, token.EQL:
		default:
			continue
		}
		if isIndex(cmp.X) && isLen(cmp.Y) || isIndex(cmp.Y) && isLen(cmp.X) {
			return true
		}
	}
	return false
}

// indexPhi returns the loop index that v is at the start of an iteration:
// a phi of the loop header, or the header's phi+1 (the form go/ssa gives
// the index of a range loop over a slice).
func indexPhi(v ssa.Value) (*ssa.Phi, bool) {
	if phi, ok := v.(*ssa.Phi); ok && isInteger(phi.Type()) {
		return phi, true
	}
	b, ok := v.(*ssa.BinOp)
	if !ok {
		return nil, false
	}
	base, k := offset(b)
	phi, ok := base.(*ssa.Phi)
	if !ok || k != 1 || b.Block() != phi.Block() || !isInteger(phi.Type()) {
		return nil, false
	}
	return phi, true
}

func isInteger(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

// maxLoopNest bounds how many inner loops loopVariable looks through.
const maxLoopNest = 8

// loopVariable returns the phi of l's header that v is, as the variable the
// loop carries, or nil. Inside an inner loop the variable is a phi of the
// inner header, whose value on entering the inner loop is l's own.
func loopVariable(l *loop, v ssa.Value) *ssa.Phi {
	for range maxLoopNest {
		phi, ok := v.(*ssa.Phi)
		if !ok || !l.contains(phi.Block()) {
			return nil
		}
		if phi.Block() == l.header {
			return phi
		}
		var entry ssa.Value
		for i, e := range phi.Edges {
			if phi.Block().Dominates(phi.Block().Preds[i]) {
				continue // a back edge of the inner loop
			}
			if entry != nil && entry != e {
				return nil
			}
			entry = e
		}
		if entry == nil {
			return nil
		}
		v = entry
	}
	return nil
}

// storeBack returns the store, in the loop, of the shrunk slice to the
// memory it was loaded from (a field, a package-level variable, a captured
// variable), if any.
func storeBack(l *loop, d *deletion) *ssa.Store {
	load, ok := d.slice.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return nil
	}
	from, ok := pathOf(load.X)
	if !ok {
		return nil
	}
	for _, ref := range code.Referrers(d.result) {
		st, ok := ref.(*ssa.Store)
		if !ok || st.Val != d.result || !l.contains(st.Block()) {
			continue
		}
		if to, ok := pathOf(st.Addr); ok && to.equal(from) {
			return st
		}
	}
	return nil
}

// maxShift bounds the constant by which advancesAfterDeletion follows the
// index being shifted on a path (i-1, i+2); past it, the path sets the index
// to something else.
const maxShift = 16

// advancesAfterDeletion searches the paths of one iteration of l backwards
// from each back edge for one on which the shrunk slice becomes the loop's
// slice (local is updated to result, or store is executed) and the index
// goes on to idx+1. It follows both values through phis edge by edge, so
// that an i-- on the path of the deletion, or a path that skips the
// deletion, is told apart from the path that has the bug.
func advancesAfterDeletion(l *loop, idx, local *ssa.Phi, store *ssa.Store, result ssa.Value) bool {
	type state struct {
		b    *ssa.BasicBlock
		vi   ssa.Value // the value that becomes the next index
		off  int64     // plus this constant
		vs   ssa.Value // the value that becomes the next slice, until it is result
		done bool      // the deletion is on the path
		cs   conds
	}
	seen := make(map[state]bool)
	var stack []state
	for _, i := range l.latches {
		p := l.header.Preds[i]
		st := state{b: p, vi: idx.Edges[i], cs: edgeConds(p, l.header)}
		if local != nil {
			st.vs = local.Edges[i]
		}
		stack = append(stack, st)
	}
	for n := 0; len(stack) > 0 && n < maxStates; n++ {
		st := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[st] {
			continue
		}
		seen[st] = true
		b := st.b
		dead := false
		for j := len(b.Instrs) - 1; j >= 0 && !dead; j-- {
			instr := b.Instrs[j]
			if _, ok := instr.(*ssa.Phi); ok {
				break
			}
			if instr == store {
				st.done = true
			}
			if st.vs != nil && defines(instr, st.vs) {
				if st.vs != result {
					dead = true // the slice is changed again after the deletion
				}
				st.vs, st.done = nil, true
			}
			if defines(instr, st.vi) {
				base, k := offset(st.vi)
				if base == st.vi || k > maxShift || k < -maxShift {
					dead = true // the index is set to something else
				}
				st.vi, st.off = base, st.off+k
			}
		}
		if dead {
			continue
		}
		if b == l.header {
			if st.vi == idx && st.off == 1 && st.done {
				return true
			}
			continue
		}
		phiI, _ := st.vi.(*ssa.Phi)
		phiS, _ := st.vs.(*ssa.Phi)
		stepBack(b, st.cs, func(k int, pred *ssa.BasicBlock, cs conds) {
			next := state{b: pred, vi: st.vi, off: st.off, vs: st.vs, done: st.done, cs: cs}
			if phiI != nil && phiI.Block() == b {
				next.vi = phiI.Edges[k]
			}
			if phiS != nil && phiS.Block() == b {
				next.vs = phiS.Edges[k]
			}
			stack = append(stack, next)
		})
	}
	return false
}

// indexes reports whether the loop indexes the slice of d with the index
// of d: with a range loop, that index can then run past the shrunk slice.
func indexes(l *loop, d *deletion) bool {
	for _, b := range l.blocks {
		for _, instr := range b.Instrs {
			var x, i ssa.Value
			switch ix := instr.(type) {
			case *ssa.IndexAddr:
				x, i = ix.X, ix.Index
			case *ssa.Index:
				x, i = ix.X, ix.Index
			default:
				continue
			}
			if i != d.index {
				continue
			}
			if x == d.slice {
				return true
			}
			// A field read again inside the loop has the shrunk length.
			if load, ok := x.(*ssa.UnOp); ok && l.contains(load.Block()) && sameSlice(x, d.slice) {
				return true
			}
		}
	}
	return false
}

// indexUsedAfter reports whether the loop index is used after the deletion
// in the same iteration, other than by the increment that ends it: then
// decrementing it right after the deletion would change those uses.
func indexUsedAfter(l *loop, idx *ssa.Phi, after ssa.Instruction) bool {
	for _, ref := range code.Referrers(idx) {
		if !l.contains(ref.Block()) || ref.Block() == l.header {
			continue
		}
		if v, ok := ref.(ssa.Value); ok && feedsBackEdge(l, idx, v) {
			continue
		}
		if l.reaches(after, ref) {
			return true
		}
	}
	return false
}

func feedsBackEdge(l *loop, idx *ssa.Phi, v ssa.Value) bool {
	for _, i := range l.latches {
		if idx.Edges[i] == v {
			return true
		}
	}
	return false
}
