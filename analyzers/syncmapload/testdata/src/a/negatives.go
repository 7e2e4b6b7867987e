package a

import (
	"errors"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
)

func okReturn(id string) *User {
	v, ok := users.Load(id)
	if !ok {
		return nil
	}
	return v.(*User)
}

func okBlock(id string) string {
	if v, ok := users.Load(id); ok {
		return v.(*User).Name
	}
	return ""
}

func okAnd(id string) bool {
	v, ok := users.Load(id)
	return ok && v.(*User).Name != ""
}

func okEqualsTrue(id string) *User {
	v, ok := users.Load(id)
	if ok == true {
		return v.(*User)
	}
	return nil
}

func okNotFalse(id string) *User {
	v, ok := users.Load(id)
	if ok != false {
		return v.(*User)
	}
	return nil
}

func okSwitch(id string) *User {
	v, ok := users.Load(id)
	switch {
	case !ok:
		return nil
	}
	return v.(*User)
}

func okCopied(id string) *User {
	v, ok := users.Load(id)
	present := ok
	if !present {
		return nil
	}
	return v.(*User)
}

func okCombined(id string) *User {
	v, ok := users.Load(id)
	found := ok && v != nil
	if !found {
		return nil
	}
	return v.(*User)
}

func nilCheck(id string) *User {
	v, _ := users.Load(id)
	if v == nil {
		return nil
	}
	return v.(*User)
}

func nonNilCheck(id string) string {
	if v, _ := users.Load(id); v != nil {
		return v.(*User).Name
	}
	return ""
}

func commaOK(id string) *User {
	v, _ := users.Load(id)
	u, _ := v.(*User)
	return u
}

func commaOKThenAssert(id string) string {
	v, _ := users.Load(id)
	if _, isUser := v.(*User); isUser {
		return v.(*User).Name
	}
	return ""
}

func typeSwitch(id string) string {
	v, _ := users.Load(id)
	switch u := v.(type) {
	case *User:
		return u.Name
	case nil:
		return ""
	}
	return ""
}

func typeSwitchThenAssert(id string) string {
	v, _ := users.Load(id)
	switch v.(type) {
	case *User:
		return v.(*User).Name
	}
	return ""
}

func panics(id string) *User {
	v, ok := users.Load(id)
	if !ok {
		panic("unknown user " + id)
	}
	return v.(*User)
}

func fatal(id string) *User {
	v, ok := users.Load(id)
	if !ok {
		log.Fatalf("unknown user %s", id)
	}
	return v.(*User)
}

func mustExist(id string) {
	panic("unknown " + id)
}

// The missing case is handled by a helper the check cannot see into: it
// stays silent rather than guess whether the helper returns.
func helperHandles(id string) *User {
	v, ok := users.Load(id)
	if !ok {
		mustExist(id)
	}
	return v.(*User)
}

func defaulted(id string) *User {
	v, ok := users.Load(id)
	if !ok {
		v = &User{Name: "guest"}
	}
	return v.(*User)
}

func nilDefaulted(id string) *User {
	v, _ := users.Load(id)
	if v == nil {
		v = &User{Name: "guest"}
	}
	return v.(*User)
}

// The usual idiom: Load first, LoadOrStore on a miss.
func loadOrCreate(id string) *User {
	v, ok := users.Load(id)
	if !ok {
		v, _ = users.LoadOrStore(id, &User{Name: id})
	}
	return v.(*User)
}

func loadOrStore(id string) *User {
	v, _ := users.LoadOrStore(id, &User{Name: id})
	return v.(*User)
}

func rangeValues() {
	users.Range(func(k, v any) bool {
		fmt.Println(k.(string), v.(*User).Name)
		return true
	})
}

func loadedDelete(id string) {
	if v, loaded := users.LoadAndDelete(id); loaded {
		fmt.Println(v.(*User).Name)
	}
}

func loadedSwap(id string, u *User) {
	if prev, loaded := users.Swap(id, u); loaded {
		fmt.Println(prev.(*User).Name)
	}
}

var errMissing = errors.New("missing")

func errorOnMissing(id string) (*User, error) {
	v, ok := users.Load(id)
	if !ok {
		return nil, errMissing
	}
	return v.(*User), nil
}

// Not sync.Map: an atomic.Value, a plain map, a type of our own.

var current atomic.Value

func atomicValue() *User { return current.Load().(*User) }

var plain = map[string]any{}

func plainMap(id string) *User { return plain[id].(*User) }

type Store struct{}

func (Store) Load(key string) (any, bool) { return &User{}, true }

func ownLoad(s Store, id string) *User {
	v, _ := s.Load(id)
	return v.(*User)
}

type Loader interface{ Load(key any) (any, bool) }

func viaInterface(l Loader, id string) *User {
	v, _ := l.Load(id)
	return v.(*User)
}

// Wrappers that never return nil are not lookup wrappers.

func (c *Cache) orDefault(key string) any {
	v, ok := c.m.Load(key)
	if !ok {
		return &User{Name: "guest"}
	}
	return v
}

func (c *Cache) must(key string) any {
	v, ok := c.m.Load(key)
	if !ok {
		panic("missing " + key)
	}
	return v
}

// lying returns true even when the key is missing: the bug is in the
// wrapper, which is not a lookup wrapper; its callers are not blamed.
func (c *Cache) lying(key string) (any, bool) {
	v, _ := c.m.Load(key)
	return v, true
}

func (c *Cache) wrapperCallers(key string) {
	fmt.Println(c.orDefault(key).(*User).Name)
	fmt.Println(c.must(key).(*User).Name)
	if v, ok := c.lookup(key); ok {
		fmt.Println(v.(*User).Name)
	}
	if v := c.get(key); v != nil {
		fmt.Println(v.(*User).Name)
	}
	v, _ := c.lying(key)
	fmt.Println(v.(*User).Name)
}

// Generic look-alikes.

type Map[K comparable, V any] struct{ m sync.Map }

func (m *Map[K, V]) Load(key K) (V, bool) {
	v, ok := m.m.Load(key)
	if !ok {
		var zero V
		return zero, false
	}
	return v.(V), true
}

func (m *Map[K, V]) Range(f func(K, V) bool) {
	m.m.Range(func(k, v any) bool { return f(k.(K), v.(V)) })
}

// Locked registries: the mutex does not make a missing key present, but the
// presence test does.
func (r *Registry) locked(id string) *User {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.byID.Load(id)
	if !ok {
		return nil
	}
	return v.(*User)
}

// The key was stored just before, on every path.
func storedFirst(id string, u *User) string {
	users.Store(id, u)
	v, _ := users.Load(id)
	return v.(*User).Name
}

func loadOrStoredFirst(id string) string {
	users.LoadOrStore(id, &User{Name: id})
	v, _ := users.Load(id)
	return v.(*User).Name
}
