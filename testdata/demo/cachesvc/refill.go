package main

import (
	"sync"
	"time"
)

// keyedMap is a typed sync.Map, the kind of wrapper every service grows.
type keyedMap[K comparable, V any] struct{ m sync.Map }

func (k *keyedMap[K, V]) LoadOrStore(key K, v V) V {
	actual, _ := k.m.LoadOrStore(key, v)
	return actual.(V)
}

// refillLocks is meant to let one request per key recompute an expired
// entry while the others wait. It holds sync.Mutex values: LoadOrStore
// returns a copy, every request locks its own, and all of them recompute.
var refillLocks keyedMap[string, sync.Mutex]

// refill recomputes the entry for key under the key's lock, unless another
// request refilled it meanwhile.
func (s *Store) refill(key string, compute func() string) Entry {
	mu := refillLocks.LoadOrStore(key, sync.Mutex{})
	mu.Lock()
	defer mu.Unlock()
	if v, ok := s.Entries.Load(key); ok && v.(Entry).Expires.After(time.Now()) {
		return v.(Entry)
	}
	e := Entry{Value: compute(), Expires: time.Now().Add(time.Hour)}
	s.Entries.Store(key, e)
	return e
}
