package a

import (
	"maps"
	"sort"
	"sync"
)

type Config struct {
	Name string
	Tags map[string]string
}

// The assignment is lost.

func (c Config) Reset() {
	c.Tags = nil // want `c.Tags = nil assigns to a copy \(value receiver c Config\): the caller's Tags is unchanged`
}

type Counter struct {
	counts map[string]int
}

func (c Counter) Add(k string) {
	if c.counts == nil {
		c.counts = make(map[string]int) // want `c.counts = make\(map\[string\]int\) assigns to a copy \(value receiver c Counter\): the caller's counts stays nil, and what is written into the new map is lost`
	}
	c.counts[k]++
}

type Registry struct {
	byName map[string]func()
}

func (r Registry) Register(name string, h func()) {
	if r.byName == nil {
		r.byName = map[string]func(){} // want `r.byName = map\[string\]func\(\)\{\} assigns to a copy \(value receiver r Registry\): the caller's byName stays nil`
	}
	r.byName[name] = h
	delete(r.byName, "")
}

func (c Config) Retag(keep func(string) bool) {
	filtered := make(map[string]string)
	for k, v := range c.Tags {
		if keep(k) {
			filtered[k] = v
		}
	}
	c.Tags = filtered // want `c.Tags = filtered assigns to a copy \(value receiver c Config\): the caller's Tags is unchanged`
}

type Stats struct {
	current map[string]int
}

func (s Stats) Rotate() map[string]int {
	old := s.current
	s.current = make(map[string]int) // want `s.current = make\(map\[string\]int\) assigns to a copy \(value receiver s Stats\): the caller's current still holds the map returned as the old one, and goes on writing into it`
	return old
}

func clearTags(c Config) {
	c.Tags = map[string]string{} // want `c.Tags = map\[string\]string\{\} assigns to a copy \(parameter c Config\): the caller's Tags is unchanged`
}

func resetAll(cs []Config) {
	for _, c := range cs {
		c.Tags = nil // want `c.Tags = nil assigns to a copy \(range value c\): cs\[i\].Tags is unchanged`
	}
}

func resetByName(byName map[string]Config) {
	for name, c := range byName {
		c.Tags = nil // want `c.Tags = nil assigns to a copy \(range value c\): byName\[name\].Tags is unchanged`
		_ = name
	}
}

func resetOne(m map[string]Config, k string) {
	c := m[k]
	c.Tags = nil // want `c.Tags = nil assigns to a copy \(c, a copy of m\[k\]\): m\[k\].Tags is unchanged`
}

func initOne(m map[string]Config, k, v string) {
	c, ok := m[k]
	if !ok {
		return
	}
	if c.Tags == nil {
		c.Tags = map[string]string{} // want `c.Tags = map\[string\]string\{\} assigns to a copy \(c, a copy of m\[k\]\): m\[k\].Tags stays nil, and what is written into the new map is lost`
	}
	c.Tags[k] = v
}

func resetPointee(p *Config) {
	c := *p
	c.Tags = nil // want `c.Tags = nil assigns to a copy \(c, a copy of \*p\): p.Tags is unchanged`
}

func resetStored(m *sync.Map, k string) {
	v, _ := m.Load(k)
	c := v.(Config)
	c.Tags = nil // want `c.Tags = nil assigns to a copy \(c, a copy of the value loaded from m\): the value stored in m is unchanged`
}

// Nested fields.

type Server struct {
	Addr string
	cfg  Config
}

func (s Server) retag() {
	s.cfg.Tags = map[string]string{"env": "prod"} // want `s.cfg.Tags = map\[string\]string\{…\} assigns to a copy \(value receiver s Server\): the caller's cfg.Tags is unchanged`
}

// Generic code.

type Index[K comparable] struct {
	byKey map[K]int
}

func (ix Index[K]) Put(k K, v int) {
	if ix.byKey == nil {
		ix.byKey = map[K]int{} // want `ix.byKey = map\[K\]int\{\} assigns to a copy \(value receiver ix Index\[K\]\): the caller's byKey stays nil`
	}
	ix.byKey[k] = v
}

// The mutation leaks.

func (c Config) WithTag(k, v string) Config {
	c.Tags[k] = v // want `c.Tags\[k\] = v writes into the map that the returned copy shares with the caller \(value receiver c Config\): the caller's Tags changes too \(clone it first: c.Tags = maps.Clone\(c.Tags\)\)`
	return c
}

func withoutTag(c Config, k string) Config {
	delete(c.Tags, k) // want `delete\(c.Tags, k\) writes into the map that the returned copy shares with the caller \(parameter c Config\)`
	return c
}

func (c Config) WithTags(tags map[string]string) (Config, error) {
	maps.Copy(c.Tags, tags) // want `maps.Copy\(c.Tags, tags\) writes into the map that the returned copy shares`
	return c, nil
}

func (c Config) WithTagMaybeCloned(k, v string, clone bool) Config {
	if clone {
		c.Tags = maps.Clone(c.Tags)
	}
	c.Tags[k] = v // want `c.Tags\[k\] = v writes into the map that the returned copy shares`
	return c
}

func (c Config) WithTagLazy(k, v string) Config {
	if c.Tags == nil {
		c.Tags = map[string]string{}
	}
	c.Tags[k] = v // want `c.Tags\[k\] = v writes into the map that the returned copy shares`
	return c
}

func (s Server) WithEnv(env string) Server {
	s.cfg.Tags["env"] = env // want `s.cfg.Tags\["env"\] = env writes into the map that the returned copy shares with the caller \(value receiver s Server\): the caller's cfg.Tags changes too`
	return s
}

// A closure that reads the copy while a call runs does not keep it.
func (c Config) RetagSorted(names []string) {
	sort.Slice(names, func(i, j int) bool { return c.Tags[names[i]] < c.Tags[names[j]] })
	c.Tags = nil // want `c.Tags = nil assigns to a copy \(value receiver c Config\): the caller's Tags is unchanged`
}
