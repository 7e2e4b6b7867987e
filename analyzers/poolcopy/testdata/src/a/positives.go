package a

import (
	"sync"
	"sync/atomic"
)

// typedMap is the typed sync.Map a program writes for itself.
type typedMap[K comparable, V any] struct{ m sync.Map }

func (t *typedMap[K, V]) Load(k K) (V, bool) { // want Load:"copiesOut\\(0\\)"
	v, ok := t.m.Load(k)
	if !ok {
		var zero V
		return zero, false
	}
	return v.(V), true
}

func (t *typedMap[K, V]) LoadOrStore(k K, v V) (V, bool) { // want LoadOrStore:"copiesOut\\(0\\)"
	actual, loaded := t.m.LoadOrStore(k, v)
	return actual.(V), loaded
}

// cache is a map behind a lock, with unexported methods (no facts).
type cache[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

func (c *cache[K, V]) get(k K) V {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[k]
}

func lookup[K comparable, V any](m map[K]V, k K) V { return m[k] }

func first[T any](s []T) T { return s[0] }

type entry struct {
	mu   sync.Mutex
	hits int
}

var (
	keyLocks typedMap[string, sync.Mutex]
	groups   typedMap[int, sync.WaitGroup]
	entries  typedMap[string, entry]
	counters typedMap[string, atomic.Int64]
	onces    cache[string, sync.Once]
	pools    cache[int, sync.Pool]
	shards   cache[int, sync.Map]
	bySize   map[int]sync.Pool
	poolList []sync.Pool
)

// The classic keyed mutex, through a typed wrapper of sync.Map: every
// caller locks its own copy.
func withKeyLock(key string, f func()) {
	mu, _ := keyLocks.LoadOrStore(key, sync.Mutex{}) // want `^mu, _ := keyLocks.LoadOrStore\(key, sync.Mutex{}\) copies the stored sync.Mutex: locking the copy excludes no one; instantiate typedMap with \*sync.Mutex$`
	mu.Lock()
	defer mu.Unlock()
	f()
}

func waitFor(id int) {
	wg, ok := groups.Load(id) // want `^wg, ok := groups.Load\(id\) copies the stored sync.WaitGroup: Add, Done and Wait on the copy do not reach the stored WaitGroup; instantiate typedMap with \*sync.WaitGroup$`
	if ok {
		wg.Wait()
	}
}

func hit(key string) {
	e, _ := entries.Load(key) // want `^e, _ := entries.Load\(key\) copies the stored entry and the sync.Mutex in its field mu: locking the copy excludes no one; instantiate typedMap with \*entry$`
	e.mu.Lock()
	e.hits++
	e.mu.Unlock()
}

func count(key string) {
	c, _ := counters.Load(key) // want `^c, _ := counters.Load\(key\) copies the stored atomic.Int64: Add on the copy is lost; instantiate typedMap with \*atomic.Int64$`
	c.Add(1)
}

func initOnce(key string, f func()) {
	once := onces.get(key) // want `^once := onces.get\(key\) copies the stored sync.Once: Do on the copy runs its function again; instantiate cache with \*sync.Once$`
	once.Do(f)
}

func buffer(size int) []byte {
	p := pools.get(size) // want `^p := pools.get\(size\) copies the stored sync.Pool: Get and Put on the copy reuse nothing; instantiate cache with \*sync.Pool$`
	b, _ := p.Get().([]byte)
	p.Put(b[:0])
	return b
}

func remember(shard int, k, v string) {
	m := shards.get(shard) // want `^m := shards.get\(shard\) copies the stored sync.Map: entries written to the copy are lost; instantiate cache with \*sync.Map$`
	m.Store(k, v)
}

func fromGenericFunc(n int) any {
	p := lookup(bySize, n) // want `^p := lookup\(bySize, n\) copies the stored sync.Pool: Get and Put on the copy reuse nothing; give lookup a container of \*sync.Pool$`
	return p.Get()
}

func fromFirst() any {
	p := first(poolList) // want `^p := first\(poolList\) copies the stored sync.Pool`
	return p.Get()
}

// Declared first, assigned later; and a var declaration.
func assignForms(key string) {
	var mu sync.Mutex
	mu, _ = keyLocks.Load(key) // want `^mu, _ = keyLocks.Load\(key\) copies the stored sync.Mutex`
	mu.Lock()
	var p = pools.get(1) // want `^var p = pools.get\(1\) copies the stored sync.Pool`
	p.Put(nil)
}

// The copy is captured by a goroutine.
func inGoroutine(key string) {
	mu, _ := keyLocks.Load(key) // want `copies the stored sync.Mutex`
	go func() {
		mu.Lock()
		defer mu.Unlock()
	}()
}

// Type switches bind a copy of the value in the interface.
var registry sync.Map // name -> sync.Pool, stored by value

func put(name string, x any) {
	v, ok := registry.Load(name)
	if !ok {
		return
	}
	switch p := v.(type) {
	case sync.Pool: // want `^case sync.Pool of switch p := v.\(type\) copies the stored sync.Pool: Get and Put on the copy reuse nothing; store \*sync.Pool in the interface$`
		p.Put(x)
	case *sync.Pool:
		p.Put(x)
	}
}

var jobs map[string]any

func wait(id string) {
	switch wg := jobs[id].(type) {
	case sync.WaitGroup: // want `case sync.WaitGroup of switch wg := jobs\[id\].\(type\) copies the stored sync.WaitGroup`
		wg.Wait()
	}
}

// atomic.Value holds no lock: copylocks never reports its copies.
var (
	configs map[string]atomic.Value
	byName  map[string]holder
	values  sync.Map // string -> atomic.Value
)

type holder struct {
	val  atomic.Value
	name string
}

func setConfig(name string, cfg any) {
	v := configs[name] // want `^v := configs\[name\] copies the stored atomic.Value: Store on the copy is lost; store \*atomic.Value in the map$`
	v.Store(cfg)
}

func setIfPresent(name string, cfg any) {
	v, ok := configs[name] // want `^v, ok := configs\[name\] copies the stored atomic.Value`
	if ok {
		v.Store(cfg)
	}
}

func resetAll() {
	for _, v := range configs { // want `^for _, v := range configs copies the stored atomic.Value: Store on the copy is lost; store \*atomic.Value in the map$`
		v.Store(nil)
	}
}

func resetHolders(list []holder) {
	for _, h := range list { // want `^for _, h := range list copies the stored holder and the atomic.Value in its field val: Store on the copy is lost; range over the indices and use &list\[i\]$`
		h.val.Store(nil)
	}
}

func swapNamed(name string, x any) any {
	h := byName[name] // want `^h := byName\[name\] copies the stored holder and the atomic.Value in its field val: CompareAndSwap and Swap on the copy are lost; store \*holder in the map$`
	if h.name == "" {
		return nil
	}
	if h.val.CompareAndSwap(nil, x) {
		return nil
	}
	return h.val.Swap(x)
}

func fieldOfEntry(name string, x any) {
	v := byName[name].val // want `^v := byName\[name\].val copies the stored atomic.Value: Store on the copy is lost; store \*atomic.Value in the map$`
	v.Store(x)
}

func fromSyncMap(name string, x any) {
	e, _ := values.Load(name)
	v := e.(atomic.Value) // want `^v := e.\(atomic.Value\) copies the stored atomic.Value: Store on the copy is lost; store \*atomic.Value in the interface$`
	v.Store(x)
}

type configRegistry struct{ m map[string]atomic.Value }

func (r *configRegistry) value(name string) atomic.Value { return r.m[name] }

func (r *configRegistry) set(name string, x any) {
	v := r.value(name) // want `^v := r.value\(name\) copies the stored atomic.Value: Store on the copy is lost; make configRegistry.value return \*atomic.Value$`
	v.Store(x)
}

func deferred(name string) {
	v := configs[name] // want `copies the stored atomic.Value: Store on the copy is lost`
	defer v.Store(nil)
}

// A getter with a value receiver: the map is shared all the same.
type valueCache[K comparable, V any] struct{ m map[K]V }

func (c valueCache[K, V]) get(k K) V { return c.m[k] }

type guarded struct {
	sync.Mutex
	n int
}

var (
	byValue  valueCache[string, sync.Pool]
	embedded valueCache[string, guarded]
	arrays   map[string][2]atomic.Value
)

func valueReceiver() {
	p := byValue.get("k") // want `^p := byValue.get\("k"\) copies the stored sync.Pool: Get and Put on the copy reuse nothing; instantiate valueCache with \*sync.Pool$`
	p.Put(nil)
}

func embeddedMutex() {
	g := embedded.get("k") // want `^g := embedded.get\("k"\) copies the stored guarded and the sync.Mutex in its field Mutex: locking the copy excludes no one; instantiate valueCache with \*guarded$`
	g.Lock()
	g.n++
	g.Unlock()
}

func arrayElement(k string) {
	pair := arrays[k] // want `^pair := arrays\[k\] copies the stored \[2\]atomic.Value and the atomic.Value in its element \[i\]: Store on the copy is lost; store \*\[2\]atomic.Value in the map$`
	pair[1].Store(k)
}
