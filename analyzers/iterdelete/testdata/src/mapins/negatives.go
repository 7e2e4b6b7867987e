package mapins

import (
	"strings"
	"sync"
)

// Overwriting the current key.
func double(m map[string]int) {
	for k, v := range m {
		m[k] = v * 2
	}
}

func increment(m map[string]int) {
	for k := range m {
		m[k]++
	}
}

// Deleting during range is defined by the spec.
func prune(m map[string]int) {
	for k, v := range m {
		if v == 0 {
			delete(m, k)
		}
	}
}

// Building another map.
func invert(m map[string]int) map[int]string {
	out := make(map[int]string, len(m))
	for k, v := range m {
		out[v] = k
	}
	return out
}

func copyInto(dst, src map[string]int) {
	for k, v := range src {
		dst[k+"x"] = v
	}
}

// Two fields of one struct are two maps.
type pair struct {
	a, b map[string]int
}

func (p *pair) merge() {
	for k, v := range p.a {
		p.b[k] = v
	}
}

// The key of an enclosing range over the same map is in the map.
func combine(m map[string]int) {
	for k1 := range m {
		for k2 := range m {
			if k1 < k2 {
				m[k1] += m[k2]
				m[k2] = 0
			}
		}
	}
}

// The key just found in the map.
func updateExisting(m map[string]int, other string) {
	for k := range m {
		if _, ok := m[other]; ok && k != other {
			m[other]++
		}
	}
}

func updateFound(m map[string]*int, other string) {
	for range m {
		if v, ok := m[other]; ok {
			n := *v + 1
			m[other] = &n
		}
	}
}

func updateNonNil(m map[string]*int, other string) {
	for range m {
		if m[other] != nil {
			m[other] = nil
		}
	}
}

func updateTrue(m map[string]bool, other string) {
	for range m {
		if m[other] {
			m[other] = false
		}
	}
}

// The insertion followed by leaving the loop.
func addOnce(m map[string]int, key string) {
	for k := range m {
		if k == key {
			m[key+"'"] = 1
			break
		}
	}
}

func addAndReturn(m map[string]int) bool {
	for k, v := range m {
		if v < 0 {
			m[k+"-neg"] = -v
			return true
		}
	}
	return false
}

// Inserting after the loop.
func addAfter(m map[string]int) {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	for _, k := range keys {
		m[k+"x"] = 1
	}
}

// A map replaced inside the loop: the insertion goes to the new map.
type store struct {
	m map[string]int
}

func (s *store) rotate() {
	for k, v := range s.m {
		s.m = map[string]int{}
		s.m[k+"x"] = v
	}
}

// Maps inside the ranged map are other maps.
func nested(m map[string]map[string]int) {
	for k, inner := range m {
		inner[k+"x"] = 1
	}
}

// sync.Map allows Store and Delete during Range.
func syncMap(m *sync.Map) {
	m.Range(func(k, v any) bool {
		m.Delete(k)
		m.Store(k, v)
		return true
	})
}

// Ranging over a slice of keys.
func fromKeys(m map[string]int, keys []string) {
	for _, k := range keys {
		m[k+"x"] = m[k]
	}
}

// A key that is the same in every iteration adds at most one entry: code
// like this (the runtime's map tests) grows the map on purpose and ignores
// the entries it adds.
func growOnce(m map[int]int) (sum int) {
	grown := false
	for k, v := range m {
		if !grown {
			for i := 100; i < 200; i++ {
				m[i] = 0
			}
			grown = true
		}
		if k < 100 {
			sum += v
		}
	}
	return sum
}

func setDefault(m map[string]int, name string) {
	for k := range m {
		if k == "" {
			m[name] = 1
		}
	}
}

// Idempotent normalizations: visiting the new entry writes the same key.
func lowerKeys(m map[string]int) {
	for k, v := range m {
		m[strings.ToLower(k)] = v
	}
}

func insensitivise(m map[string]any) {
	for key, val := range m {
		lower := strings.ToLower(key)
		if key != lower {
			delete(m, key)
		}
		m[lower] = val
	}
}

type flagSet struct {
	formal    map[string]*flagDef
	normalize func(string) string
}

type flagDef struct{ name string }

func (f *flagSet) renormalize() {
	for name, fl := range f.formal {
		nname := f.normalize(fl.name)
		if name == nname {
			continue
		}
		fl.name = nname
		delete(f.formal, name)
		f.formal[nname] = fl
	}
}

// Expanding keys that the expansion does not produce again.
func expand(m map[string]string, expansions map[string][]string) {
	for k, v := range m {
		exp, ok := expansions[k]
		if !ok {
			continue
		}
		for _, x := range exp {
			m[x] = v
		}
		delete(m, k)
	}
}

// A guard on the current key that the new key fails.
func addAliases(m map[string]int) {
	for k, v := range m {
		if !strings.HasSuffix(k, "_alias") {
			m[k+"_alias"] = v
		}
	}
}

// A key that does not grow: slicing, multiplying, a lookup.
func halve(m map[int]int) {
	for k := range m {
		m[k/2] = 0
	}
}
