package a // want package:"hasHashers"

import (
	"fmt"
	"math"
	"strings"
	"sync"
)

type key struct {
	Name string
	ID   int
}

func hashable(m map[any]int, ids []string, b []byte, p *Point) {
	seen.Store("x", 1)
	seen.Store(42, 1)
	seen.Store(key{"a", 1}, 1)
	seen.Store([4]byte{1, 2, 3, 4}, 1)
	seen.Store(&ids, 1) // a pointer: hashed by address
	seen.Store(p, 1)
	seen.Store(string(b), 1)
	seen.Store(strings.Join(ids, ","), 1)
	seen.Store(fmt.Sprint(ids), 1)
	seen.Store(make(chan int), 1)
	m[key{"b", 2}] = 1
	m[[2]string{"a", "b"}] = 1
	_ = m[len(ids)]
}

// Dynamic types the check cannot see.

func unknown(m map[any]int, v any, vals []any, get func() any) {
	seen.Store(v, 1)
	m[v] = 1
	m[vals[0]] = 1
	m[get()] = 1
	seen.Range(func(k, v any) bool {
		m[k] = 1
		return true
	})
}

// A function that probes hashability expects the panic.
func isHashable(v any) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	_ = map[any]bool{v: true}
	return true
}

func probe(ids []int) bool { return isHashable(ids) }

func probeHere(ids []int) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	seen.Load(ids)
	return true
}

// Wrappers and generic functions called with hashable keys.

func useCacheWell(c *Cache, ids []string) {
	c.Set(strings.Join(ids, "/"), ids)
	c.Forget(key{"x", 1})
	Put(&seen, [3]int{1, 2, 3})
	Index(map[key]int{}, key{"y", 2})
}

// Floats that are not NaN.

func floats(m map[float64]int, x, y float64) {
	m[math.Inf(1)] = 1 // +Inf == +Inf: a key like any other
	m[math.Inf(-1)] = 1
	m[math.Inf(1)-math.Inf(-1)] = 1 // +Inf
	m[math.Inf(1)*2] = 1
	m[0*x] = 1   // NaN only when x is infinite
	m[x/y] = 1   // NaN only when both are zero or infinite
	m[x-x] = 1   // NaN only when x is infinite or NaN
	m[0.0] = 1   // just zero
	m[-0.0] = 1  // the same key as 0
	m[1e308] = 1 // big, finite
	if !math.IsNaN(x) {
		m[x]++
	}
}

var (
	reset   = math.NaN()
	Missing = math.NaN() // exported: another package may assign it
)

func resetTo(v float64) { reset = v }

func notAlwaysNaN(m map[float64]int) {
	m[reset] = 1
	m[Missing] = 1
}

// math.NaN() as a value, not a key.
func nanValue(m map[string]float64) {
	m["unknown"] = math.NaN()
}

// Plain maps with concrete key types cannot take an unhashable key: the
// compiler rejects it. Hashable struct keys are fine.
func concrete(m map[key]int, k key) { m[k]++ }

var guarded struct {
	sync.Mutex
	m map[any]int
}

func lockedStringKey(name string) {
	guarded.Lock()
	defer guarded.Unlock()
	guarded.m[name]++
}

// A method value: its first argument is the key, not the receiver.
func methodValue(ids []int) {
	store := seen.Store
	store("ids", ids) // an unhashable value, under a string key
	set := (&Cache{}).Set
	set("ids", ids)
}
