package code

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// HasTypeParam reports whether t mentions a type parameter, so that only an
// instantiation decides what it is.
func HasTypeParam(t types.Type) bool {
	switch t := types.Unalias(t).(type) {
	case *types.TypeParam:
		return true
	case *types.Pointer:
		return HasTypeParam(t.Elem())
	case *types.Slice:
		return HasTypeParam(t.Elem())
	case *types.Array:
		return HasTypeParam(t.Elem())
	case *types.Map:
		return HasTypeParam(t.Key()) || HasTypeParam(t.Elem())
	case *types.Chan:
		return HasTypeParam(t.Elem())
	case *types.Named:
		for i := range t.TypeArgs().Len() {
			if HasTypeParam(t.TypeArgs().At(i)) {
				return true
			}
		}
	}
	return false
}

// Returns returns the Return instructions that end fn's blocks, in block
// order.
func Returns(fn *ssa.Function) []*ssa.Return {
	var rets []*ssa.Return
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		if r, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			rets = append(rets, r)
		}
	}
	return rets
}

// HasPointerReceiver reports whether fn is a method with a pointer receiver.
func HasPointerReceiver(fn *types.Func) bool {
	recv := fn.Signature().Recv()
	if recv == nil {
		return false
	}
	_, ok := types.Unalias(recv.Type()).(*types.Pointer)
	return ok
}

// ShortName names a function for messages: "Save", or "Cache.Get" for a
// method; a function literal keeps its SSA name ("handler$1").
func ShortName(fn *ssa.Function) string {
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return fn.Name()
	}
	if n := ReceiverNamed(obj); n != nil {
		return n.Origin().Obj().Name() + "." + obj.Name()
	}
	return obj.Name()
}

// ReceiverNamed returns the named type of fn's receiver, through a pointer
// (T for func (*T) M()), or nil for a function or an interface method.
func ReceiverNamed(fn *types.Func) *types.Named {
	recv := fn.Signature().Recv()
	if recv == nil {
		return nil
	}
	t := types.Unalias(recv.Type())
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, _ := t.(*types.Named)
	return n
}
