// Package checkthenact defines the checkthenact check of mapguard.
//
// # Analyzer checkthenact
//
// checkthenact: report a sync.Map Store or Delete decided by an earlier Load of the same key: another goroutine can act in between
//
// Each sync.Map method is atomic, but two calls are not. Code that reads an
// entry, decides, and then writes it acts on what may no longer be there:
// another goroutine can store, replace or delete the entry between the two
// calls, and the write then destroys that goroutine's work:
//
//	if _, ok := seen.Load(id); !ok {
//		seen.Store(id, time.Now()) // another goroutine may have stored id meanwhile:
//		process(id)                // both goroutines process it
//	}
//
//	if v, ok := cache.Load(k); ok && v.(*entry).expired() {
//		cache.Delete(k) // may delete a fresh entry stored meanwhile
//	}
//
// The check pairs each Store and Delete with the Load (or LoadOrStore) of the
// same key of the same map that runs last before it on every path, and
// reports five shapes:
//
//   - lost insert: the Store runs only when Load found no entry. Use
//     LoadOrStore, and its result: only one goroutine's value wins.
//   - lost update: the Store is decided by the value read
//     (if v.(*entry).expired() { m.Store(k, fresh) }). Use
//     CompareAndSwap(k, v, fresh).
//   - lost update: the Store writes a value computed from the value read
//     (n, _ := m.Load(k); m.Store(k, n.(int)+1)). Retry CompareAndSwap in a
//     loop, or keep a pointer to an atomic counter in the map.
//   - lost renewal: the Delete is decided by the value read. Use
//     CompareAndDelete(k, v). When it is decided by an atomic counter in
//     the value (if v.(*atomic.Int64).Add(-1) <= 0 { m.Delete(k) }), the
//     counter makes each step atomic, not the pair: another goroutine can
//     load the same value and count it up in between, and the Delete
//     removes an entry in use. CompareAndDelete does not help there (the
//     value is the same); the message says so.
//   - double take: the Delete runs when Load found the entry, and the code
//     then uses the value (sends on the channel it holds, closes it) or does
//     other work meant to happen once: two goroutines can both do it. Use
//     LoadAndDelete, or CompareAndDelete(k, v) and its result.
//
// "Same key" means the same SSA value, equal constants or the same access
// path (the same field of the same variable, say); "same map" likewise. The
// paths from the read to the act are followed through the branches: the act
// must be reachable only through a branch on the read's ok result, on a nil
// test of its value, or on a condition computed from its value.
//
// A race is only reported when it loses something. A lost insert is not
// reported when every goroutine would store the same value and the branch
// does nothing else: a constant, a package-level variable, a value computed
// from the key alone (with constants, package state, the method's receiver
// and a set handed down a recursive walk, such as visited
// map[T]struct{}; the fields of a key built as a struct count as the key:
// memoization, such as the size of a type cached by type; but a constant
// or package-level default seeded into a map that the package also stores
// other values into is a lost insert: the default can overwrite one of
// those stored in between), or an
// object built from the key (a plan, a descriptor) that the goroutine does
// not go on using after storing it. An object built from nothing
// (&entry{}, make(chan T), new(sync.WaitGroup)) is a container meant to
// collect state, and an object the goroutine keeps using after the Store
// (e.Add(x), go serve(ch)) has an identity that matters: both are
// reported. "Does nothing else" means no call whose result is unused (other
// than locking, logging (methods named like a logger's, s.Errorf, count),
// maintenance run only when an atomic counter crosses a limit (if
// size.Add(1) > max { prune() }) and calls filling in the stored object or a local
// object it is computed from, directly or through a function literal), no go
// statement and no channel send on that branch. Likewise a Store decided by
// the value read that stores a value recomputed from the key alone (a cache
// refreshing a stale entry) is not reported, nor a Delete decided only by
// the entry being present when the value read is not used on that branch.
// Values are followed through variables, composite literals, the calls an
// object is passed to, what a function literal called in place captures, and
// the branch conditions that choose between values
// (a value overwritten on every path before the act does not count);
// whatever else flows in (a parameter, time.Now()) makes a value this
// goroutine's own. When following a stored value runs out of steps before
// anything of the goroutine's own turns up (a level computed per call site
// through a loop over a configuration's patterns), the check says nothing. A call without arguments that returns a function, such
// as a functional option (expr.AsBool()), counts as a constant.
//
// It stays silent when an exclusive lock (any Lock method: sync.Mutex,
// sync.RWMutex's write lock, a sync.Locker) is taken before the read on
// every path and not released before the act: a deferred Unlock counts as
// held, and a function literal inherits the locks held where it is created,
// unless a go statement runs it. A read lock does not silence it: two
// readers can pass the check together. It also stays silent in package
// initializers, in function literals handed to sync.Once.Do, sync.OnceFunc,
// sync.OnceValue(s) or singleflight's Group.Do, in functions whose name ends
// in "Locked" or whose doc comment says the caller holds the lock ("Lock
// should be held on entry", "must be called with s.mu held") or that one
// goroutine runs it ("Invoked from outbound connection's readLoop"), for a sync.Map
// local to one function that nothing else touches, when the value read is
// stored back as it is, and for a Store decided only by the entry being
// present. Nor does it report a registration that panics when the entry is
// already there (if _, ok := m.Load(k); ok { panic("duplicate") }): a
// duplicate is a programming error there, and registrations run at init.
// A duplicate answered with an error is reported. A lock taken by a caller is not seen: name such functions
// fooLocked, or silence the finding with a //mapguard:ignore directive
// saying which lock.
//
// Not covered: a single-writer discipline that no doc comment states (every
// Store and Delete of the map made by one goroutine) is not seen, and the
// pairs it serialises are reported; a Range callback that deletes the entry it was passed
// (the same race as a lost renewal, but Range is often run by a single
// janitor goroutine), reads and acts split across functions (a Get method
// and a Set method called in sequence), and acts reached through a
// variable holding the map in another way than the read.
//
// Fixes: when the whole check is
//
//	if _, ok := m.Load(k); !ok {
//		m.Store(k, v)
//	}
//
// (or the Load is the statement just before that if), ok is used nowhere
// else and v is a plain value (a variable, a literal, a composite literal
// of such: evaluating it when the key is present changes nothing), it is
// rewritten to m.LoadOrStore(k, v). A Store or Delete decided by the value
// read, on paths where the entry was present, becomes
// m.CompareAndSwap(k, v, new) or m.CompareAndDelete(k, v) when v is the
// variable Load assigned, is never reassigned and has been asserted to a type
// whose values compare without panicking (CompareAndSwap and
// CompareAndDelete panic on values that cannot be compared). A double take
// whose Delete is the first statement of "if ok {" right after the Load
// becomes a LoadAndDelete, the Delete removed. The retry loop of a lost
// update is not mechanical and is not offered.
package checkthenact
