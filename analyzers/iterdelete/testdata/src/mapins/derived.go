package mapins

import (
	"path"
	"path/filepath"
	"strings"
)

// Keys derived from the current entry by a step that applies again to the
// new entry: whether the loop visits the new entry decides whether the next
// one is added.

// The parent of a path-like key, guarded only by the step applying.
func countParents(m map[string]int) {
	for k := range m {
		if i := strings.LastIndexByte(k, '/'); i >= 0 {
			m[k[:i]] += 1 // want `m\[k\[:i\]\] adds a key to m while ranging over it`
		}
	}
}

func domainAliases(m map[string]string) {
	for host, addr := range m {
		if i := strings.Index(host, "."); i > 0 {
			m[host[i+1:]] = addr // want `m\[host\[i\+1:\]\] adds a key to m while ranging over it`
		}
	}
}

func dirSizes(sizes map[string]int64) {
	for p, n := range sizes {
		sizes[path.Dir(p)] += n // want `sizes\[path\.Dir\(p\)\] adds a key to sizes while ranging over it`
	}
}

func dirSizesGuarded(sizes map[string]int64) {
	for p, n := range sizes {
		if d := filepath.Dir(p); d != "." {
			sizes[d] += n // want `sizes\[d\] adds a key to sizes while ranging over it`
		}
	}
}

// A key read from the node the current value points to (a graph walk).
type node struct {
	name   string
	parent *node
}

func addParents(nodes map[string]*node) {
	for _, n := range nodes {
		if n.parent != nil {
			nodes[n.parent.name] = n.parent // want `nodes\[n\.parent\.name\] adds a key to nodes while ranging over it`
		}
	}
}
