// Package poolcopy defines the poolcopy check of mapguard.
//
// # Analyzer poolcopy
//
// poolcopy: report locks, pools and atomic values used through a copy of the stored one, read out of a map, slice, field or generic getter
//
// A sync.Pool, sync.Mutex, sync.RWMutex, sync.WaitGroup, sync.Once,
// sync.Cond, sync.Map or sync/atomic value works only where it is stored. A
// copy shares nothing with the original: Get and Put on a copied Pool reuse
// nothing, locking a copied Mutex excludes no one, Done on a copied
// WaitGroup never releases the Wait on the original, Store on a copied
// atomic.Value or sync.Map is lost. Programs make such copies when they
// keep these values in a map, slice or struct by value and read them out:
//
//	var locks syncmap.Map[string, sync.Mutex] // a typed wrapper of sync.Map
//
//	func withLock(key string, f func()) {
//		mu, _ := locks.LoadOrStore(key, sync.Mutex{}) // a copy
//		mu.Lock() // every caller locks its own copy
//		defer mu.Unlock()
//		f()
//	}
//
// # What go vet's copylocks already reports, and what this check adds
//
// go vet's copylocks check reports a copy of any value holding a lock
// (which includes sync.Pool, sync.WaitGroup, sync.Once, sync.Cond, sync.Map
// and the sync/atomic integer, Bool and Pointer types, through their
// noCopy fields) when the copy is written as an assignment, a variable
// declaration, a range variable, a call argument, a composite literal
// element or a return operand. That covers the direct reads out of
// containers: p := pools[size], p, ok := pools[size], for _, p := range
// pools, p := list[i], mu := entries[k].mu, p := v.(sync.Pool).
//
// By default poolcopy reports those copies too, when a method that needs
// the original is then called on the copy: mapguard may run on its own, or
// as the vet tool that replaces go vet's suite. With the flag
// -poolcopy.withcopylocks (go vet's copylocks runs in the same pass), it
// leaves them to copylocks and reports only what copylocks misses, listed
// below. The golangci-lint plugin sets it by default, since golangci-lint's
// govet runs copylocks (set the option to false when it does not).
//
// copylocks does not look into calls, type switches or types without a
// lock. poolcopy reports in any case, when a method that needs the original (Get, Put,
// Lock, Unlock, Add, Done, Wait, Do, Signal, Store, Swap,
// CompareAndSwap...) is then called on the copy:
//
//   - a lock, pool or atomic copied by a generic getter: mu, _ :=
//     locks.Load(k), p := cache.Get(size), wg := registry.Lookup(name), when
//     the generic container is instantiated with the value type. copylocks
//     skips call results (a call may return a fresh value) and the copy in
//     the generic body has a type parameter's type. poolcopy follows the
//     getter's body, in the same package or, through facts, in another one,
//     wrappers of wrappers included, and reports only when the result is
//     read from a map, a sync.Map, a slice or a field that keeps the value;
//   - the variable of a type switch case: switch p := v.(type) { case
//     sync.Pool: p.Put(x) }, when v was read from a map, a sync.Map or a
//     field;
//   - an atomic.Value (or a struct or array holding one but no lock),
//     which copylocks does not treat as a lock at all, copied out of a map
//     entry, a slice or array element, a field reached through a pointer,
//     a package-level variable, an interface read from a map or sync.Map,
//     or a function that returns such a copy.
//
// So, with -poolcopy.withcopylocks, the two checks never report the same
// copy: poolcopy's tests run copylocks on poolcopy's test data to show it.
//
// It stays silent when the container holds pointers, when the copy is only
// read (Load on an atomic copy), when the copy is written back or its
// address is kept (v := m[k]; v.Store(x); m[k] = v), when the value was
// never stored (a zero value, a fresh value, a parameter, a value received
// from a channel, a copy of the function's own local container), and when
// the getter removes or replaces what it returns (LoadAndDelete, a queue's
// Pop, a Swap, a Take that deletes): then the caller holds the only copy.
//
// # Fixing it
//
// Keep pointers in the container, so that every reader shares the one
// value: map[string]*sync.Mutex, syncmap.Map[string, *sync.Mutex],
// []*atomic.Value. The element of a map cannot be addressed, so this is a
// change of the container's type, which the check does not make for you.
// When the copy is of an addressable slice or array element, a field
// reached through a pointer or a package-level variable (v := s.slots[i]),
// the check offers the fix v := &s.slots[i].
//
// # Limits
//
// A getter that writes to memory (hit counters, an LRU's reordering) or
// calls a function the check cannot follow (time.Now for an expiry, a
// dynamic call) is not trusted to leave the value stored, so copies through
// it are not reported. Uses of the copy through the program's own methods
// (a method of the struct that locks its mutex field) are not followed; the
// check looks for the methods of the sync and sync/atomic types and of
// types that implement sync.Locker with a pointer receiver. A copy sent on
// a channel, made by dereferencing a call's result (mu := *lockFor(k)),
// returned by a function that is not generic (copylocks reports the return
// when it copies a variable, but not when it returns another call's
// result), or made with maps.Clone, slices.Clone, copy or append, is not
// followed.
package poolcopy
