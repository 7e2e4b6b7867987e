package a

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Lines marked "copylocks reports this" are copies that go vet's copylocks
// reports; poolcopy leaves them to it. TestNoOverlapWithCopylocks checks
// that copylocks reports exactly those lines of this file.

var (
	poolMap  map[int]sync.Pool
	lockMap  map[string]entry
	poolArr  [4]sync.Pool
	ptrLocks typedMap[string, *sync.Mutex]
	ptrPools cache[int, *sync.Pool]
)

type pooled struct{ pool sync.Pool }

func copylocksTerritory(n int, s *pooled, v any) {
	p := poolMap[n] // copylocks reports this
	p.Get()
	p2, _ := poolMap[n] // copylocks reports this
	p2.Get()
	for _, p3 := range poolMap { // copylocks reports this
		p3.Get()
	}
	p4 := poolArr[n] // copylocks reports this
	p4.Get()
	p5 := s.pool // copylocks reports this
	p5.Get()
	mu := lockMap["k"].mu // copylocks reports this
	mu.Lock()
	e := lockMap["k"] // copylocks reports this
	e.mu.Lock()
	p6 := v.(sync.Pool) // copylocks reports this
	p6.Get()
	p7, ok := v.(sync.Pool) // copylocks reports this
	if ok {
		p7.Get()
	}
}

// A generic function whose constraint names a lock: copylocks reports the
// copy in its body, so poolcopy is silent at the call.
func lockedLookup[T ~struct{ mu sync.Mutex }](m map[string]T, k string) T {
	return m[k] // copylocks reports this
}

type lockOnly struct{ mu sync.Mutex }

func callsLockedLookup(m map[string]lockOnly) {
	l := lockedLookup(m, "k")
	l.mu.Lock()
}

// Pointers in the container: every caller shares the one lock.
func pointers(key string) {
	mu, _ := ptrLocks.LoadOrStore(key, new(sync.Mutex))
	mu.Lock()
	defer mu.Unlock()
	p := ptrPools.get(1)
	p.Put(nil)
}

// The copy is never locked, pooled or written.
func unused(key string) bool {
	_, loaded := keyLocks.LoadOrStore(key, sync.Mutex{})
	return loaded
}

func readsOnly(name string) any {
	v := configs[name]
	c, _ := counters.Load(name)
	m := shards.get(1)
	_, _ = m.Load(name)
	return fmt.Sprint(v.Load(), c.Load())
}

// The copy is written back: the store reaches the map.
func writeBack(name string, cfg any) {
	v := configs[name]
	v.Store(cfg)
	configs[name] = v
}

// The copy's address is kept: it lives on as a value of its own.
var kept []*atomic.Value

func keepAddress(name string, cfg any) {
	v := configs[name]
	kept = append(kept, &v)
	v.Store(cfg)
}

// Fresh values, not copies of stored ones.
func newMutex() sync.Mutex { return sync.Mutex{} }

func zero[T any]() T {
	var z T
	return z
}

func identity[T any](v T) T { return v }

func fresh(cfg any) {
	var v atomic.Value
	v.Store(cfg)
	w := atomic.Value{}
	w.Store(cfg)
	mu := newMutex()
	mu.Lock()
	mu2 := zero[sync.Mutex]()
	mu2.Lock()
	mu3 := identity(sync.Mutex{})
	mu3.Lock()
}

// Reassigned from a fresh value on some path: in doubt, silent.
func sometimesFresh(name string, reset bool) {
	v := configs[name]
	if reset {
		v = atomic.Value{}
	}
	v.Store(1)
}

// Functions that hand over the value they return: nothing stays stored.
type queue[T any] struct{ items []T }

func (q *queue[T]) pop() T {
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

func (c *cache[K, V]) take(k K) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	v := c.m[k]
	delete(c.m, k)
	return v
}

func (c *cache[K, V]) swap(k K, v V) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m[k]
	c.m[k] = v
	return old
}

func (t *typedMap[K, V]) loadAndDelete(k K) V {
	v, _ := t.m.LoadAndDelete(k)
	return v.(V)
}

var waiting queue[sync.WaitGroup]

func handedOver(key string) {
	wg := waiting.pop()
	wg.Wait()
	p := pools.take(1)
	p.Get()
	p2 := pools.swap(1, sync.Pool{})
	p2.Get()
	mu := keyLocks.loadAndDelete(key)
	mu.Lock()
}

// A variadic parameter is a slice the call builds from copies.
func or[T comparable](vals ...T) T {
	var zero T
	for _, v := range vals {
		if v != zero {
			return v
		}
	}
	return zero
}

func orOfFresh() {
	mu := or(sync.Mutex{}, sync.Mutex{})
	mu.Lock()
}

// An interface of unknown origin: the caller may have boxed a fresh value.
func handle(v any) {
	switch p := v.(type) {
	case sync.Pool:
		p.Get()
	}
}

// A type switch that does not use the lock.
func describe(name string) string {
	v, _ := registry.Load(name)
	switch p := v.(type) {
	case sync.Pool:
		return fmt.Sprintf("pool %p", p.New)
	}
	return ""
}

// Copies out of the function's own containers and variables.
func locals(cfg any) {
	vals := make([]atomic.Value, 2)
	v := vals[0]
	v.Store(cfg)
	var h holder
	w := h.val
	w.Store(cfg)
	arr := [2]atomic.Value{}
	x := arr[1]
	x.Store(cfg)
}

// Parameters and channel receptions are copies made by the caller or sender.
func param(v atomic.Value, cfg any) {
	v.Store(cfg)
}

func received(ch chan atomic.Value, cfg any) {
	v := <-ch
	v.Store(cfg)
}

// Methods of the program's own on the copy: not followed.
func (h *holder) rename(name string) { h.name = name }

func ownMethod(name string) {
	h := byName[name]
	h.rename("x")
	h.val.Store(nil)
}

// Pointer fields: the copy shares the lock.
type shared struct{ mu *sync.Mutex }

var sharedByKey typedMap[string, shared]

func sharedLock(key string) {
	s, _ := sharedByKey.Load(key)
	s.mu.Lock()
	defer s.mu.Unlock()
}
