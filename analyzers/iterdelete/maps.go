package iterdelete

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

// checkMaps reports assignments, inside a range over a map, that add to
// that same map a key which, if the loop visits the new entry, makes the
// same assignment add yet another key.
func (c *checker) checkMaps(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			rng, ok := instr.(*ssa.Range)
			if !ok || !code.IsCoreMap(rng.X.Type()) {
				continue
			}
			if c.budget.Exceeded() {
				return
			}
			next := nextOf(rng)
			if next == nil {
				continue
			}
			l := c.loopAt(next.Block())
			if l == nil {
				continue
			}
			r := &mapRange{l: l, next: next, m: rng.X, memo: make(map[ssa.Value]bool)}
			for _, lb := range l.blocks {
				for _, instr := range lb.Instrs {
					u, ok := instr.(*ssa.MapUpdate)
					if !ok || !sameMap(l, u.Map, rng.X) || existingKey(l, u, rng.X) ||
						!r.cascades(u) || !l.continues(u) {
						continue
					}
					c.reportMap(rng, u)
				}
			}
		}
	}
}

// A mapRange is a range loop over the map m whose iterator is advanced by
// next.
//
// The check reports an insertion only when it is sure that visiting the
// new entry would insert again: the key grows from the current entry (k+"x",
// k+1, a struct with a field incremented, a counter the loop carries), and
// no condition on the current entry guards the insertion. Then whether the
// loop visits each new entry decides how many entries the map ends with.
// Keys the code derives through calls (strings.ToLower(k), normalize(k))
// are usually idempotent normalizations, which are correct: visiting the
// new entry writes the same key again. Guarded insertions
// (if !strings.HasSuffix(k, "_copy")) usually stop on the new entry.
type mapRange struct {
	l    *loop
	next *ssa.Next
	m    ssa.Value
	memo map[ssa.Value]bool // depends, by value
}

// maxDepth bounds the walks over values that decide what an insertion's key
// depends on, and the loads parentOf looks through.
const maxDepth = 32

// depends reports whether v is computed from what changes from one
// iteration to the next: the current key or value, a variable the loop
// carries, or the map itself.
func (r *mapRange) depends(v ssa.Value, depth int) bool {
	if v == nil || depth > maxDepth {
		return false
	}
	if d, ok := r.memo[v]; ok {
		return d
	}
	r.memo[v] = false // cycles through phis
	d := r.dependsUncached(v, depth)
	r.memo[v] = d
	return d
}

func (r *mapRange) dependsUncached(v ssa.Value, depth int) bool {
	switch x := v.(type) {
	case *ssa.Extract:
		if x.Tuple == r.next {
			return true
		}
	case *ssa.Phi:
		if x.Block() == r.l.header {
			return true
		}
	case *ssa.Alloc:
		// A composite literal or local variable: what is stored in it.
		for _, val := range valuesStoredIn(x) {
			if r.depends(val, depth+1) {
				return true
			}
		}
		return false
	}
	if v == r.m {
		return true
	}
	instr, ok := v.(ssa.Instruction)
	if !ok {
		return false // a parameter, constant, global or free variable
	}
	for _, op := range instr.Operands(nil) {
		if op != nil && r.depends(*op, depth+1) {
			return true
		}
	}
	return false
}

// grows reports whether key is, on every path, the current key or value (or
// a counter the loop carries) changed by an operation that changes it again
// when applied to its own result: concatenation with a string, adding a
// non-zero constant, a composite key with such a field.
func (r *mapRange) grows(key ssa.Value, depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch x := key.(type) {
	case *ssa.Phi:
		if x.Block() == r.l.header {
			return r.isCounter(x)
		}
		if !r.l.contains(x.Block()) {
			return false
		}
		for _, e := range x.Edges {
			if !r.grows(e, depth+1) {
				return false
			}
		}
		return len(x.Edges) > 0
	case *ssa.BinOp:
		if x.Op != token.ADD && x.Op != token.SUB {
			return false
		}
		if isString(x.Type()) {
			return x.Op == token.ADD &&
				(r.depends(x.X, depth+1) && !isZero(x.Y) || r.depends(x.Y, depth+1) && !isZero(x.X))
		}
		if k, ok := intConst(x.Y); ok && k != 0 {
			return r.depends(x.X, depth+1)
		}
		if k, ok := intConst(x.X); ok && k != 0 && x.Op == token.ADD {
			return r.depends(x.Y, depth+1)
		}
	case *ssa.ChangeType:
		return r.grows(x.X, depth+1)
	case *ssa.Convert:
		return r.grows(x.X, depth+1)
	case *ssa.MakeInterface:
		return r.grows(x.X, depth+1)
	case *ssa.UnOp:
		if alloc, ok := x.X.(*ssa.Alloc); ok && x.Op == token.MUL {
			for _, val := range valuesStoredIn(alloc) {
				if r.grows(val, depth+1) {
					return true
				}
			}
		}
	}
	return false
}

// isCounter reports whether the header phi x is a counter: the loop adds a
// non-zero constant to it on every back edge.
func (r *mapRange) isCounter(x *ssa.Phi) bool {
	for _, i := range r.l.latches {
		base, k := offset(x.Edges[i])
		if base != x || k == 0 {
			return false
		}
	}
	return len(r.l.latches) > 0
}

// cascades reports whether visiting the entry that u adds would make u add
// yet another: its key grows from the current entry and no condition on
// the entry guards it, or it is derived from the entry by a step that
// applies again to its result and only that step's own applicability is
// tested.
func (r *mapRange) cascades(u *ssa.MapUpdate) bool {
	if r.grows(u.Key, 0) {
		return !r.guarded(u, nil)
	}
	step := r.derivedStep(u)
	return step != nil && !r.guarded(u, step)
}

// derivedStep returns, when u inserts a key derived from the current entry
// by a step that derives another key from the new entry in turn, the value
// whose tests only check that the step applies (i >= 0, parent != nil). The
// steps are the part of a key before or after a separator
// (k[:strings.LastIndex(k, "/")], k[i+1:]), path.Dir and filepath.Dir of
// it, and the key of the node the current value points to, inserted with
// that node (a walk up a tree: m[n.parent.name] = n.parent).
func (r *mapRange) derivedStep(u *ssa.MapUpdate) ssa.Value {
	switch k := u.Key.(type) {
	case *ssa.Slice:
		if !isString(k.X.Type()) || k.Max != nil || !r.depends(k.X, 0) {
			return nil
		}
		switch {
		case (k.Low == nil || isZero(k.Low)) && k.High != nil:
			if call := separatorIndex(k.High, k.X); call != nil {
				return call
			}
		case k.Low != nil && k.High == nil:
			if base, off := offset(k.Low); off >= 1 {
				if call := separatorIndex(base, k.X); call != nil {
					return call
				}
			}
		}
	case *ssa.Call:
		switch code.FuncName(k.Common()) {
		case "path.Dir", "path/filepath.Dir":
			if len(k.Call.Args) == 1 && r.depends(k.Call.Args[0], 0) {
				return k
			}
		}
	case *ssa.UnOp:
		if parent := r.parentOf(k); parent != nil && sameAccess(stripIface(u.Value), parent) {
			return parent
		}
	}
	return nil
}

// separatorIndex returns i when i is a call of strings.Index, LastIndex or
// a relative of them on s: the position of a separator in s.
func separatorIndex(i, s ssa.Value) *ssa.Call {
	call, ok := i.(*ssa.Call)
	if !ok || len(call.Call.Args) != 2 || call.Call.Args[0] != s {
		return nil
	}
	switch code.FuncName(call.Common()) {
	case "strings.Index", "strings.LastIndex", "strings.IndexByte", "strings.LastIndexByte",
		"strings.IndexRune", "strings.IndexAny", "strings.LastIndexAny":
		return call
	}
	return nil
}

// parentOf returns p when key is a field of p (p.name, p.id.x) and p is a
// pointer field of the current value with the value's own type (n.parent):
// the node above the current one.
func (r *mapRange) parentOf(key *ssa.UnOp) ssa.Value {
	var v ssa.Value = key
	for range maxDepth {
		load, ok := v.(*ssa.UnOp)
		if !ok || load.Op != token.MUL {
			return nil
		}
		fa, ok := load.X.(*ssa.FieldAddr)
		if !ok {
			return nil
		}
		if p, ok := fa.X.(*ssa.UnOp); ok && p.Op == token.MUL {
			if pf, ok := p.X.(*ssa.FieldAddr); ok {
				if cur, ok := pf.X.(*ssa.Extract); ok && cur.Tuple == r.next && cur.Index == 2 && types.Identical(cur.Type(), p.Type()) {
					return p
				}
			}
		}
		v = fa.X
	}
	return nil
}

func stripIface(v ssa.Value) ssa.Value {
	if mi, ok := v.(*ssa.MakeInterface); ok {
		return mi.X
	}
	return v
}

// guarded reports whether a condition computed from the current entry
// decides whether u runs: then the new entry may well fail it. A check that
// u's own key is missing from the map does not count: it holds for the next
// new key as much as for this one; nor does a comparison of step with a
// constant, which tests only that the derivation applies.
func (r *mapRange) guarded(u *ssa.MapUpdate, step ssa.Value) bool {
	for b := u.Block(); b != nil && b != r.l.header; b = b.Idom() {
		if len(b.Preds) != 1 || len(b.Preds[0].Instrs) == 0 {
			continue
		}
		p := b.Preds[0]
		if p == r.l.header {
			continue // the loop's own condition
		}
		iff, ok := p.Instrs[len(p.Instrs)-1].(*ssa.If)
		if !ok || missingCheck(r.l, iff.Cond, p.Succs[0] == b, u.Key, r.m) {
			continue
		}
		if r.depends(iff.Cond, 0) && (step == nil || !comparesWithConst(iff.Cond, step)) {
			return true
		}
	}
	return false
}

// comparesWithConst reports whether cond compares v (plus a constant) with
// a constant: i >= 0, p != nil, dir != ".".
func comparesWithConst(cond, v ssa.Value) bool {
	cond, _ = withoutNot(cond, true)
	b, ok := cond.(*ssa.BinOp)
	if !ok {
		return false
	}
	switch b.Op {
	case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
	default:
		return false
	}
	x, y := b.X, b.Y
	if _, ok := x.(*ssa.Const); ok {
		x, y = y, x
	}
	base, _ := offset(x)
	_, isConst := y.(*ssa.Const)
	return isConst && sameAccess(base, v)
}

// sameAccess reports whether a and b are one value, or two reads of one
// access path (n.parent read twice).
func sameAccess(a, b ssa.Value) bool {
	_, ok := samePath(a, b)
	return ok
}

// missingCheck reports whether cond being when means that key is not in m.
func missingCheck(l *loop, cond ssa.Value, when bool, key, m ssa.Value) bool {
	cond, when = withoutNot(cond, when)
	x, ok := cond.(*ssa.Extract)
	if !ok || x.Index != 1 || when {
		return false
	}
	lk, ok := x.Tuple.(*ssa.Lookup)
	return ok && lk.CommaOk && sameValue(lk.Index, key, 0) && sameMap(l, lk.X, m)
}

// maxSameDepth bounds how many operations deep sameValue compares.
const maxSameDepth = 4

// sameValue reports whether a and b are computed alike: one value, equal
// constants, or one operation on such values (k+1 computed twice).
func sameValue(a, b ssa.Value, depth int) bool {
	if a == b {
		return true
	}
	if depth > maxSameDepth {
		return false
	}
	switch x := a.(type) {
	case *ssa.Const:
		y, ok := b.(*ssa.Const)
		return ok && types.Identical(x.Type(), y.Type()) && x.Value != nil && y.Value != nil &&
			constant.Compare(x.Value, token.EQL, y.Value)
	case *ssa.BinOp:
		y, ok := b.(*ssa.BinOp)
		return ok && x.Op == y.Op && sameValue(x.X, y.X, depth+1) && sameValue(x.Y, y.Y, depth+1)
	}
	return false
}

func isString(t types.Type) bool {
	b, ok := code.CoreType(t).(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

// maxStoredAddrs bounds how many addresses (alloc, its fields and elements)
// valuesStoredIn keeps pending; past it, it returns what it has.
const maxStoredAddrs = 64

// valuesStoredIn returns the values stored into alloc or into its fields and
// elements.
func valuesStoredIn(alloc *ssa.Alloc) []ssa.Value {
	var out []ssa.Value
	addrs := []ssa.Value{alloc}
	for len(addrs) > 0 && len(addrs) < maxStoredAddrs {
		a := addrs[len(addrs)-1]
		addrs = addrs[:len(addrs)-1]
		for _, ref := range code.Referrers(a) {
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
	for _, ref := range code.Referrers(rng) {
		if n, ok := ref.(*ssa.Next); ok && n.Iter == rng && !n.IsString {
			return n
		}
	}
	return nil
}

// sameMap reports whether a and b are one map: one SSA value, or one field
// or package-level variable read twice, which the loop does not assign.
func sameMap(l *loop, a, b ssa.Value) bool {
	p, ok := samePath(a, b)
	if !ok {
		return false
	}
	if n := len(p.steps); n > 0 && p.steps[n-1].Op == '*' {
		return !storedIn(l.blocks, path{root: p.root, glob: p.glob, steps: p.steps[:n-1]})
	}
	return true
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
	cond, when = withoutNot(cond, when)
	lookedUp := func(v ssa.Value) bool {
		lk, ok := v.(*ssa.Lookup)
		return ok && sameValue(lk.Index, key, 0) && sameMap(l, lk.X, m)
	}
	switch x := cond.(type) {
	case *ssa.Extract:
		if lk, ok := x.Tuple.(*ssa.Lookup); ok && x.Index == 1 && lk.CommaOk {
			return when && sameValue(lk.Index, key, 0) && sameMap(l, lk.X, m)
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
