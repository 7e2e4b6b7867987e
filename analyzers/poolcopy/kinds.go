package poolcopy

import (
	"go/token"
	"go/types"
	"sort"
	"strings"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

// locker is sync.Locker, built here so that no package needs to import sync.
var locker = func() *types.Interface {
	nullary := types.NewSignatureType(nil, nil, nil, nil, nil, false)
	return types.NewInterfaceType([]*types.Func{
		types.NewFunc(token.NoPos, nil, "Lock", nullary),
		types.NewFunc(token.NoPos, nil, "Unlock", nullary),
	}, nil).Complete()
}()

// copylocksSees reports whether go vet's copylocks check treats a value of
// type t as holding a lock, and so reports the syntactic copies of it that
// it inspects. It follows copylocks' own rule: a struct whose pointer is a
// sync.Locker but whose value is not (sync.Mutex, and through the noCopy
// markers sync.Pool, sync.WaitGroup, sync.Once, sync.Cond, sync.Map and the
// sync/atomic integer, Bool and Pointer types), or sync.noCopy, found by
// value through struct fields and arrays. For a type parameter it answers
// true when any term of its constraint could hold one, which errs towards
// leaving the copy to copylocks.
func copylocksSees(t types.Type) bool {
	return seesLock(t, make(map[types.Type]bool))
}

func seesLock(t types.Type, seen map[types.Type]bool) bool {
	if t == nil || seen[t] {
		return false
	}
	seen[t] = true
	if tp, ok := types.Unalias(t).(*types.TypeParam); ok {
		for _, term := range constraintTerms(tp) {
			if seesLock(term, seen) {
				return true
			}
		}
		return false
	}
	for {
		a, ok := t.Underlying().(*types.Array)
		if !ok {
			break
		}
		t = a.Elem()
	}
	s, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	if types.Implements(types.NewPointer(t), locker) && !types.Implements(t, locker) {
		return true
	}
	if code.IsNamed(t, "sync", "noCopy") {
		return true
	}
	for i := range s.NumFields() {
		if seesLock(s.Field(i).Type(), seen) {
			return true
		}
	}
	return false
}

// constraintTerms returns the types named by the type terms of tp's
// constraint (the T of ~T and of unions), or nil when it has none.
func constraintTerms(tp *types.TypeParam) []types.Type {
	iface, ok := tp.Constraint().Underlying().(*types.Interface)
	if !ok {
		return nil
	}
	var terms []types.Type
	for i := range iface.NumEmbeddeds() {
		switch e := iface.EmbeddedType(i).(type) {
		case *types.Union:
			for j := range e.Len() {
				terms = append(terms, e.Term(j).Type())
			}
		default:
			if !types.IsInterface(e) {
				terms = append(terms, e)
			}
		}
	}
	return terms
}

// holdsState reports whether a value of type t holds, by value, something
// whose copy this check follows: a copylocks lock or an atomic.Value.
func holdsState(t types.Type) bool {
	return copylocksSees(t) || holdsAtomicValue(t, make(map[types.Type]bool))
}

func holdsAtomicValue(t types.Type, seen map[types.Type]bool) bool {
	if t == nil || seen[t] {
		return false
	}
	seen[t] = true
	if code.IsNamed(t, "sync/atomic", "Value") {
		return true
	}
	switch u := t.Underlying().(type) {
	case *types.Array:
		return holdsAtomicValue(u.Elem(), seen)
	case *types.Struct:
		for i := range u.NumFields() {
			if holdsAtomicValue(u.Field(i).Type(), seen) {
				return true
			}
		}
	}
	return false
}

// returnsUnseen reports whether a result of type t, in a function's generic
// signature, can carry a copy that copylocks does not see: an atomic.Value
// without a lock, or, by value, a type parameter whose constraint admits
// struct types (copylocks sees neither the copy in the generic body nor the
// call result that the caller copies).
func returnsUnseen(t types.Type) bool {
	if copylocksSees(t) {
		return false
	}
	return holdsAtomicValue(t, make(map[types.Type]bool)) || holdsOpenParam(t, make(map[types.Type]bool))
}

func holdsOpenParam(t types.Type, seen map[types.Type]bool) bool {
	if t == nil || seen[t] {
		return false
	}
	seen[t] = true
	if tp, ok := types.Unalias(t).(*types.TypeParam); ok {
		terms := constraintTerms(tp)
		if len(terms) == 0 {
			return true // any, comparable, or methods only
		}
		for _, term := range terms {
			switch term.Underlying().(type) {
			case *types.Struct, *types.Array:
				return true
			}
		}
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Array:
		return holdsOpenParam(u.Elem(), seen)
	case *types.Struct:
		for i := range u.NumFields() {
			if holdsOpenParam(u.Field(i).Type(), seen) {
				return true
			}
		}
	}
	return false
}

// A kind is a family of values whose copies share nothing with the
// original, with the methods whose effect the copy loses.
type kind struct {
	uses   map[string]bool // methods whose call on a copy is the bug
	effect func(methods []string) string
}

func fixed(text string) func([]string) string {
	return func([]string) string { return text }
}

func lost(methods []string) string {
	return and(methods) + " on the copy " + plural(len(methods), "is", "are") + " lost"
}

var (
	poolKind = &kind{
		uses:   set("Get", "Put"),
		effect: fixed("Get and Put on the copy reuse nothing"),
	}
	mutexKind = &kind{
		uses:   set("Lock", "Unlock", "TryLock", "RLock", "RUnlock", "TryRLock"),
		effect: fixed("locking the copy excludes no one"),
	}
	waitGroupKind = &kind{
		uses:   set("Add", "Done", "Wait", "Go"),
		effect: fixed("Add, Done and Wait on the copy do not reach the stored WaitGroup"),
	}
	onceKind = &kind{
		uses:   set("Do"),
		effect: fixed("Do on the copy runs its function again"),
	}
	condKind = &kind{
		uses:   set("Wait", "Signal", "Broadcast"),
		effect: fixed("Wait, Signal and Broadcast on the copy reach no one waiting on the stored Cond"),
	}
	mapKind = &kind{
		uses:   set("Store", "LoadOrStore", "LoadAndDelete", "Delete", "Swap", "CompareAndSwap", "CompareAndDelete", "Clear"),
		effect: fixed("entries written to the copy are lost"),
	}
	atomicKind = &kind{
		uses:   set("Store", "Add", "Swap", "CompareAndSwap", "And", "Or"),
		effect: lost,
	}
)

// kindOf returns the kind of the named type that a method with a pointer
// receiver of type *named belongs to.
func kindOf(named types.Type) *kind {
	n, ok := types.Unalias(named).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return nil
	}
	switch n.Obj().Pkg().Path() + "." + n.Obj().Name() {
	case "sync.Pool":
		return poolKind
	case "sync.Mutex", "sync.RWMutex":
		return mutexKind
	case "sync.WaitGroup":
		return waitGroupKind
	case "sync.Once":
		return onceKind
	case "sync.Cond":
		return condKind
	case "sync.Map":
		return mapKind
	case "sync/atomic.Int32", "sync/atomic.Int64", "sync/atomic.Uint32", "sync/atomic.Uint64",
		"sync/atomic.Uintptr", "sync/atomic.Bool", "sync/atomic.Pointer", "sync/atomic.Value":
		return atomicKind
	}
	// A lock of the program's own: copylocks' rule.
	if _, isStruct := n.Underlying().(*types.Struct); isStruct &&
		types.Implements(types.NewPointer(n), locker) && !types.Implements(n, locker) {
		return mutexKind
	}
	return nil
}

// stateMethod returns the kind and receiver type of fn when fn is a method
// with a pointer receiver of one of the watched types.
func stateMethod(fn *types.Func) (*kind, types.Type) {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return nil, nil
	}
	ptr, ok := types.Unalias(sig.Recv().Type()).(*types.Pointer)
	if !ok {
		return nil, nil
	}
	if k := kindOf(ptr.Elem()); k != nil {
		return k, ptr.Elem()
	}
	return nil, nil
}

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

func and(words []string) string {
	words = append([]string(nil), words...)
	sort.Strings(words)
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
