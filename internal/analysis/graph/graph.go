// Package graph holds the one graph search the checks share: the set of
// nodes reachable from some start nodes (callers of callers, functions a
// function refers to, transitively).
package graph

import "iter"

// Reach returns the nodes reachable from the nodes of from, those included:
// next(n, add) calls add with each node one step from n. Each node is
// expanded once.
func Reach[N comparable](from iter.Seq[N], next func(n N, add func(N))) map[N]bool {
	out := make(map[N]bool)
	var work []N
	add := func(n N) {
		if !out[n] {
			out[n] = true
			work = append(work, n)
		}
	}
	for n := range from {
		add(n)
	}
	for len(work) > 0 {
		n := work[len(work)-1]
		work = work[:len(work)-1]
		next(n, add)
	}
	return out
}
