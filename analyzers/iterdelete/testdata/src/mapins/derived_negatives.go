package mapins

import (
	"path"
	"strings"
)

// Derived keys that do not cascade, or whose new entries fail the guard.

// The derived key goes to another map.
func parentsElsewhere(m map[string]int, parents map[string]int) {
	for k := range m {
		if i := strings.LastIndexByte(k, '/'); i >= 0 {
			parents[k[:i]]++
		}
	}
}

// A guard on the entry that the parent fails: only the top level.
func topLevelParents(m map[string]int) {
	for k := range m {
		if strings.Count(k, "/") == 1 {
			m[path.Dir(k)]++
		}
	}
}

// Only parents already in the map are touched.
func bumpKnownParents(nodes map[string]*node, hits map[string]int) {
	for _, n := range nodes {
		if n.parent == nil {
			continue
		}
		if _, ok := nodes[n.parent.name]; ok {
			nodes[n.parent.name] = n.parent
		}
	}
}

// The current node's own name re-keys it: visiting it writes the same entry.
func rekey(nodes map[string]*node) {
	for k, n := range nodes {
		if k != n.name {
			nodes[n.name] = n
		}
	}
}

// A prefix that is not cut at a separator found in the key.
func truncate(m map[string]int) {
	for k, v := range m {
		if len(k) > 8 {
			m[k[:8]] = v
		}
	}
}

// Keys built from something other than the entry.
func dirsOf(m map[string]int, files []string) {
	for range m {
		for _, f := range files {
			m[path.Dir(f)] = 0
		}
	}
}
