// Package lib holds helpers whose behaviour reaches their callers only
// through facts: when only ../app is checked, go vet analyses lib for its
// facts alone.
package lib

import (
	"container/list"
	"encoding/json"
	"os"
	"sync"
)

// Save writes v as JSON (a wrapper of json.Marshal).
func Save(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// Cache is a sync.Map with helpers.
type Cache struct{ m sync.Map }

// Get returns the value stored under k (a wrapper of Load).
func (c *Cache) Get(k any) (any, bool) { return c.m.Load(k) }

// Set stores v under k (it uses k as a key).
func (c *Cache) Set(k, v any) { c.m.Store(k, v) }

// Drop removes e from l.
func Drop(l *list.List, e *list.Element) { l.Remove(e) }

// Locks is a typed sync.Map of values.
type Locks[V any] struct{ m sync.Map }

// LoadOrStore returns a copy of the stored value.
func (l *Locks[V]) LoadOrStore(k string, v V) (V, bool) {
	actual, loaded := l.m.LoadOrStore(k, v)
	return actual.(V), loaded
}

// Load fills m from the JSON file at path.
func Load(m *sync.Map, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var saved map[string]string
	if err := json.Unmarshal(data, &saved); err != nil {
		return err
	}
	for k, v := range saved {
		m.Store(k, v)
	}
	return nil
}
