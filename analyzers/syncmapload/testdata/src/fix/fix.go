package fix

import "sync"

type User struct{ Name string }

type Entry struct {
	Value string
	Hits  int
}

type Users struct{ m sync.Map }

func (u *Users) Get(id string) (*User, bool) {
	v, ok := u.m.Load(id)
	return v.(*User), ok // want `type assertion to \*User panics when the key is missing`
}

func (u *Users) Named(id string) (user *User, found bool) {
	v, found := u.m.Load(id)
	return v.(*User), found // want `type assertion to \*User panics`
}

var entries sync.Map

func entry(key string) (Entry, bool) {
	v, ok := entries.Load(key)
	return v.(Entry), ok // want `type assertion to Entry panics`
}

func value(key string) (string, bool) {
	v, ok := entries.Load(key)
	return v.(string), ok // want `type assertion to string panics`
}

func count(key string) (int, bool, error) {
	v, ok := entries.Load(key)
	return v.(int), ok, nil // want `type assertion to int panics`
}

func take(key string) (Entry, bool) {
	v, loaded := entries.LoadAndDelete(key)
	return v.(Entry), loaded // want `type assertion to Entry panics when the key is missing: LoadAndDelete`
}

type Map[K comparable, V any] struct{ m sync.Map }

func (m *Map[K, V]) Load(key K) (V, bool) {
	v, ok := m.m.Load(key)
	return v.(V), ok // want `type assertion to V panics`
}

// No fix: the other result would be evaluated twice.
func withCall(key string) (string, bool, error) {
	v, ok := entries.Load(key)
	return v.(string), ok, check(key) // want `type assertion to string panics`
}

func check(string) error { return nil }

// No fix: the ok is not returned.
func noOK(key string) string {
	v, _ := entries.Load(key)
	return v.(string) // want `type assertion to string panics`
}
