// Package syncmapload defines the syncmapload check of mapguard.
//
// # Analyzer syncmapload
//
// syncmapload: report type assertions on a sync.Map lookup that panic when the key is missing
//
// sync.Map.Load returns a nil value when the key is not in the map, and so do
// LoadAndDelete and Swap (its previous value). A type assertion that does not
// use the comma-ok form panics on nil, so code that asserts the value without
// first checking Load's ok result works while the key is there and crashes
// the first time it is not (expired, deleted, never stored, a typo):
//
//	v, _ := sessions.Load(id)
//	s := v.(*Session) // panics when id is unknown
//
// The check follows the looked-up value through local variables and φ-nodes
// to every non-comma-ok type assertion of it, and reports the assertion
// unless, on every path to it, the code has tested the presence of the
// value: its ok (or loaded) result, a comparison of the value with nil, or a
// comma-ok assertion of it (type switches included). It also follows
// functions that hand back such a value, in the same or another package:
// lookup wrappers such as
//
//	func (c *Cache) Get(key string) (any, bool) { return c.m.Load(key) }
//
// whose callers then assert Get's value without checking its bool.
//
// It stays silent when the assertion is guarded as above, in comma-ok form,
// or in a Range callback (Range never passes a nil value unless nil was
// stored); when LoadOrStore produced the value (its actual value is never nil
// unless nil was stored); when the same function stored that key in that
// map on every path before the lookup, with no delete from the map in
// between; and in _test.go files, where a panic is a test failure, the very
// outcome a check would give. When the presence is tested
// before the assertion but the missing-key branch falls through to it (for
// example through a helper that logs and returns), the check cannot tell
// that helper from one that never returns, and stays silent as well.
//
// Not followed: a value handed to another function that asserts it, stored
// in a field or a slice, or captured by a function literal; wrappers that
// report a missing key with an error instead of a bool; method values
// (load := m.Load); and atomic.Value.Load, whose nil before the first Store
// is another matter.
//
// To fix it, check the ok result and decide what a missing key means:
//
//	v, ok := sessions.Load(id)
//	if !ok {
//		return nil, errUnknownSession
//	}
//	s := v.(*Session)
//
// The check offers this fix where the function already says what a missing
// key means: when the assertion is returned next to the lookup's ok result,
// as in
//
//	func (c *Cache) Get(key string) (*User, bool) {
//		v, ok := c.m.Load(key)
//		return v.(*User), ok
//	}
//
// it inserts "if !ok { return nil, false }" before the return. Elsewhere the
// missing-key case needs a decision only the author can make (rewriting to
// u, _ := v.(*User) would silently turn the crash into a nil user, and hide
// a value of the wrong type), so no fix is offered.
package syncmapload
