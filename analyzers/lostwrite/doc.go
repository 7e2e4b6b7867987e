// Package lostwrite defines the lostwrite check of mapguard.
//
// # Analyzer lostwrite
//
// lostwrite: report updates that reach a copy of a map, slice or sync.Map value instead of the value itself
//
// An update written to a copy compiles, runs and updates nothing:
//
//	v := counts[endpoint]
//	v.Hits++ // updates a copy: the map keeps the old value
//
//	for _, t := range tasks {
//		t.Done = true // updates a copy of each element
//	}
//
//	v, _ := stats.Load(key)
//	st := v.(Stats)
//	st.N++ // the sync.Map keeps the old Stats
//
// The check reports a write to a field (at any depth of value-typed
// nesting, array elements included) of a copy, or a call on the copy of a
// pointer method that assigns to its receiver (acc.Credit(n)), when nothing
// reads that field, calls a method on the copy or passes the copy on before
// the copy is dropped. A pointer-method call counts only when it can matter
// only for its receiver: its results are unused and it is given no pointer,
// slice, map, channel, function or interface argument through which it
// could have other effects. The copies are: values of a map (v := m[k], range
// over a map), elements of a slice or array (range values, v := s[i]),
// values asserted from a sync.Map's Load, LoadOrStore or Range, values
// loaded through a pointer (v := *p), and by-value parameters and value
// receivers. A read that only feeds the next update of the same field
// (v.N++ in a loop) does not count as a use.
//
// It also reports a LoadOrStore whose returned value is dropped while the
// candidate (a pointer, map or channel) is used afterwards as if it had been
// stored:
//
//	conn := newConn()
//	conns.LoadOrStore(addr, conn) // when addr is present, conn is not stored
//	conn.Open()                   // opens a connection nobody will find
//
// When the code does use the actual value, it still reports work done on
// the candidate without checking whether it was stored: a method call on
// it, passing it to a function of the package, writing one of its fields:
//
//	c := &conn{}
//	v, _ := conns.LoadOrStore(addr, c)
//	c.open() // when addr is present, opens a connection nobody will find
//	return v.(*conn)
//
// Uses inside either branch of a test of the loaded result, or of a
// comparison of the actual value (if v != c), are fine: there the code
// knows which value is in the map.
//
// It stays silent when the copy is written back (m[k] = v, s[i] = v,
// m.Store(k, v)), returned, stored, sent on a channel, appended, passed to a
// function or captured by a closure that may outlive the statement, or read
// afterwards (u.Name = trim(u.Name); use(u)); for elements of pointer type and writes through an
// index (tasks[i].Done = true); for fields of pointer or reference type
// changed in place (c.N.Add(1) on an *atomic.Int64 field); for map fields
// (c.Tags[k] = v and assignments to map fields are mapcopy's); for a
// LoadOrStore used as a set (_, loaded := m.LoadOrStore(k, struct{}{})) or
// whose actual value is used; and for a field overwritten before any read,
// which is a plain dead store (staticcheck's SA4006 and ineffassign report
// those for variables); for nil stored into a field after reading it (the
// idiom for dropping a reference once done with it); for a field put back
// to the value read from it before (old := v.F; ...; v.F = old), which
// undoes a change of the copy; and when the address
// of the copy or of any part of it is passed on (through an embedded first
// field and unsafe, as reflect does, one field's address reaches the rest).
//
// A closure that captures the copy and only reads it, and that is called in
// place or passed to a function that only calls it (a function of this
// package whose parameter is only called, or a function of slices, sort,
// strings, bytes or maps), reads the copy during that call and nowhere else:
//
//	for _, g := range groups {
//		g.Members = keepIf(g.Members, func(m Member) bool { return allowed(m, g) }) // lost
//	}
//
// For a range over a slice or array whose value variable is only used
// through its fields and methods, a suggested fix updates the elements
// through the index:
//
//	for i := range tasks {
//		tasks[i].Done = true
//	}
//
// Compared with x/tools' unusedwrite, which reports field writes to struct
// values that are never read, lostwrite knows where the copy came from and
// says how to fix it; it follows sync.Map values, pointer-method calls on
// copies (unusedwrite treats any call as a read), by-value parameters,
// nested fields and writes that only feed the next update in a loop, and it
// stays silent on plain dead stores and on local variables that are not
// copies (var v T; v.F = 1 is a dead store, not lost data).
//
// Limitations: the analysis is within one function. Variables assigned
// more than once, and copies of copies (w := v), are not followed. A
// closure that writes the copy, is deferred, run in a goroutine, stored, or
// passed to a function of another package (other than those above) or to
// one that passes it on, counts as keeping the copy. No fix is suggested
// when a closure uses the copy. For a LoadOrStore whose actual value is
// used, only work done on the candidate itself is followed: a method call
// on it, a write of one of its fields, a call of a function of the package
// given it; work through a copy of the pointer, a field of the candidate
// (c.conn.Open()), a deferred call or a function of another package is not. Pointer
// methods of other packages count as mutating only if their package was
// analysed (facts); a pointer method of another package is assumed not to
// keep its receiver. A mutating method whose result is used (if
// acc.Withdraw(n) { ... }) is not reported. A write followed by a panic is
// not reported.
package lostwrite
