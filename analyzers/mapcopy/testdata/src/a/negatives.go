package a

import (
	"encoding/json"
	"fmt"
	"maps"
	"sort"
)

// Pointer receivers and pointer parameters.

func (c *Config) ResetPtr() { c.Tags = nil }

func (c *Counter) AddPtr(k string) {
	if c.counts == nil {
		c.counts = make(map[string]int)
	}
	c.counts[k]++
}

func clearPtr(c *Config) { c.Tags = map[string]string{} }

// Writes through an index.

func resetIndexed(cs []Config) {
	for i := range cs {
		cs[i].Tags = nil
	}
}

func resetPtrs(cs []*Config) {
	for _, c := range cs {
		c.Tags = nil
	}
}

// Copies that are returned, stored, sent, appended, passed on or written back.

func (c Config) Cleared() Config {
	c.Tags = nil
	return c
}

func (c Config) ClearedPtr() *Config {
	c.Tags = nil
	return &c
}

var saved Config

func (c Config) Save() {
	c.Tags = nil
	saved = c
}

func send(ch chan<- Config, c Config) {
	c.Tags = map[string]string{}
	ch <- c
}

func collect(cs []Config) []Config {
	var out []Config
	for _, c := range cs {
		c.Tags = nil
		out = append(out, c)
	}
	return out
}

func writeBack(m map[string]Config, k string) {
	c := m[k]
	c.Tags = map[string]string{}
	m[k] = c
}

func printed(c Config) {
	c.Tags = nil
	fmt.Println(c)
}

func decoded(data []byte) Config {
	var c Config
	c.Tags = nil
	_ = json.Unmarshal(data, &c)
	return c
}

func unmarshalInto(c Config, data []byte) error {
	c.Tags = map[string]string{}
	return json.Unmarshal(data, &c)
}

func captured(c Config) func() int {
	c.Tags = map[string]string{}
	return func() int { return len(c.Tags) }
}

func (c *Config) save() { saved = *c }

func (c Config) ResetAndSave() {
	c.Tags = nil
	c.save()
}

// The new map is handed out or used here.

func (c Config) tags() map[string]string {
	if c.Tags == nil {
		c.Tags = map[string]string{}
	}
	return c.Tags
}

func count(c Config, keep func(string) bool) int {
	c.Tags = maps.Clone(c.Tags)
	maps.DeleteFunc(c.Tags, func(k, _ string) bool { return !keep(k) })
	return len(c.Tags)
}

func scratch(c Config, keys []string) int {
	c.Tags = map[string]string{}
	n := 0
	for _, k := range keys {
		if _, dup := c.Tags[k]; dup {
			continue
		}
		c.Tags[k] = ""
		n++
	}
	return n
}

// Maps replaced before the write, or never written.

func (c Config) WithTagCloned(k, v string) Config {
	c.Tags = maps.Clone(c.Tags)
	c.Tags[k] = v
	return c
}

func (c Config) WithTagCopied(k, v string) Config {
	tags := make(map[string]string, len(c.Tags)+1)
	for k, v := range c.Tags {
		tags[k] = v
	}
	c.Tags = tags
	c.Tags[k] = v
	return c
}

func (c Config) Get(k string) string { return c.Tags[k] }

func (c Config) String() string { return fmt.Sprint(c.Name, len(c.Tags)) }

// A registry that all copies share on purpose: the map is never assigned.

type Handlers struct {
	byName map[string]func()
}

func NewHandlers() Handlers { return Handlers{byName: map[string]func(){}} }

func (r Handlers) Register(name string, h func()) { r.byName[name] = h }

func (r Handlers) Unregister(name string) { delete(r.byName, name) }

// Writes into the shared map without returning the copy.

func (c Config) Tag(k, v string) { c.Tags[k] = v }

// Builders without maps.

type Builder struct {
	Name string
	N    int
}

func (b Builder) WithName(n string) Builder {
	b.Name = n
	return b
}

// Overwritten before any use: a plain dead store, not a lost copy.

func (c Config) Twice(a, b map[string]string) Config {
	c.Tags = a
	c.Tags = b
	return c
}

// Non-map fields belong to lostwrite.

func (b Builder) bump() { b.N++ }

// Values that are not copies.

func fresh() {
	var c Config
	c.Tags = map[string]string{}
}

func literal() {
	c := Config{Name: "x"}
	c.Tags = nil
}

func fromCall(get func() Config) {
	c := get()
	c.Tags = nil
}

// A loop that goes on using the copy.

func firstTagged(cs []Config) Config {
	var last Config
	for _, c := range cs {
		if c.Tags == nil {
			c.Tags = map[string]string{}
		}
		last = c
	}
	return last
}

// The swapped-out map of a pointer receiver.

func (s *Stats) Swap() map[string]int {
	old := s.current
	s.current = make(map[string]int)
	return old
}

// Dropping a reference once done with it: pointless on a copy, but nothing
// is lost.

func drain(c Config, out map[string]string) {
	for k, v := range c.Tags {
		out[k] = v
	}
	c.Tags = nil
}

// A closure that reads the new map after the assignment keeps it.
func (c Config) RetagThenSort(names []string) {
	c.Tags = map[string]string{}
	sort.Slice(names, func(i, j int) bool { return c.Tags[names[i]] < c.Tags[names[j]] })
}
