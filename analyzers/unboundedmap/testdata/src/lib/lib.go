// Package lib is the session layer of a web service: its exported
// functions are called by the handlers with request data.
package lib

import (
	"net/http"
	"sync"
)

var scores = map[string]int{}
var scoresMu sync.Mutex

// Score memoizes a computation per word: every distinct word stays.
func Score(word string) int {
	scoresMu.Lock()
	defer scoresMu.Unlock()
	if s, ok := scores[word]; ok {
		return s
	}
	s := len(word) * 7
	scores[word] = s // want `^scores only grows: entries keyed by a parameter of exported Score \(word\) are added here`
	return s
}

var compiled sync.Map

type Matcher struct{ pattern string }

// Compile caches a Matcher per pattern.
func Compile(pattern string) *Matcher {
	if m, ok := compiled.Load(pattern); ok {
		return m.(*Matcher)
	}
	m, _ := compiled.LoadOrStore(pattern, &Matcher{pattern: pattern}) // want `^compiled only grows: entries keyed by a parameter of exported Compile \(pattern\)`
	return m.(*Matcher)
}

// A registry: filled by Register, read elsewhere, duplicates rejected.
// Its callers register a fixed set of names, usually at init.
type Factory func() any

var factories = map[string]Factory{}

func Register(name string, f Factory) {
	if _, dup := factories[name]; dup {
		panic("lib: Register called twice for " + name)
	}
	factories[name] = f
}

func New(name string) any {
	if f := factories[name]; f != nil {
		return f()
	}
	return nil
}

var names sync.Map

// Publish records a name; it returns nothing read from the map.
func Publish(name string, v any) {
	if _, loaded := names.LoadOrStore(name, v); loaded {
		panic("lib: reused name " + name)
	}
}

// Methods of unexported types cannot be called from other packages
// through their type.
type memo struct{}

var quotes = map[string]string{}

func (memo) Quote(s string) string {
	if q, ok := quotes[s]; ok {
		return q
	}
	quotes[s] = "'" + s + "'"
	return quotes[s]
}

// SessionID reads the session cookie, for the handlers.
func SessionID(r *http.Request) string {
	c, err := r.Cookie("session")
	if err != nil {
		return ""
	}
	return c.Value
}
