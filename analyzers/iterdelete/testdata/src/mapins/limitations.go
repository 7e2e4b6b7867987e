package mapins

import "strings"

// Known false negatives, documented in doc.go: the check does not report
// these real bugs because it cannot tell them from correct look-alikes.

// A guard that depends on the current key: here the new key passes it too.
func countParents(m map[string]int) {
	for k := range m {
		if i := strings.LastIndexByte(k, '/'); i >= 0 {
			m[k[:i]] += 1
		}
	}
}

// A key read from the current value (a graph walk).
type node struct {
	name   string
	parent *node
}

func addParents(nodes map[string]*node) {
	for _, n := range nodes {
		if n.parent != nil {
			nodes[n.parent.name] = n.parent
		}
	}
}

// A key computed by a function the check cannot see into.
func AddDerived[K comparable, V any](m map[K]V, derive func(K) K) {
	for k, v := range m {
		m[derive(k)] = v
	}
}
