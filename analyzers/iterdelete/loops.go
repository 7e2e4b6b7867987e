package iterdelete

import (
	"go/constant"
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

// A loop is a natural loop of the SSA control-flow graph: a header block
// that dominates the sources of its back edges (the latches), and every
// block that reaches a latch without passing the header.
type loop struct {
	header  *ssa.BasicBlock
	latches []int  // indexes into header.Preds of the back edges
	in      []bool // by block index: the block belongs to the loop
	blocks  []*ssa.BasicBlock
}

// maxStates bounds each path search, so that no function can stall the check.
const maxStates = 20000

// loopAt returns the loop headed by h, or nil when no back edge enters h.
func (c *checker) loopAt(h *ssa.BasicBlock) *loop {
	if l, ok := c.loops[h]; ok {
		return l
	}
	var l *loop
	for i, p := range h.Preds {
		if h.Dominates(p) {
			if l == nil {
				l = &loop{header: h, in: make([]bool, len(h.Parent().Blocks))}
				l.add(h)
			}
			l.latches = append(l.latches, i)
		}
	}
	if l != nil {
		var stack []*ssa.BasicBlock
		for _, i := range l.latches {
			stack = append(stack, h.Preds[i])
		}
		for len(stack) > 0 {
			b := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if b.Index >= len(l.in) || l.in[b.Index] {
				continue
			}
			l.add(b)
			stack = append(stack, b.Preds...)
		}
	}
	c.loops[h] = l
	return l
}

func (l *loop) add(b *ssa.BasicBlock) {
	l.in[b.Index] = true
	l.blocks = append(l.blocks, b)
}

func (l *loop) contains(b *ssa.BasicBlock) bool {
	return b != nil && b.Index < len(l.in) && l.in[b.Index] && b.Parent() == l.header.Parent()
}

// isBackEdge reports whether the i'th predecessor edge of the header is a
// back edge.
func (l *loop) isBackEdge(i int) bool {
	for _, j := range l.latches {
		if i == j {
			return true
		}
	}
	return false
}

func (l *loop) isLatch(b *ssa.BasicBlock) bool {
	for _, i := range l.latches {
		if l.header.Preds[i] == b {
			return true
		}
	}
	return false
}

// continues reports whether, after instr, the loop can go on to its next
// iteration: some path from instr reaches a back edge without passing the
// header. A path that breaks, returns, panics or jumps out cannot.
func (l *loop) continues(instr ssa.Instruction) bool {
	from := instr.Block()
	if !l.contains(from) {
		return false
	}
	seen := make([]bool, len(l.in))
	stack := []*ssa.BasicBlock{from}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[b.Index] {
			continue
		}
		seen[b.Index] = true
		if l.isLatch(b) {
			return true
		}
		for _, s := range b.Succs {
			if s != l.header && l.contains(s) {
				stack = append(stack, s)
			}
		}
	}
	return false
}

// reaches reports whether some path within one iteration of l goes from
// instruction a to instruction b (a strictly before b).
func (l *loop) reaches(a, b ssa.Instruction) bool {
	ab, bb := a.Block(), b.Block()
	if !l.contains(ab) || !l.contains(bb) {
		return false
	}
	if ab == bb && code.Index(a) < code.Index(b) {
		return true
	}
	seen := make([]bool, len(l.in))
	stack := append([]*ssa.BasicBlock(nil), ab.Succs...)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x == l.header || !l.contains(x) || seen[x.Index] {
			continue
		}
		if x == bb {
			return true
		}
		seen[x.Index] = true
		stack = append(stack, x.Succs...)
	}
	return false
}

// defines reports whether instr is the instruction that computes v.
func defines(instr ssa.Instruction, v ssa.Value) bool {
	d, ok := v.(ssa.Instruction)
	return ok && d == instr
}

// intConst returns the value of an integer constant.
func intConst(v ssa.Value) (int64, bool) {
	c, ok := v.(*ssa.Const)
	if !ok || c.Value == nil || c.Value.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(c.Value)
}

// maxOffsetTerms bounds how many constants offset takes off a value.
const maxOffsetTerms = 8

// offset splits v into x + k for an integer constant k, looking through
// additions and subtractions of constants (i+1, i-1+1, 1+i).
func offset(v ssa.Value) (ssa.Value, int64) {
	var k int64
	for range maxOffsetTerms {
		b, ok := v.(*ssa.BinOp)
		if !ok {
			break
		}
		if c, ok := intConst(b.Y); ok && (b.Op == token.ADD || b.Op == token.SUB) {
			if b.Op == token.SUB {
				c = -c
			}
			k += c
			v = b.X
			continue
		}
		if c, ok := intConst(b.X); ok && b.Op == token.ADD {
			k += c
			v = b.Y
			continue
		}
		break
	}
	return v, k
}

// isZero reports whether v is the constant zero value of its type.
func isZero(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	if !ok {
		return false
	}
	if c.Value == nil {
		return true // nil, or the zero value of a struct or array
	}
	switch c.Value.Kind() {
	case constant.Int, constant.Float, constant.Complex:
		return constant.Sign(c.Value) == 0
	case constant.String:
		return constant.StringVal(c.Value) == ""
	case constant.Bool:
		return !constant.BoolVal(c.Value)
	}
	return false
}

// conds are branch conditions that a backward walk has committed to: it
// entered a block through the then or else edge of an if, so the if's
// condition had that value on the path. They let the walk skip paths that
// cannot run, such as the else of if removed { ... } after removed = true.
type conds [4]cond

type cond struct {
	v    ssa.Value
	want bool
}

// maxNots bounds how many ! withoutNot looks through.
const maxNots = 4

// withoutNot returns cond without the ! around it, and what it must be for
// cond to be when.
func withoutNot(cond ssa.Value, when bool) (ssa.Value, bool) {
	for range maxNots {
		not, ok := cond.(*ssa.UnOp)
		if !ok || not.Op != token.NOT {
			break
		}
		cond, when = not.X, !when
	}
	return cond, when
}

// with adds the condition v == want, dropping the oldest when full. It
// reports false when the conditions contradict each other.
func (cs conds) with(v ssa.Value, want bool) (conds, bool) {
	v, want = withoutNot(v, want)
	if c, ok := v.(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.Bool {
		return cs, constant.BoolVal(c.Value) == want
	}
	for _, c := range cs {
		if c.v == v {
			return cs, c.want == want
		}
	}
	copy(cs[1:], cs[:len(cs)-1])
	cs[0] = cond{v: v, want: want}
	return cs, true
}

// edgeConds returns the condition that holds on the edge from p to b.
func edgeConds(p, b *ssa.BasicBlock) conds {
	var cs conds
	if n := len(p.Instrs); n > 0 {
		if iff, ok := p.Instrs[n-1].(*ssa.If); ok && len(p.Succs) == 2 && p.Succs[0] != p.Succs[1] {
			cs, _ = cs.with(iff.Cond, p.Succs[0] == b)
		}
	}
	return cs
}

// stepBack calls visit for each predecessor of b that a backward walk under
// cs may continue to, with the conditions that hold at the end of it: a
// constrained boolean phi of b admits only the edges that can give it the
// wanted value, and the edge from an if adds the if's condition. Going back
// over the back edge of a loop headed by b (an inner loop of the one being
// walked) enters its previous iteration, where the loop's own values held
// other values: their conditions are dropped.
func stepBack(b *ssa.BasicBlock, cs conds, visit func(k int, pred *ssa.BasicBlock, cs conds)) {
preds:
	for k, pred := range b.Preds {
		next := cs
		if b.Dominates(pred) {
			next = cs.outside(loopBody(b, pred))
		}
		for _, instr := range b.Instrs {
			phi, ok := instr.(*ssa.Phi)
			if !ok {
				break
			}
			for _, c := range cs {
				if c.v == phi {
					if next, ok = next.with(phi.Edges[k], c.want); !ok {
						continue preds
					}
				}
			}
		}
		if n := len(pred.Instrs); n > 0 {
			if iff, ok := pred.Instrs[n-1].(*ssa.If); ok && len(pred.Succs) == 2 && pred.Succs[0] != pred.Succs[1] {
				if next, ok = next.with(iff.Cond, pred.Succs[0] == b); !ok {
					continue
				}
			}
		}
		visit(k, pred, next)
	}
}

// outside returns the conditions of cs on values not computed in body.
func (cs conds) outside(body map[*ssa.BasicBlock]bool) conds {
	var out conds
	n := 0
	for _, c := range cs {
		if c.v == nil {
			continue
		}
		if instr, ok := c.v.(ssa.Instruction); ok && body[instr.Block()] {
			continue
		}
		out[n] = c
		n++
	}
	return out
}

// loopBody returns the blocks of the loop that the back edge from latch to
// header closes: the header and every block that reaches latch without
// passing it.
func loopBody(header, latch *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	body := map[*ssa.BasicBlock]bool{header: true}
	stack := []*ssa.BasicBlock{latch}
	for len(stack) > 0 && len(body) <= maxStates {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if body[b] {
			continue
		}
		body[b] = true
		stack = append(stack, b.Preds...)
	}
	return body
}
