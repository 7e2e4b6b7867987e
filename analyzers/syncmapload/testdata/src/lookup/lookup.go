package lookup // want package:"hasLookups"

// Package lookup holds lookup wrappers used from package b.

import "sync"

type Cache struct{ m sync.Map }

// Get hands back Load's results.
func (c *Cache) Get(key string) (any, bool) { // want Get:"lookup\\(value 0, ok 1, Load\\)"
	return c.m.Load(key)
}

// Value returns nil for a missing key.
func (c *Cache) Value(key string) any { // want Value:"lookup\\(value 0, ok -1, Load\\)"
	v, _ := c.m.Load(key)
	return v
}

// Take is a wrapper of a wrapper.
func Take(c *Cache, key string) (value any, found bool) { // want Take:"lookup\\(value 0, ok 1, Load\\)"
	return c.Get(key)
}

// Pop hands back LoadAndDelete's results, in the other order.
func (c *Cache) Pop(key string) (bool, any) { // want Pop:"lookup\\(value 1, ok 0, LoadAndDelete\\)"
	v, loaded := c.m.LoadAndDelete(key)
	return loaded, v
}

// Or never returns nil: not a wrapper.
func (c *Cache) Or(key string, def any) any {
	if v, ok := c.m.Load(key); ok {
		return v
	}
	return def
}

// get is not exported: no fact.
func (c *Cache) get(key string) any {
	v, _ := c.m.Load(key)
	return v
}
