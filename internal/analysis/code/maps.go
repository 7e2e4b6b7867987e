package code

import "go/types"

// The checks ask "is this a map?" in three ways, which differ only on type
// parameters and nil; each call site keeps the one it was written with.

// IsMap reports whether the underlying type of t is a map; false for nil.
// A type parameter is not a map, whatever its constraint.
func IsMap(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Map)
	return ok
}

// IsPointer reports whether the underlying type of t is a pointer; false
// for nil.
func IsPointer(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}

// IsMapOrMapParam reports whether t is a map, or a type parameter every
// type of whose constraint is one: each embedded type, and each term of an
// embedded union, is a map or such a type parameter. A constraint that
// embeds nothing (any, comparable) is not.
func IsMapOrMapParam(t types.Type) bool {
	tp, ok := types.Unalias(t).(*types.TypeParam)
	if !ok {
		_, ok := t.Underlying().(*types.Map)
		return ok
	}
	iface, ok := tp.Constraint().Underlying().(*types.Interface)
	if !ok || iface.NumEmbeddeds() == 0 {
		return false
	}
	for i := range iface.NumEmbeddeds() {
		switch e := iface.EmbeddedType(i).(type) {
		case *types.Union:
			for j := range e.Len() {
				if !IsMapOrMapParam(e.Term(j).Type()) {
					return false
				}
			}
		default:
			if !IsMapOrMapParam(e) {
				return false
			}
		}
	}
	return true
}

// IsCoreMap reports whether CoreType(t) is a map; false for nil.
func IsCoreMap(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := CoreType(t).(*types.Map)
	return ok
}

// CoreType returns the underlying type of t or, for a type parameter, the
// underlying type that all the terms of its constraint's unions share: nil
// when they differ or it has none. Embedded types that are not unions
// (interface{ map[K]V } without a ~) are not looked at.
func CoreType(t types.Type) types.Type {
	tp, ok := types.Unalias(t).(*types.TypeParam)
	if !ok {
		return t.Underlying()
	}
	var core types.Type
	iface, _ := tp.Underlying().(*types.Interface)
	if iface == nil {
		return nil
	}
	for i := range iface.NumEmbeddeds() {
		u, ok := iface.EmbeddedType(i).(*types.Union)
		if !ok {
			continue
		}
		for j := range u.Len() {
			under := u.Term(j).Type().Underlying()
			if core != nil && !types.Identical(core, under) {
				return nil
			}
			core = under
		}
	}
	return core
}
