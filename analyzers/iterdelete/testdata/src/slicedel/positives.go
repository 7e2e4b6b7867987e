package slicedel

import (
	"slices"
	"strings"
)

type item struct {
	name string
	dead bool
}

// Three-clause loops.

func dropAppend(s []item) []item {
	for i := 0; i < len(s); i++ {
		if s[i].dead {
			s = append(s[:i], s[i+1:]...) // want `append\(s\[:i\], s\[i\+1:\]\.\.\.\) deletes s\[i\] inside a loop that then advances i: the element shifted into s\[i\] is skipped`
		}
	}
	return s
}

func dropSlicesDelete(s []item) []item {
	for i := 0; i < len(s); i++ {
		if s[i].dead {
			s = slices.Delete(s, i, i+1) // want `slices\.Delete\(s, i, i\+1\) deletes s\[i\] inside a loop that then advances i`
		}
	}
	return s
}

func dropCopy(s []*item) []*item {
	for i := 0; i < len(s); i++ {
		if s[i].dead {
			copy(s[i:], s[i+1:]) // want `copy\(s\[i:\], s\[i\+1:\]\) deletes s\[i\] inside a loop that then advances i`
			s[len(s)-1] = nil
			s = s[:len(s)-1]
		}
	}
	return s
}

func dropCopyOneLine(s []item) []item {
	for i := 0; i < len(s); i++ {
		if s[i].dead {
			s = s[:i+copy(s[i:], s[i+1:])] // want `deletes s\[i\] inside a loop that then advances i`
		}
	}
	return s
}

func dropSwap(s []item) []item {
	for i := 0; i < len(s); i++ {
		if s[i].dead {
			s[i] = s[len(s)-1] // want `s\[i\] = s\[len\(s\)-1\] moves the last element into s\[i\] inside a loop that then advances i: the moved element is skipped`
			s = s[:len(s)-1]
		}
	}
	return s
}

// Two elements at a time.
func dropPairs(s []string) []string {
	for i := 0; i < len(s); i++ {
		if s[i] == "-x" {
			s = append(s[:i], s[i+2:]...) // want `deletes s\[i\] inside a loop that then advances i`
		}
	}
	return s
}

// continue goes to i++.
func dropContinue(s []string) (kept int, _ []string) {
	for i := 0; i < len(s); i++ {
		if s[i] == "" {
			s = append(s[:i], s[i+1:]...) // want `deletes s\[i\] inside a loop that then advances i`
			continue
		}
		kept++
	}
	return kept, s
}

// A while-style loop.
func dropWhile(s []string) []string {
	i := 0
	for i < len(s) {
		if s[i] == "" {
			s = append(s[:i], s[i+1:]...) // want `deletes s\[i\] inside a loop that then advances i`
		}
		i++
	}
	return s
}

// Range loops: the length is fixed too.

func dropRange(s []item) []item {
	for i := range s {
		if s[i].dead {
			s = append(s[:i], s[i+1:]...) // want `append\(s\[:i\], s\[i\+1:\]\.\.\.\) deletes s\[i\] while ranging over s: the element shifted into s\[i\] is skipped, and range keeps the original length, so s\[i\] can run past the end`
		}
	}
	return s
}

func dropRangeValue(s []item) []item {
	for i, it := range s {
		if it.dead {
			s = slices.Delete(s, i, i+1) // want `slices\.Delete\(s, i, i\+1\) deletes s\[i\] while ranging over s: the element shifted into s\[i\] is skipped$`
		}
	}
	return s
}

func dropRangeInt(s []item) []item {
	for i := range len(s) {
		if s[i].dead {
			s = append(s[:i], s[i+1:]...) // want `deletes s\[i\] inside a range loop, which then goes on to the next index: the element shifted into s\[i\] is skipped`
		}
	}
	return s
}

// In a range loop, i-- changes only this iteration's copy of i.
func dropRangeDecrement(s []item) []item {
	for i := range s {
		if s[i].dead {
			s = append(s[:i], s[i+1:]...) // want `deletes s\[i\] while ranging over s`
			i--
			_ = i
		}
	}
	return s
}

// Nested loops that remove duplicates.

func dedupe(s []string) []string {
	for i := 0; i < len(s); i++ {
		for j := i + 1; j < len(s); j++ {
			if s[i] == s[j] {
				s = append(s[:j], s[j+1:]...) // want `deletes s\[j\] inside a loop that then advances j`
			}
		}
	}
	return s
}

func dedupeAdjacent(s []string) []string {
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1] {
			s = slices.Delete(s, i, i+1) // want `slices\.Delete\(s, i, i\+1\) deletes s\[i\] inside a loop that then advances i`
		}
	}
	return s
}

// The deletion in an inner loop that breaks back into the outer one.
func dropMatching(s []string, bad []string) []string {
	for i := 0; i < len(s); i++ {
		for _, b := range bad {
			if strings.EqualFold(s[i], b) {
				s = append(s[:i], s[i+1:]...) // want `deletes s\[i\] inside a loop that then advances i`
				break
			}
		}
	}
	return s
}

// A slice held in a struct field.

type Registry struct {
	items []item
}

func (r *Registry) Prune() {
	for i := 0; i < len(r.items); i++ {
		if r.items[i].dead {
			r.items = append(r.items[:i], r.items[i+1:]...) // want `append\(r\.items\[:i\], r\.items\[i\+1:\]\.\.\.\) deletes r\.items\[i\] inside a loop that then advances i`
		}
	}
}

func (r *Registry) PruneRange() {
	for i := range r.items {
		if r.items[i].dead {
			r.items = slices.Delete(r.items, i, i+1) // want `deletes r\.items\[i\] while ranging over r\.items`
		}
	}
}

// A package-level slice.
var handlers []func() bool

func runOnce() {
	for i := 0; i < len(handlers); i++ {
		if handlers[i]() {
			handlers = append(handlers[:i], handlers[i+1:]...) // want `deletes handlers\[i\] inside a loop that then advances i`
		}
	}
}

// Generic code.

func Remove[T comparable](s []T, x T) []T {
	for i := 0; i < len(s); i++ {
		if s[i] == x {
			s = append(s[:i], s[i+1:]...) // want `deletes s\[i\] inside a loop that then advances i`
		}
	}
	return s
}

func RemoveFunc[S ~[]E, E any](s S, drop func(E) bool) S {
	for i := range s {
		if drop(s[i]) {
			s = slices.Delete(s, i, i+1) // want `deletes s\[i\] while ranging over s`
		}
	}
	return s
}

// A value receiver: the loop still walks its copy of the slice.
func (r Registry) Live() []item {
	for i := 0; i < len(r.items); i++ {
		if r.items[i].dead {
			r.items = append(r.items[:i], r.items[i+1:]...) // want `deletes r\.items\[i\] inside a loop that then advances i`
		}
	}
	return r.items
}

// A nested field.
type Server struct {
	reg Registry
}

func (s *Server) Prune() {
	for i := 0; i < len(s.reg.items); i++ {
		if s.reg.items[i].dead {
			s.reg.items = slices.Delete(s.reg.items, i, i+1) // want `deletes s\.reg\.items\[i\] inside a loop that then advances i`
		}
	}
}

// Each slice of a map of slices.
func pruneAll(groups map[string][]item) {
	for name, g := range groups {
		for i := 0; i < len(g); i++ {
			if g[i].dead {
				g = append(g[:i], g[i+1:]...) // want `deletes g\[i\] inside a loop that then advances i`
			}
		}
		groups[name] = g
	}
}
