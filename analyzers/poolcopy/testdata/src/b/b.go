// Package b uses the generic containers of syncx, through their facts.
package b

import (
	"sync"
	"sync/atomic"

	"syncx"
)

type session struct {
	mu   sync.Mutex
	seen int
}

var (
	locks    syncx.Map[string, sync.Mutex]
	sessions syncx.Map[string, session]
	pools    = syncx.NewCache[int, sync.Pool]()
	groups   syncx.Registry[sync.WaitGroup]
	ready    syncx.Queue[atomic.Bool]
	poolList []sync.Pool
)

func lockKey(key string) func() {
	mu, _ := locks.LoadOrStore(key, sync.Mutex{}) // want `^mu, _ := locks.LoadOrStore\(key, sync.Mutex{}\) copies the stored sync.Mutex: locking the copy excludes no one; instantiate Map with \*sync.Mutex$`
	mu.Lock()
	return mu.Unlock
}

func touch(id string) {
	s, ok := sessions.Load(id) // want `^s, ok := sessions.Load\(id\) copies the stored session and the sync.Mutex in its field mu: locking the copy excludes no one; instantiate Map with \*session$`
	if !ok {
		return
	}
	s.mu.Lock()
	s.seen++
	s.mu.Unlock()
}

func buffer(size int) any {
	p := pools.Get(size) // want `^p := pools.Get\(size\) copies the stored sync.Pool: Get and Put on the copy reuse nothing; instantiate Cache with \*sync.Pool$`
	return p.Get()
}

func created(size int) any {
	p := pools.GetOrCreate(size, sync.Pool{}) // want `copies the stored sync.Pool`
	return p.Get()
}

// Registry.Lookup wraps Cache.Get: a wrapper of a wrapper.
func waitAll(name string) {
	wg := groups.Lookup(name) // want `^wg := groups.Lookup\(name\) copies the stored sync.WaitGroup: Add, Done and Wait on the copy do not reach the stored WaitGroup; instantiate Registry with \*sync.WaitGroup$`
	wg.Wait()
}

func markReady() {
	b := ready.Peek() // want `^b := ready.Peek\(\) copies the stored atomic.Bool: Store on the copy is lost; instantiate Queue with \*atomic.Bool$`
	b.Store(true)
}

func firstPool() any {
	p := syncx.First(poolList) // want `^p := syncx.First\(poolList\) copies the stored sync.Pool: Get and Put on the copy reuse nothing; give First a container of \*sync.Pool$`
	return p.Get()
}

// A generic helper of this package around syncx: its own summary follows
// syncx's fact.
func get[V any](m *syncx.Map[string, V], k string) V {
	v, _ := m.Load(k)
	return v
}

func viaHelper(key string) {
	mu := get(&locks, key) // want `^mu := get\(&locks, key\) copies the stored sync.Mutex`
	mu.Lock()
}

// Look-alikes: nothing stays stored, or the value was never stored.
func handedOver(key string) {
	mu, _ := locks.LoadAndDelete(key)
	mu.Lock()
	p := pools.Take(1)
	p.Get()
	p2 := pools.Swap(1, sync.Pool{})
	p2.Get()
	p3 := pools.CountingGet(1)
	p3.Get()
	b := ready.Pop()
	b.Store(true)
	mu2 := syncx.Or(sync.Mutex{}, sync.Mutex{})
	mu2.Lock()
	mu3 := syncx.Zero[sync.Mutex]()
	mu3.Lock()
	mu4 := syncx.Identity(sync.Mutex{})
	mu4.Lock()
}

// Pointers in the container share the one value.
var ptrLocks syncx.Map[string, *sync.Mutex]

func shared(key string) {
	mu, _ := ptrLocks.LoadOrStore(key, new(sync.Mutex))
	mu.Lock()
	defer mu.Unlock()
}
