package a

import (
	"fmt"
	"math"
	"sync"
)

var seen sync.Map

// Unhashable dynamic types as sync.Map keys.

func sliceKey(ids []string) {
	seen.Store(ids, true) // want `unhashable key: sync.Map.Store panics on a key of type \[\]string, since slices cannot be hashed \(runtime error: hash of unhashable type \[\]string\)`
}

func mapKey(m map[string]int) {
	seen.Load(m) // want `unhashable key: sync.Map.Load panics on a key of type map\[string\]int, since maps cannot be hashed`
}

func funcKey(f func()) {
	seen.Delete(f) // want `unhashable key: sync.Map.Delete panics on a key of type func\(\), since functions cannot be hashed`
}

type Point struct {
	X, Y int
	Tags []string
}

func structKey(p Point) {
	seen.LoadOrStore(p, 1) // want `unhashable key: sync.Map.LoadOrStore panics on a key of type Point, since its field Tags is of type \[\]string, which cannot be hashed`
}

func arrayKey(a [2][]int) {
	seen.Swap(a, 1) // want `unhashable key: sync.Map.Swap panics on a key of type \[2\]\[\]int, since its elements are of type \[\]int, which cannot be hashed`
}

func otherMethods(ids []int) {
	seen.LoadAndDelete(ids)          // want `sync.Map.LoadAndDelete panics`
	seen.CompareAndSwap(ids, 1, 2)   // want `sync.Map.CompareAndSwap panics`
	seen.CompareAndDelete(ids, true) // want `sync.Map.CompareAndDelete panics`
}

type Registry struct{ byKey sync.Map }

func (r *Registry) field(ids []int) {
	r.byKey.Store(ids, true) // want `sync.Map.Store panics on a key of type \[\]int`
}

// Unhashable dynamic types as keys of maps with interface keys.

func anyMapAssign(m map[any]int, s []int) {
	m[s] = 1 // want `unhashable key: the map assignment panics on a key of type \[\]int`
}

func anyMapLookup(m map[any]int, s []int) int {
	return m[s] // want `unhashable key: the map lookup panics on a key of type \[\]int`
}

func anyMapCommaOK(m map[any]int, s []int) bool {
	_, ok := m[s] // want `the map lookup panics`
	return ok
}

func anyMapDelete(m map[any]int, s []int) {
	delete(m, s) // want `unhashable key: delete panics on a key of type \[\]int`
}

func anyMapLiteral(s []int) map[any]int {
	return map[any]int{s: 1} // want `the map assignment panics on a key of type \[\]int`
}

// Reported once, not once for the read and once for the write.
func anyMapOpAssign(m map[any]int, s []int) {
	m[s]++ // want `the map (lookup|assignment) panics`
}

type words []string

func (w words) String() string { return fmt.Sprint([]string(w)) }

func interfaceMap(m map[fmt.Stringer]int, w words) {
	m[w] = 1 // want `the map assignment panics on a key of type words`
}

// Through variables and φ-nodes.

func viaVariable() {
	k := any([]int{1, 2})
	seen.Store(k, 1) // want `sync.Map.Store panics on a key of type \[\]int`
}

func phi(m map[any]int, s []int, name string, byName bool) {
	var k any = s
	if byName {
		k = name
	}
	m[k] = 1 // want `the map assignment panics on a key of type \[\]int`
}

// Through functions that use a parameter as a key.

type Cache struct{ m sync.Map }

func (c *Cache) Set(key, v any) { c.m.Store(key, v) } // want Set:"hashes\\(1 insert\\)"

func (c *Cache) Forget(key any) { c.m.Delete(key) } // want Forget:"hashes\\(1 delete\\)"

func set(c *Cache, key any) { c.Set(key, nil) }

func useCache(c *Cache, ids []string) {
	c.Set(ids, 1)                // want `unhashable key: Cache.Set \(which uses it as a map key\) panics on a key of type \[\]string`
	c.Forget(map[string]bool{})  // want `Cache.Forget \(which uses it as a map key\) panics on a key of type map\[string\]bool`
	set(c, []int{1})             // want `set \(which uses it as a map key\) panics on a key of type \[\]int`
	c.Set(fmt.Sprint(ids), true) // a string: fine
}

// Generic code.

func Put[K any](m *sync.Map, k K) { m.Store(k, true) } // want Put:"hashes\\(1 insert\\)"

func Index[K comparable](m map[K]int, k K) { m[k]++ } // want Index:"hashes\\(1 insert\\)"

func useGeneric(m *sync.Map, ids []int) {
	Put(m, ids)                          // want `Put \(which uses it as a map key\) panics on a key of type \[\]int`
	Index[any](map[any]int{}, ids)       // want `Index \(which uses it as a map key\) panics on a key of type \[\]int`
	Put(m, "fine")                       // a string
	Index(map[string]int{}, "also fine") // a string
}

// NaN keys.

func nanInsert(m map[float64]int) {
	m[math.NaN()] = 1 // want `NaN key: the map assignment adds an entry that can never be found, replaced or deleted, since NaN is not equal to itself \(only clear removes it\); each call adds another`
}

func nanVariable(m map[float64]int) {
	x := math.NaN()
	m[x] = 1 // want `NaN key`
}

func nanLookup(m map[float64]int) int {
	return m[math.NaN()] // want `NaN key: the map lookup never finds anything, since NaN is not equal to itself`
}

func nanDelete(m map[float64]int) {
	delete(m, math.NaN()) // want `NaN key: delete never removes anything, since NaN is not equal to itself`
}

func infMinusInf(m map[float64]int) {
	m[math.Inf(1)-math.Inf(1)] = 1 // want `NaN key`
}

func infPlusMinusInf(m map[float64]int) {
	m[math.Inf(1)+math.Inf(-1)] = 1 // want `NaN key`
}

func infTimesZero(m map[float64]int) {
	m[math.Inf(-1)*0] = 1 // want `NaN key`
}

func zeroDivZero(m map[float64]int) {
	zero := 0.0
	m[zero/zero] = 1 // want `NaN key`
}

func arithmetic(m map[float64]int, x float64) {
	m[x+math.NaN()] = 1 // want `NaN key`
}

func float32Key(m map[float32]int) {
	m[float32(math.NaN())] = 1 // want `NaN key`
}

type Celsius float64

func namedFloat(m map[Celsius]string) {
	m[Celsius(math.NaN())] = "unknown" // want `NaN key`
}

var missing = math.NaN()

func sentinel(m map[float64]int) {
	m[missing] = 0 // want `NaN key`
}

func nanSyncMap() {
	seen.Store(math.NaN(), 1) // want `NaN key: sync.Map.Store adds an entry that can never be found`
}

func nanAnyMap(m map[any]int) {
	m[math.NaN()] = 1 // want `NaN key`
}

type Histogram struct{ counts map[float64]int }

func (h *Histogram) Add(x float64) { h.counts[x]++ } // want Add:"hashes\\(1 insert\\)"

func nanWrapper(c *Cache, h *Histogram) {
	c.Set(math.NaN(), 1) // want `NaN key: Cache.Set \(which uses it as a map key\) adds an entry`
	h.Add(math.NaN())    // want `NaN key: Histogram.Add \(which uses it as a map key\) adds an entry`
}
