package a

import (
	"fmt"
	"sync"
	"time"
)

type entry struct {
	value   string
	expires time.Time
}

func (e *entry) expired() bool { return time.Now().After(e.expires) }

var (
	seen  sync.Map // id -> time first seen
	cache sync.Map // key -> *entry
	hits  sync.Map // key -> int
)

func process(string) {}

// Lost inserts: the Store runs only when Load found nothing.

func firstSeen(id string) {
	if _, ok := seen.Load(id); !ok {
		seen.Store(id, time.Now()) // want `lost insert: this Store runs when Load found no entry, but another goroutine can store the key in between, and this Store overwrites its value; use LoadOrStore`
		process(id)
	}
}

// The entry is built from the key, but this goroutine goes on filling in
// its own copy, which may not be the one in the map.
func create(key string, ttl time.Duration) *entry {
	if v, ok := cache.Load(key); ok {
		return v.(*entry)
	}
	e := &entry{value: key}
	cache.Store(key, e) // want `lost insert`
	e.expires = time.Now().Add(ttl)
	return e
}

type counter struct{ n int }

func (c *counter) add(d int) { c.n += d }

var counters sync.Map // name -> *counter

// An empty container: whose copy wins matters.
func count(name string, d int) {
	v, ok := counters.Load(name)
	if !ok {
		v = &counter{}
		counters.Store(name, v) // want `lost insert`
	}
	v.(*counter).add(d)
}

func channel(id string) chan string {
	ch := make(chan string, 1)
	if _, ok := pending.Load(id); !ok {
		pending.Store(id, ch) // want `lost insert`
	}
	return ch
}

// A constant value, but the branch does work meant to happen once.
func dedupe(id string) {
	if _, ok := seen.Load(id); !ok {
		seen.Store(id, true) // want `lost insert`
		process(id)
	}
}

func startOnce(id string, work func()) {
	if _, ok := seen.Load(id); !ok {
		seen.Store(id, true) // want `lost insert`
		go work()
	}
}

func nilTest(key string) {
	v, _ := cache.Load(key)
	if v == nil {
		cache.Store(key, &entry{}) // want `lost insert`
	}
}

func okFalse(key string) {
	_, ok := cache.Load(key)
	if ok == false {
		cache.Store(key, &entry{}) // want `lost insert`
	}
}

func commaOKAssertion(key string) *entry {
	v, _ := cache.Load(key)
	e, ok := v.(*entry)
	if !ok {
		e = &entry{}
		cache.Store(key, e) // want `lost insert`
	}
	return e
}

func constantKey() {
	if _, ok := cache.Load("config"); !ok {
		cache.Store("config", &entry{}) // want `lost insert`
	}
}

func computedKey(prefix, id string) {
	if _, ok := cache.Load(prefix + id); !ok {
		cache.Store(prefix+id, &entry{}) // want `lost insert`
	}
}

func inLoop(ids []string) {
	for _, id := range ids {
		if _, ok := seen.Load(id); !ok {
			seen.Store(id, &entry{}) // want `lost insert`
		}
	}
}

type Registry struct {
	mu    sync.Mutex
	byID  sync.Map
	names struct{ m sync.Map }
	sync.Map
}

func (r *Registry) field(id string, e *entry) {
	if _, ok := r.byID.Load(id); !ok {
		r.byID.Store(id, e) // want `lost insert`
	}
}

func (r *Registry) nested(id string, e *entry) {
	if _, ok := r.names.m.Load(id); !ok {
		r.names.m.Store(id, e) // want `lost insert`
	}
}

func (r *Registry) embedded(id string, e *entry) {
	if _, ok := r.Load(id); !ok {
		r.Store(id, e) // want `lost insert`
	}
}

func param(m *sync.Map, id string) {
	if _, ok := m.Load(id); !ok {
		m.Store(id, new(entry)) // want `lost insert`
	}
}

// Generic code.
func Ensure[V any](m *sync.Map, key string, v V) {
	if _, ok := m.Load(key); !ok {
		m.Store(key, v) // want `lost insert`
	}
}

// Captured variables: each use loads them again.
func captured(key string) func() {
	return func() {
		if _, ok := cache.Load(key); !ok {
			cache.Store(key, &entry{}) // want `lost insert`
		}
	}
}

// Lost updates: the Store is decided by the value read.

func refresh(key string, fresh *entry) {
	if v, ok := cache.Load(key); ok && v.(*entry).expired() {
		cache.Store(key, fresh) // want `lost update: this Store is decided by the value Load returned, but another goroutine can change the entry in between, and this Store overwrites its change; use CompareAndSwap\(key, old, new\)`
	}
}

type Session struct {
	ID   string
	Data map[string]string
}

var sessions sync.Map // id -> *Session

// The new value carries more than the key: the caller's data.
func renew(id string, data map[string]string) {
	if v, ok := sessions.Load(id); ok && len(v.(*Session).Data) == 0 {
		sessions.Store(id, &Session{ID: id, Data: data}) // want `lost update: this Store is decided by the value Load returned`
	}
}

func refreshOrInsert(key string, fresh *entry) {
	if v, ok := cache.Load(key); !ok || v.(*entry).expired() {
		cache.Store(key, fresh) // want `lost update: this Store is decided by the value Load returned`
	}
}

// Lost updates: the Store writes a value computed from the value read.

func increment(key string) {
	n, _ := hits.Load(key)
	c, _ := n.(int)
	hits.Store(key, c+1) // want `lost update: this Store writes a value computed from the one Load returned, but another goroutine can change the entry in between, and its change is overwritten; retry with CompareAndSwap\(key, old, new\) in a loop`
}

func appendTo(m *sync.Map, key, item string) {
	v, _ := m.Load(key)
	list, _ := v.([]string)
	m.Store(key, append(list, item)) // want `lost update: this Store writes a value computed`
}

func copyModify(key string) {
	if v, ok := cache.Load(key); ok {
		e := *v.(*entry)
		e.expires = time.Now().Add(time.Hour)
		cache.Store(key, &e) // want `lost update: this Store writes a value computed`
	}
}

func afterLoadOrStore(key string) {
	v, loaded := hits.LoadOrStore(key, 1)
	if loaded {
		hits.Store(key, v.(int)+1) // want `lost update: this Store writes a value computed from the one LoadOrStore returned`
	}
}

// Lost renewals: the Delete is decided by the value read.

func evict(key string) {
	if v, ok := cache.Load(key); ok && v.(*entry).expired() {
		cache.Delete(key) // want `lost renewal: this Delete is decided by the value Load returned, but another goroutine can store a fresh value in between, and this Delete removes it; use CompareAndDelete\(key, old\)`
	}
}

func evictEarlyReturn(key string) {
	v, ok := cache.Load(key)
	if !ok {
		return
	}
	if !v.(*entry).expired() {
		return
	}
	cache.Delete(key) // want `lost renewal`
}

func evictByValue(key, stale string) {
	if v, ok := cache.Load(key); ok && v.(*entry).value == stale {
		cache.Delete(key) // want `lost renewal`
	}
}

// Double takes: the Delete runs when the entry was there, and the value is
// then used as if this goroutine alone had taken it.

var pending sync.Map // request id -> chan string

func deliver(id, result string) {
	if ch, ok := pending.Load(id); ok {
		pending.Delete(id) // want `double take: this Delete runs when Load found the entry, but another goroutine can load it too before either deletes it, and both go on to use it; use LoadAndDelete \(or CompareAndDelete\(key, old\), whose result says who removed it\)`
		ch.(chan string) <- result
	}
}

func cancel(id string) {
	v, ok := pending.Load(id)
	if !ok {
		return
	}
	close(v.(chan string)) // two goroutines: the second close panics
	pending.Delete(id)     // want `double take`
}

func deliverIf(id, result string, current bool) {
	if ch, ok := pending.Load(id); ok && current {
		pending.Delete(id) // want `double take`
		ch.(chan string) <- result
	}
}

func unregister(id string) {
	if _, ok := seen.Load(id); ok {
		seen.Delete(id) // want `double take`
		process(id)
	}
}

// Locks that do not cover both calls.

func (r *Registry) unlockedBetween(id string, e *entry) {
	r.mu.Lock()
	_, ok := r.byID.Load(id)
	r.mu.Unlock()
	if !ok {
		r.byID.Store(id, e) // want `lost insert`
	}
}

func (r *Registry) lockedAfter(id string, e *entry) {
	_, ok := r.byID.Load(id)
	r.mu.Lock()
	defer r.mu.Unlock()
	if !ok {
		r.byID.Store(id, e) // want `lost insert`
	}
}

var rw sync.RWMutex

func underReadLock(id string) {
	rw.RLock()
	defer rw.RUnlock()
	if _, ok := seen.Load(id); !ok {
		seen.Store(id, time.Now()) // want `lost insert`
	}
}

func (r *Registry) goroutine(id string, e *entry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	go func() {
		if _, ok := r.byID.Load(id); !ok {
			r.byID.Store(id, e) // want `lost insert`
		}
	}()
}

// A call without arguments that returns a value, not a function, is this
// goroutine's own: each caller stores a different token.
func newToken() string { return time.Now().Format(time.RFC3339Nano) }

var tokens sync.Map // user -> token

func tokenFor(user string) string {
	if v, ok := tokens.Load(user); ok {
		return v.(string)
	}
	tok := user + ":" + newToken()
	tokens.Store(user, tok) // want `lost insert`
	return tok
}

// A duplicate answered with an error, not a panic: two concurrent sign-ups
// of one name both succeed, and one account is lost.
var accounts sync.Map // name -> *entry

func signUp(name string, e *entry) error {
	if _, ok := accounts.Load(name); ok {
		return fmt.Errorf("name %q is taken", name)
	}
	accounts.Store(name, e) // want `lost insert`
	return nil
}

// The value read is kept on one path: the Store can write back a value
// computed from it.
var totals sync.Map // key -> int

func addTotal(key string, delta int, reset bool) {
	v, _ := totals.Load(key)
	n, _ := v.(int)
	if reset {
		n = 0
	}
	walkFiles(key, func(string) bool {
		n += delta
		return true
	})
	totals.Store(key, n) // want `lost update`
}

// A key built as a struct does not make a caller's value part of it.
type versionKey struct{ name, version string }

var releases sync.Map // versionKey -> *entry

func publish(name, version string, e *entry) {
	k := versionKey{name, version}
	if _, ok := releases.Load(k); !ok {
		releases.Store(k, e) // want `lost insert`
	}
}

// Range and Clear of the same map are work of their own, not another act on
// the entry (and have no key to compare).
func resetAfter(key string) {
	if _, ok := cache.Load(key); !ok {
		cache.Store(key, defaultEntry) // want `lost insert`
		cache.Range(func(k, v any) bool { return true })
		cache.Clear()
	}
}
