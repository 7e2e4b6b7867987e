package libneg // want package:"analyzed"

// Package libneg is a library whose maps are correct.

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"time"
)

func readJSON(path string) map[string]string {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var m map[string]string
	_ = json.Unmarshal(data, &m)
	return m
}

// cache: saved by an exported function, which its users may call from
// anywhere.
var cache sync.Map

func init() {
	for k, v := range readJSON("cache.json") {
		cache.Store(k, v)
	}
}

// Put caches v.
func Put(k, v string) { cache.Store(k, v) }

// Flush writes the cache to disk.
func Flush() error { // want Flush:"storage\\(writes\\)"
	out := make(map[string]string)
	cache.Range(func(k, v any) bool {
		out[k.(string)] = v.(string)
		return true
	})
	data, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return os.WriteFile("cache.json", data, 0o644)
}

// types: reference data loaded once, with an API to extend it in memory,
// like mime.AddExtensionType. Nothing in the package writes it anywhere,
// and only its users change it: not lost state.
var types sync.Map
var typesOnce sync.Once

func loadTypes() {
	f, err := os.Open("types.txt")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if ext, typ, ok := strings.Cut(sc.Text(), " "); ok {
			types.Store(ext, typ)
		}
	}
}

// TypeOf returns the type registered for ext.
func TypeOf(ext string) string {
	typesOnce.Do(loadTypes)
	v, _ := types.Load(ext)
	s, _ := v.(string)
	return s
}

// AddType registers a type.
func AddType(ext, typ string) {
	typesOnce.Do(loadTypes)
	types.Store(ext, typ)
}

// Shared is exported: other packages may save it.
var Shared sync.Map

func init() {
	for k, v := range readJSON("shared.json") {
		Shared.Store(k, v)
	}
}

// Share changes it.
func Share(k, v string) { Shared.Store(k, v) }

// handed: its address leaves the package.
var handed sync.Map

func init() {
	for k, v := range readJSON("handed.json") {
		handed.Store(k, v)
	}
}

// Handed returns the map: callers may save it.
func Handed() *sync.Map { return &handed }

// Hand changes it.
func Hand(k, v string) { handed.Store(k, v) }

// registry: a value with exported methods, loaded by init and changed
// only through that API, never written anywhere: reference data.
type Registry struct{ byName sync.Map }

var registry = &Registry{}

func init() {
	for k, v := range readJSON("registry.json") {
		registry.byName.Store(k, v)
	}
}

// Register adds an entry.
func (r *Registry) Register(k, v string) { r.byName.Store(k, v) } // want Register:`storage\(store p0.0 key=p1 val=p2\)`

// Register adds an entry to the default registry.
func Register(k, v string) { registry.Register(k, v) }

// leases: only a janitor goroutine changes them, and nothing in the package
// ever writes them anywhere: expired leases are meant to go, in memory.
var leases sync.Map

func init() {
	f, err := os.Open("leases.txt")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if id, until, ok := strings.Cut(sc.Text(), " "); ok {
			leases.Store(id, until)
		}
	}
}

// Start runs the janitor.
func Start() {
	go func() {
		for range time.Tick(time.Minute) {
			leases.Range(func(k, v any) bool {
				if t, err := time.Parse(time.RFC3339, v.(string)); err == nil && t.Before(time.Now()) {
					leases.Delete(k)
				}
				return true
			})
		}
	}()
}
