package mapins

import "fmt"

// Renaming keys in place: a renamed entry, if visited, is renamed again.
func addPrefix(m map[string]int, prefix string) {
	for k, v := range m {
		delete(m, k)
		m[prefix+k] = v // want `m\[prefix \+ k\] adds a key to m while ranging over it: the spec leaves unspecified whether the loop visits the new entry, and visiting it adds another, so the result can change from run to run`
	}
}

func addSuffix(m map[string][]byte) {
	for k, v := range m {
		m[k+".bak"] = v // want `m\[k \+ "\.bak"\] adds a key to m while ranging over it`
	}
}

// Counting into the next key.
func bumpNext(m map[int]int) {
	for k := range m {
		m[k+1]++ // want `m\[k \+ 1\] adds a key to m while ranging over it`
	}
}

// A key known to be missing.
func addMissing(m map[int]bool) {
	for k := range m {
		if _, ok := m[k+100]; !ok {
			m[k+100] = true // want `m\[k \+ 100\] adds a key to m while ranging over it`
		}
	}
}

// A map held in a struct field.
type Index struct {
	byName map[string][]int
}

func (x *Index) addPlural() {
	for name, ids := range x.byName {
		x.byName[name+"s"] = ids // want `x\.byName\[name \+ "s"\] adds a key to x\.byName while ranging over it`
	}
}

// A package-level map.
var registry = map[string]func(){}

func registerAliases() {
	for name, f := range registry {
		registry[name+"_alias"] = f // want `registry\[name \+ "_alias"\] adds a key to registry while ranging over it`
	}
}

// A composite key built from the current key.
type key struct {
	name string
	gen  int
}

func nextGeneration(m map[key]string) {
	for k, v := range m {
		m[key{k.name, k.gen + 1}] = v // want `m\[key\{k\.name, k\.gen \+ 1\}\] adds a key to m while ranging over it`
	}
}

// A key from a counter the loop carries.
func number(m map[int]string) {
	n := len(m)
	for _, v := range m {
		m[n] = v // want `m\[n\] adds a key to m while ranging over it`
		n++
	}
}

// A condition that does not depend on the entry does not stop the cascade.
func copyAll(m map[string]string, enabled bool) {
	for k, v := range m {
		if enabled {
			fmt.Println("copying", k)
			m["copy of "+k] = v // want `m\["copy of " \+ k\] adds a key to m while ranging over it`
		}
	}
}

// Generic code.
func Tag[V any](m map[string]V, tag string) {
	for k, v := range m {
		m[k+"@"+tag] = v // want `m\[k \+ "@" \+ tag\] adds a key to m while ranging over it`
	}
}

func Shift[K ~int | ~int64, V any](m map[K]V) {
	for k, v := range m {
		m[k+10] = v // want `m\[k \+ 10\] adds a key to m while ranging over it`
	}
}

// A value receiver and a nested field.
func (x Index) addPluralValue() {
	for name, ids := range x.byName {
		x.byName[name+"s"] = ids // want `x\.byName\[name \+ "s"\] adds a key to x\.byName while ranging over it`
	}
}

type catalog struct {
	index Index
}

func (c *catalog) addPlural() {
	for name, ids := range c.index.byName {
		c.index.byName[name+"s"] = ids // want `c\.index\.byName\[name \+ "s"\] adds a key to c\.index\.byName while ranging over it`
	}
}
