// Package shared holds maps and helpers other test packages use.
package shared

// Registry is a package-level map of this package that another package's
// handlers write.
var Registry = map[string]int{}

// Remember writes Registry without a lock. The check does not follow calls
// into other packages.
func Remember(k string) { Registry[k]++ }

// Table is a generic map type.
type Table[K comparable, V any] map[K]V
