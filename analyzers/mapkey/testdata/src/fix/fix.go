package fix // want package:"hasHashers"

import (
	"encoding/json"
	"sync"
)

var seen sync.Map

func store(b []byte) {
	seen.Store(b, true) // want `unhashable key: sync.Map.Store panics on a key of type \[\]byte`
}

func index(m map[any]int, b []byte) int {
	m[b[1:]]++  // want `unhashable key`
	return m[b] // want `unhashable key`
}

func raw(m map[any]bool, msg json.RawMessage) {
	m[msg] = true // want `unhashable key: the map assignment panics on a key of type json.RawMessage`
}

type Cache struct{ m sync.Map }

func (c *Cache) Put(key, value any) { c.m.Store(key, value) } // want Put:"hashes\\(1 insert\\)"

func wrapper(c *Cache, b []byte) {
	c.Put(b, len(b)) // want `unhashable key: Cache.Put`
}

// No fix: not a byte slice.
func runes(r []rune) {
	seen.Store(r, true) // want `unhashable key: sync.Map.Store panics on a key of type \[\]rune`
}

// No fix: the bytes are inside an interface here.
func boxed(b []byte) {
	var k any = b
	seen.Store(k, true) // want `unhashable key: sync.Map.Store panics on a key of type \[\]byte`
}
