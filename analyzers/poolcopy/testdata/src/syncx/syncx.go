// Package syncx holds generic containers of the kind programs write around
// sync.Map and maps. Their getters return copies of stored values: harmless
// for ordinary values, lost work for a lock, pool or atomic value.
package syncx

import "sync"

// Map is a typed sync.Map.
type Map[K comparable, V any] struct{ m sync.Map }

func (m *Map[K, V]) Load(k K) (V, bool) { // want Load:"copiesOut\\(0\\)"
	v, ok := m.m.Load(k)
	if !ok {
		var zero V
		return zero, false
	}
	return v.(V), true
}

func (m *Map[K, V]) LoadOrStore(k K, v V) (V, bool) { // want LoadOrStore:"copiesOut\\(0\\)"
	actual, loaded := m.m.LoadOrStore(k, v)
	return actual.(V), loaded
}

func (m *Map[K, V]) Store(k K, v V) { m.m.Store(k, v) }

// LoadAndDelete removes the value: the caller holds the only copy left.
func (m *Map[K, V]) LoadAndDelete(k K) (V, bool) {
	v, ok := m.m.LoadAndDelete(k)
	if !ok {
		var zero V
		return zero, false
	}
	return v.(V), true
}

// Cache is a map guarded by a mutex.
type Cache[K comparable, V any] struct {
	mu   sync.RWMutex
	m    map[K]V
	hits int
}

func NewCache[K comparable, V any]() *Cache[K, V] {
	return &Cache[K, V]{m: make(map[K]V)}
}

func (c *Cache[K, V]) Get(k K) V { // want Get:"copiesOut\\(0\\)"
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[k]
}

// GetOrCreate stores the value it returns: the entry stays in the map.
func (c *Cache[K, V]) GetOrCreate(k K, v V) V { // want GetOrCreate:"copiesOut\\(0\\)"
	c.mu.Lock()
	defer c.mu.Unlock()
	old, ok := c.m[k]
	if ok {
		return old
	}
	c.m[k] = v
	return v
}

// CountingGet updates the cache's statistics: its result is trusted no
// more than any function that writes to memory it did not allocate.
func (c *Cache[K, V]) CountingGet(k K) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hits++
	return c.m[k]
}

// Take removes the entry it returns.
func (c *Cache[K, V]) Take(k K) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	v := c.m[k]
	delete(c.m, k)
	return v
}

// Swap replaces the entry it returns.
func (c *Cache[K, V]) Swap(k K, v V) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m[k]
	c.m[k] = v
	return old
}

// Registry wraps a Cache: a wrapper of a wrapper.
type Registry[V any] struct{ byName *Cache[string, V] }

func (r *Registry[V]) Lookup(name string) V { // want Lookup:"copiesOut\\(0\\)"
	return r.byName.Get(name)
}

// Queue hands out its elements: Pop leaves no copy behind.
type Queue[T any] struct{ items []T }

func (q *Queue[T]) Push(v T) { q.items = append(q.items, v) }

func (q *Queue[T]) Pop() T {
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

// Peek leaves the element in the queue.
func (q *Queue[T]) Peek() T { // want Peek:"copiesOut\\(0\\)"
	return q.items[0]
}

// First returns a copy of the first element of s.
func First[T any](s []T) T { // want First:"copiesOut\\(0\\)"
	return s[0]
}

// Or returns the first of its arguments that is not the zero value: the
// arguments were copied by the call itself.
func Or[T comparable](vals ...T) T {
	var zero T
	for _, v := range vals {
		if v != zero {
			return v
		}
	}
	return zero
}

// Zero returns a fresh zero value.
func Zero[T any]() T {
	var zero T
	return zero
}

// Identity returns its argument, copied by the call.
func Identity[T any](v T) T { return v }

// Ordered-only helpers cannot return a lock.
func Max[T int | float64](a, b T) T {
	if a > b {
		return a
	}
	return b
}

// Spin keeps its values in variables a deferred function reads, each stored
// from the others in a loop: the search for a stored copy behind the result
// meets each variable again along every path, and must not follow them all
// (a dependency of prometheus took minutes). None of them holds a copy.
func Spin[T any](n int, fresh func() T) (out T) {
	var a, b, c T
	defer func() { _, _, _ = a, b, c }()
	for range n {
		a, b, c = b, c, a
		a, b, c = c, a, b
		a, b, c = b, c, fresh()
		a, b, c = c, fresh(), b
	}
	out = a
	return out
}
