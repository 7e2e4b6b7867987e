// Package fieldpath names a part of a value by the way from the value to it:
// the struct fields selected and the array elements indexed, as go/ssa's
// FieldAddr and IndexAddr take them. copies uses it for the parts of a
// copied variable, poolcopy for the way from a variable to a lock in it.
//
// A Path holds indexes only; the type of the whole value gives them their
// meaning (TypeOf, Field), so two paths from one value compare as ints.
package fieldpath

import "go/types"

// A Path names a part of a value: a field index per struct, and AnyIndex
// for an element of an array. The empty path is the whole value.
type Path []int

// AnyIndex stands for any element of an array in a Path.
const AnyIndex = -1

// Append returns a new path, p followed by step; p is left as it was.
func (p Path) Append(step int) Path {
	out := make(Path, len(p), len(p)+1)
	copy(out, p)
	return append(out, step)
}

// Overlap reports whether one of the paths contains the other.
func Overlap(p, q Path) bool {
	n := min(len(p), len(q))
	for i := range n {
		if p[i] != q[i] && p[i] != AnyIndex && q[i] != AnyIndex {
			return false
		}
	}
	return true
}

// Covers reports whether writing p overwrites all of q: p is q or contains it.
func Covers(p, q Path) bool {
	if len(p) > len(q) {
		return false
	}
	for i := range p {
		if p[i] != q[i] || p[i] == AnyIndex {
			return false // a write to one array element need not cover q
		}
	}
	return true
}

// Equal reports whether p and q name the same part.
func Equal(p, q Path) bool {
	return len(p) == len(q) && Covers(p, q)
}

// TypeOf returns the type of the part p of a value of type root, or nil
// when p does not fit root.
func TypeOf(root types.Type, p Path) types.Type {
	t := root
	for _, step := range p {
		switch u := t.Underlying().(type) {
		case *types.Struct:
			if step < 0 || step >= u.NumFields() {
				return nil
			}
			t = u.Field(step).Type()
		case *types.Array:
			t = u.Elem()
		default:
			return nil
		}
	}
	return t
}

// Field returns the struct field the last step of p selects in a value of
// type root, or nil.
func Field(root types.Type, p Path) *types.Var {
	if len(p) == 0 || p[len(p)-1] == AnyIndex {
		return nil
	}
	s, ok := TypeOf(root, p[:len(p)-1]).Underlying().(*types.Struct)
	if !ok || p[len(p)-1] >= s.NumFields() {
		return nil
	}
	return s.Field(p[len(p)-1])
}
