package mapins

import "strings"

// A derived key: whether the loop sees the new entry varies from run to run.
func addLower(m map[string]int) {
	for k, v := range m {
		m[strings.ToLower(k)] = v // want `m\[strings\.ToLower\(k\)\] may add a key to m while ranging over it: the spec leaves unspecified whether the loop visits an entry added during iteration, so the result can change from run to run`
	}
}

// Counting parents into the ranged map.
func countParents(m map[string]int) {
	for k := range m {
		if i := strings.LastIndexByte(k, '/'); i >= 0 {
			m[k[:i]] += 1 // want `m\[k\[:i\]\] may add a key to m while ranging over it`
		}
	}
}

func bumpIncDec(m map[int]int) {
	for k := range m {
		m[k+1]++ // want `m\[k \+ 1\] may add a key to m while ranging over it`
	}
}

// A key known to be missing.
func addMissing(m map[int]bool) {
	for k := range m {
		if _, ok := m[k*2]; !ok {
			m[k*2] = true // want `m\[k \* 2\] may add a key to m while ranging over it`
		}
	}
}

// Renaming keys: delete the old one, add the new one.
func rename(m map[string]string, prefix string) {
	for k, v := range m {
		delete(m, k)
		m[prefix+k] = v // want `m\[prefix \+ k\] may add a key to m while ranging over it`
	}
}

// A map held in a struct field.
type Index struct {
	byName map[string][]int
}

func (x *Index) addUpper() {
	for name, ids := range x.byName {
		x.byName[strings.ToUpper(name)] = ids // want `x\.byName\[strings\.ToUpper\(name\)\] may add a key to x\.byName while ranging over it`
	}
}

// A key from the current value.
type node struct {
	name   string
	parent *node
}

func addParents(nodes map[string]*node) {
	for _, n := range nodes {
		if n.parent != nil {
			nodes[n.parent.name] = n.parent // want `nodes\[n\.parent\.name\] may add a key to nodes while ranging over it`
		}
	}
}

// A composite key built from the current key.
type key struct {
	name string
	gen  int
}

func nextGeneration(m map[key]string) {
	for k, v := range m {
		m[key{k.name, k.gen + 1}] = v // want `m\[key\{k\.name, k\.gen \+ 1\}\] may add a key to m while ranging over it`
	}
}

// A key from a counter the loop carries.
func number(m map[int]string) {
	n := len(m)
	for _, v := range m {
		m[n] = v // want `m\[n\] may add a key to m while ranging over it`
		n++
	}
}

// A package-level map.
var registry = map[string]func(){}

func registerAliases() {
	for name, f := range registry {
		registry[name+"_alias"] = f // want `registry\[name \+ "_alias"\] may add a key to registry while ranging over it`
	}
}

// An insertion in a nested loop.
func closure(edges map[int][]int) {
	for from, tos := range edges {
		for _, to := range tos {
			if _, ok := edges[to]; !ok {
				edges[to] = []int{from} // want `edges\[to\] may add a key to edges while ranging over it`
			}
		}
	}
}

// Generic code.
func AddDefaults[K comparable, V any](m map[K]V, defaults map[K]V, key func(K) K) {
	for k, v := range m {
		m[key(k)] = v // want `m\[key\(k\)\] may add a key to m while ranging over it`
	}
}
