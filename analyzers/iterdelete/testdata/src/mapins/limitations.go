package mapins

// Known false negatives, documented in doc.go: the check does not report
// these real bugs because it cannot tell them from correct look-alikes.

// A key computed by a function the check cannot see into.
func AddDerived[K comparable, V any](m map[K]V, derive func(K) K) {
	for k, v := range m {
		m[derive(k)] = v
	}
}
