// Package mapkey defines the mapkey check of mapguard.
//
// # Analyzer mapkey
//
// mapkey: report map and sync.Map keys that panic (unhashable dynamic types) or never match (NaN)
//
// A map whose keys are interfaces (map[any]T, map[fmt.Stringer]T) and a
// sync.Map accept any value as a key at compile time, but hashing a slice,
// a map, a function, or a struct or array holding one panics at run time:
//
//	var seen sync.Map
//	seen.Store(r.Header["X-Ids"], true) // a []string: panics
//	// panic: runtime error: hash of unhashable type []string
//
// NaN is the other key that breaks maps: NaN != NaN, so an entry stored
// under a NaN key can never be found, replaced or deleted (only clear
// removes it), each insert adds another one, and lookups and deletes with
// it never match:
//
//	counts := map[float64]int{}
//	counts[math.NaN()]++ // a new entry on every call
//
// The check follows each key of a sync.Map method (Load, Store,
// LoadOrStore, LoadAndDelete, Delete, Swap, CompareAndSwap,
// CompareAndDelete), of an index, assignment, composite literal or delete on
// a map with interface, type-parameter or float keys back through interface
// conversions and φ-nodes to the values it can hold, and reports a value of
// a type that cannot be hashed, or one that is certainly NaN: math.NaN(),
// ∞-∞, ∞·0, ∞/∞ or 0/0 computed at run time, arithmetic on NaN, conversions
// of those, and unexported package variables only ever assigned NaN. It
// follows keys through functions that use a parameter as a key (cache
// wrappers such as Set(key any, v any)), in the same package and, through
// facts, in others, and through generic code: Put[K any](k K) instantiated
// with a slice type is reported where it is called.
//
// It stays silent for values whose dynamic type it cannot see (an interface
// returned by a call, read from a field or a slice), for keys of struct or
// array type whose fields hold interfaces (each field's dynamic type would
// have to be known), for NaN computed from data, in functions that defer a
// recover (a hashability probe expects the panic), and in _test.go files,
// where such a key either fails the test loudly or tests the runtime on
// purpose. Keys whose static type is a named, non-empty interface
// (map[reflect.Type]T, map[fmt.Stringer]T) are followed only when the key
// expression itself has an unhashable type: that keeps the check from
// building SSA for the many packages keyed by such interfaces, whose
// values are nearly always pointers. Functions are followed through a
// parameter of type any, a type parameter or a float, not a named interface;
// method values (store := m.Store) are not followed.
//
// To fix an unhashable key, key by something hashable that identifies the
// value: a string built from it (strings.Join, fmt.Sprint), an array
// instead of a slice ([4]byte is hashable, []byte is not), a pointer when
// identity is what matters. For a []byte key the check offers the fix
// string(key), the usual intent. For NaN, decide what a missing number
// means before using it as a key (a separate counter, a sentinel that is
// equal to itself, skipping it), or use math.IsNaN to keep it out of the map.
package mapkey
