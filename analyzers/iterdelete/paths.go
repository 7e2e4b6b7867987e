package iterdelete

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

// An access path names a container by how the code reaches it: a root value
// followed by field selections and pointer loads ("c.ll" is the parameter c,
// then the address of its field ll, then a load). Two reads of c.ll are
// different SSA values but the same path, which is how a loop over c.ll.Front()
// and a later c.ll.Remove(e) are recognised as the same list.
type path struct {
	root  ssa.Value // nil for a package-level variable
	glob  string    // the package-level variable, "pkg/path.Name", when root is nil
	steps []Step
}

// A Step is one step of an access path.
type Step struct {
	Op    byte   // '&' the address of a field, '.' a field of a struct value, '*' a load
	Index int    // the field index, for '&' and '.'
	Name  string // the field name, for messages and fact strings
}

const maxPathLen = 8

// pathOf returns the access path of v. Any value that is not a field
// selection, a load or a package-level variable is a root of its own, so the
// result is always usable; paths that are too long come back not ok.
func pathOf(v ssa.Value) (path, bool) {
	var rev []ssa.Value
	for len(rev) <= maxPathLen {
		rev = append(rev, v)
		switch x := v.(type) {
		case *ssa.FieldAddr:
			v = x.X
			continue
		case *ssa.Field:
			v = x.X
			continue
		case *ssa.UnOp:
			if x.Op == token.MUL {
				v = x.X
				continue
			}
		}
		break
	}
	if len(rev) > maxPathLen {
		return path{}, false
	}
	var p path
	switch base := rev[len(rev)-1].(type) {
	case *ssa.Global:
		p.glob = globalName(base)
	default:
		p.root = base
	}
	for i := len(rev) - 2; i >= 0; i-- {
		switch x := rev[i].(type) {
		case *ssa.FieldAddr:
			p = p.extend(Step{Op: '&', Index: x.Field, Name: fieldName(x.X.Type(), x.Field)})
		case *ssa.Field:
			p = p.extend(Step{Op: '.', Index: x.Field, Name: fieldName(x.X.Type(), x.Field)})
		default:
			p = p.extend(Step{Op: '*'})
		}
	}
	return p, true
}

// extend appends s to p in normal form: the field of a loaded struct,
// (*x).f, is written as the load of the field's address, *(&x.f), so that
// both spellings of one access compare equal.
func (p path) extend(s Step) path {
	steps := slices.Clip(p.steps)
	if n := len(steps); s.Op == '.' && n > 0 && steps[n-1].Op == '*' {
		steps = append(steps[:n-1:n-1], Step{Op: '&', Index: s.Index, Name: s.Name}, Step{Op: '*'})
	} else {
		steps = append(steps, s)
	}
	return path{root: p.root, glob: p.glob, steps: steps}
}

func (p path) equal(q path) bool {
	if p.root != q.root || p.glob != q.glob || len(p.steps) != len(q.steps) {
		return false
	}
	for i, s := range p.steps {
		t := q.steps[i]
		if s.Op != t.Op || s.Index != t.Index {
			return false
		}
	}
	return true
}

// samePath reports whether a and b are one value, or two reads of one
// access path through at least one field or load, and returns the path.
func samePath(a, b ssa.Value) (path, bool) {
	if a == b {
		return path{root: a}, true
	}
	pa, ok1 := pathOf(a)
	pb, ok2 := pathOf(b)
	if !ok1 || !ok2 || len(pa.steps) == 0 || !pa.equal(pb) {
		return path{}, false
	}
	return pa, true
}

// storedIn reports whether the function stores to an address with path p
// inside the given blocks: then two reads of p need not see one container.
func storedIn(blocks []*ssa.BasicBlock, p path) bool {
	for _, b := range blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			if q, ok := pathOf(st.Addr); ok && q.equal(p) {
				return true
			}
		}
	}
	return false
}

func globalName(g *ssa.Global) string {
	if obj := g.Object(); obj != nil && obj.Pkg() != nil {
		return obj.Pkg().Path() + "." + obj.Name()
	}
	return g.String()
}

// fieldName returns the name of field i of the struct that t is or points to.
func fieldName(t types.Type, i int) string {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if s, ok := code.CoreType(t).(*types.Struct); ok && i < s.NumFields() {
		return s.Field(i).Name()
	}
	return "?"
}
