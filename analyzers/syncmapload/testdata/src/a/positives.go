package a

import (
	"fmt"
	"sync"
)

type User struct{ Name string }

var users sync.Map // string -> *User

func discardedOK(id string) string {
	v, _ := users.Load(id)
	u := v.(*User) // want `type assertion to \*User panics when the key is missing: Load returns nil then, and its ok result is not checked first`
	return u.Name
}

func unusedOK(id string) string {
	v, ok := users.Load(id)
	name := v.(*User).Name // want `type assertion to \*User panics when the key is missing`
	if !ok {
		return "" // too late: the assertion above already panicked
	}
	return name
}

func inExpression(id string) {
	v, _ := users.Load(id)
	fmt.Println(v.(*User).Name) // want `type assertion to \*User`
}

func toInterface(id string) string {
	v, _ := users.Load(id)
	return v.(fmt.Stringer).String() // want `type assertion to fmt.Stringer panics when the key is missing`
}

func param(m *sync.Map, id string) *User {
	v, _ := m.Load(id)
	return v.(*User) // want `type assertion to \*User panics`
}

type Registry struct {
	mu    sync.Mutex
	byID  sync.Map
	inner struct{ cache sync.Map }
}

func (r *Registry) field(id string) *User {
	v, _ := r.byID.Load(id)
	return v.(*User) // want `type assertion to \*User panics`
}

func (r *Registry) nestedField(id string) *User {
	v, _ := r.inner.cache.Load(id)
	return v.(*User) // want `type assertion to \*User panics`
}

type Embedded struct{ sync.Map }

func (e *Embedded) get(id string) *User {
	v, _ := e.Load(id)
	return v.(*User) // want `type assertion to \*User panics`
}

func loadAndDelete(id string) *User {
	v, _ := users.LoadAndDelete(id)
	return v.(*User) // want `type assertion to \*User panics when the key is missing: LoadAndDelete returns nil then, and its loaded result is not checked first`
}

func swap(id string, u *User) *User {
	prev, _ := users.Swap(id, u)
	return prev.(*User) // want `type assertion to \*User panics when the key is missing: Swap returns nil then, and its loaded result is not checked first`
}

// Only the first of two assertions of the same value is reported: it
// panics first.
func twice(id string) (string, *User) {
	v, _ := users.Load(id)
	name := v.(*User).Name // want `type assertion to \*User panics`
	return name, v.(*User)
}

// A φ-node: one of the values that reaches the assertion is unchecked.
func phi(id string, fallback bool) *User {
	var v any
	if fallback {
		v = &User{Name: "guest"}
	} else {
		v, _ = users.Load(id)
	}
	return v.(*User) // want `type assertion to \*User panics`
}

// The check inside a closure.
func closure(ids []string) []*User {
	var out []*User
	each := func(id string) {
		v, _ := users.Load(id)
		out = append(out, v.(*User)) // want `type assertion to \*User panics`
	}
	for _, id := range ids {
		each(id)
	}
	return out
}

// Range values are never nil, but a Load of another map inside is.
func rangeThenLoad(other *sync.Map) {
	users.Range(func(k, v any) bool {
		w, _ := other.Load(k)
		fmt.Println(v.(*User).Name, w.(*User).Name) // want `type assertion to \*User panics`
		return true
	})
}

// Generic code: the asserted type is a type parameter.
func Get[V any](m *sync.Map, key string) V {
	v, _ := m.Load(key)
	return v.(V) // want `type assertion to V panics`
}

// Lookup wrappers in this package.

type Cache struct{ m sync.Map }

// get returns nil for a missing key.
func (c *Cache) get(key string) any {
	v, _ := c.m.Load(key)
	return v
}

// lookup returns Load's two results.
func (c *Cache) lookup(key string) (any, bool) { return c.m.Load(key) }

// find says explicitly that a missing key gives (nil, false).
func (c *Cache) find(key string) (any, bool) {
	v, ok := c.m.Load(key)
	if !ok {
		return nil, false
	}
	return v, true
}

// findCombined computes presence into a variable first.
func (c *Cache) findCombined(key string) (any, bool) {
	v, ok := c.m.Load(key)
	found := ok && v != nil
	if !found {
		return nil, false
	}
	return v, true
}

// through wraps a wrapper.
func (c *Cache) through(key string) any { return c.get(key) }

func (c *Cache) callers(key string) {
	fmt.Println(c.get(key).(*User).Name) // want `type assertion to \*User panics when the key is missing: Cache.get \(a wrapper of Load\) returns nil then, and its ok result is not checked first`
	v, _ := c.lookup(key)
	fmt.Println(v.(*User).Name) // want `Cache.lookup \(a wrapper of Load\) returns nil then`
	w, _ := c.find(key)
	fmt.Println(w.(*User).Name)              // want `Cache.find \(a wrapper of Load\) returns nil then`
	fmt.Println(c.through(key).(*User).Name) // want `Cache.through \(a wrapper of Load\) returns nil then`
	x, _ := c.findCombined(key)
	fmt.Println(x.(*User).Name) // want `Cache.findCombined \(a wrapper of Load\) returns nil then`
}

// A function literal as a lookup wrapper.
func literalWrapper(ids []string) {
	get := func(id string) any {
		v, _ := users.Load(id)
		return v
	}
	for _, id := range ids {
		fmt.Println(get(id).(*User).Name) // want `type assertion to \*User panics when the key is missing: the function literal \(a wrapper of Load\) returns nil then`
	}
}

// Stored, but maybe deleted since.
func storedThenDeleted(id string, u *User, drop bool) string {
	users.Store(id, u)
	if drop {
		users.Delete(id)
	}
	v, _ := users.Load(id)
	return v.(*User).Name // want `type assertion to \*User panics`
}

// Stored under another key.
func storedOtherKey(id, other string, u *User) string {
	users.Store(other, u)
	v, _ := users.Load(id)
	return v.(*User).Name // want `type assertion to \*User panics`
}
