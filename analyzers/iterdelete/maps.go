package iterdelete

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/report"
)

// checkMaps reports assignments, inside a range over a map, that may add a
// key to that same map while the loop goes on.
func (c *checker) checkMaps(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			rng, ok := instr.(*ssa.Range)
			if !ok || !isMap(rng.X.Type()) {
				continue
			}
			next := nextOf(rng)
			if next == nil {
				continue
			}
			l := c.loopAt(next.Block())
			if l == nil {
				continue
			}
			for _, lb := range l.blocks {
				for _, instr := range lb.Instrs {
					u, ok := instr.(*ssa.MapUpdate)
					if !ok || !sameMap(l, u.Map, rng.X) || existingKey(l, u, rng.X) ||
						!perIteration(l, next, rng.X, u.Key) || !l.continues(u) {
						continue
					}
					c.reportMap(rng, u)
				}
			}
		}
	}
}

// perIteration reports whether key is computed from what changes from one
// iteration of the range to the next: the current key or value, a variable
// the loop carries, or the map itself (len(m)). Keys computed from nothing
// of the sort (constants, parameters, an inner loop's counter) are the same
// set in every iteration, so the loop adds at most that fixed set of
// entries; code that does this on purpose, such as the runtime's tests that
// grow a map while ranging over it, ignores them. A key derived from the
// current entry is the bug: each new entry may or may not be visited, and
// may derive yet another.
func perIteration(l *loop, next *ssa.Next, m, key ssa.Value) bool {
	seen := make(map[ssa.Value]bool)
	var depends func(v ssa.Value, depth int) bool
	depends = func(v ssa.Value, depth int) bool {
		if v == nil || seen[v] || depth > 24 {
			return false
		}
		seen[v] = true
		switch x := v.(type) {
		case *ssa.Extract:
			if x.Tuple == next {
				return true
			}
		case *ssa.Phi:
			if x.Block() == l.header {
				return true
			}
		case *ssa.Alloc:
			// A composite literal or local variable: what is stored in it.
			for _, val := range valuesStoredIn(x) {
				if depends(val, depth+1) {
					return true
				}
			}
			return false
		}
		if v == m {
			return true
		}
		instr, ok := v.(ssa.Instruction)
		if !ok {
			return false // a parameter, constant, global or free variable
		}
		for _, op := range instr.Operands(nil) {
			if op != nil && depends(*op, depth+1) {
				return true
			}
		}
		return false
	}
	return depends(key, 0)
}

// valuesStoredIn returns the values stored into alloc or into its fields and
// elements.
func valuesStoredIn(alloc *ssa.Alloc) []ssa.Value {
	var out []ssa.Value
	addrs := []ssa.Value{alloc}
	for len(addrs) > 0 && len(addrs) < 64 {
		a := addrs[len(addrs)-1]
		addrs = addrs[:len(addrs)-1]
		for _, ref := range referrers(a) {
			switch r := ref.(type) {
			case *ssa.Store:
				if r.Addr == a {
					out = append(out, r.Val)
				}
			case *ssa.FieldAddr:
				addrs = append(addrs, r)
			case *ssa.IndexAddr:
				addrs = append(addrs, r)
			}
		}
	}
	return out
}

// nextOf returns the Next instruction that advances the iterator of rng.
func nextOf(rng *ssa.Range) *ssa.Next {
	for _, ref := range referrers(rng) {
		if n, ok := ref.(*ssa.Next); ok && n.Iter == rng && !n.IsString {
			return n
		}
	}
	return nil
}

// sameMap reports whether a and b are one map: one SSA value, or two loads
// of one access path that the loop does not assign.
func sameMap(l *loop, a, b ssa.Value) bool {
	if a == b {
		return true
	}
	la, ok1 := a.(*ssa.UnOp)
	lb, ok2 := b.(*ssa.UnOp)
	if !ok1 || !ok2 || la.Op != token.MUL || lb.Op != token.MUL {
		return false
	}
	pa, ok1 := pathOf(la.X)
	pb, ok2 := pathOf(lb.X)
	return ok1 && ok2 && pa.equal(pb) && !storedIn(l.blocks, pa)
}

// existingKey reports whether the key that u assigns is known to be in the
// map already: it is the current key of this range or of an enclosing range
// over the same map, or u runs only where a lookup found the key.
func existingKey(l *loop, u *ssa.MapUpdate, m ssa.Value) bool {
	if ex, ok := u.Key.(*ssa.Extract); ok && ex.Index == 1 {
		if n, ok := ex.Tuple.(*ssa.Next); ok {
			if rng, ok := n.Iter.(*ssa.Range); ok && !n.IsString && sameMap(l, rng.X, m) {
				return true
			}
		}
	}
	// A block on the dominator path to u with a single predecessor ending
	// in an if is entered only when that if's condition had one value.
	for b := u.Block(); b != nil && b != l.header; b = b.Idom() {
		if len(b.Preds) != 1 {
			continue
		}
		p := b.Preds[0]
		if len(p.Instrs) == 0 {
			continue
		}
		iff, ok := p.Instrs[len(p.Instrs)-1].(*ssa.If)
		if ok && len(p.Succs) == 2 && present(l, iff.Cond, p.Succs[0] == b, u.Key, m) {
			return true
		}
	}
	return false
}

// present reports whether cond being (when) implies that key is in m: cond
// is the ok of a comma-ok lookup of key, or a lookup of key compared as
// non-zero (a missing key reads as zero).
func present(l *loop, cond ssa.Value, when bool, key, m ssa.Value) bool {
	for range 4 {
		not, ok := cond.(*ssa.UnOp)
		if !ok || not.Op != token.NOT {
			break
		}
		cond, when = not.X, !when
	}
	lookedUp := func(v ssa.Value) bool {
		lk, ok := v.(*ssa.Lookup)
		return ok && lk.Index == key && sameMap(l, lk.X, m)
	}
	switch x := cond.(type) {
	case *ssa.Extract:
		if lk, ok := x.Tuple.(*ssa.Lookup); ok && x.Index == 1 && lk.CommaOk {
			return when && lk.Index == key && sameMap(l, lk.X, m)
		}
	case *ssa.Lookup:
		return when && !x.CommaOk && lookedUp(x) // a map of bools
	case *ssa.BinOp:
		v, zero := x.X, x.Y
		if isZero(v) {
			v, zero = zero, v
		}
		if !isZero(zero) || !lookedUp(v) {
			return false
		}
		switch x.Op {
		case token.NEQ:
			return when
		case token.EQL:
			return !when
		}
	}
	return false
}

func (c *checker) reportMap(rng *ssa.Range, u *ssa.MapUpdate) {
	var index *ast.IndexExpr
	for _, n := range c.enclosing(u.Pos(), u.Pos()) {
		if ix, ok := n.(*ast.IndexExpr); ok && ix.Lbrack == u.Pos() {
			index = ix
			break
		}
	}
	var loop *ast.RangeStmt
	for _, n := range c.enclosing(rng.Pos(), rng.Pos()) {
		if r, ok := n.(*ast.RangeStmt); ok && r.For == rng.Pos() {
			loop = r
			break
		}
	}
	if index == nil || loop == nil {
		return // a composite literal, or no syntax to point at
	}
	m := c.text(index.X)
	report.Report(c.pass, analysis.Diagnostic{
		Pos: index.Pos(),
		End: index.End(),
		Message: m + "[" + c.text(index.Index) + "] may add a key to " + m + " while ranging over it: " +
			"the spec leaves unspecified whether the loop visits an entry added during iteration, so the result can change from run to run",
		Related: []analysis.RelatedInformation{report.Related(loop.X, "the range over %s starts here", c.text(loop.X))},
	})
}
