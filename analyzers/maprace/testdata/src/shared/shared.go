// Package shared holds maps and helpers other test packages use.
package shared

import "sync"

// Registry is a package-level map of this package that another package's
// handlers write.
var Registry = map[string]int{}

// Remember writes Registry without a lock: a handler of another package
// that calls it races with itself.
func Remember(k string) { Registry[k]++ }

var notes = map[string]int{}

// Note writes notes without a lock: its callers must hold one.
func Note(k string) { notes[k]++ }

var (
	mu     sync.Mutex
	counts = map[string]int{}
)

// Count locks around its write.
func Count(k string) {
	mu.Lock()
	counts[k]++
	mu.Unlock()
}

var names = map[string]bool{}

// Name writes only inside a function literal it hands on: not followed.
func Name(k string, do func(func())) { do(func() { names[k] = true }) }

// Table is a generic map type.
type Table[K comparable, V any] map[K]V
