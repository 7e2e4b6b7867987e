package fix

import (
	"sync"
	"time"
)

type entry struct {
	value   string
	expires time.Time
}

func (e *entry) expired() bool { return time.Now().After(e.expires) }

type config struct{ name string }

var (
	seen  sync.Map
	cache sync.Map
)

func markSeen(id string, at time.Time) {
	if _, ok := seen.Load(id); !ok {
		seen.Store(id, at) // want `lost insert`
	}
}

func ensure(key string, e *entry) {
	_, ok := cache.Load(key)
	if !ok {
		cache.Store(key, e) // want `lost insert`
	}
}

func ensureLiteral(key, name string) {
	if _, loaded := cache.Load(key); !loaded {
		cache.Store(key, &config{name: name}) // want `lost insert`
	}
}

func evict(key string) {
	if v, ok := cache.Load(key); ok && v.(*entry).expired() {
		cache.Delete(key) // want `lost renewal`
	}
}

func refresh(key string, fresh *entry) {
	v, ok := cache.Load(key)
	if !ok {
		return
	}
	if e := v.(*entry); e.expired() {
		cache.Store(key, fresh) // want `lost update: this Store is decided`
	}
}

func evictValue(key string) {
	if v, ok := cache.Load(key); ok {
		if e, isEntry := v.(entry); isEntry && e.expired() {
			cache.Delete(key) // want `lost renewal`
		}
	}
}

// No fix: the branch does more than store.

func process(string) {}

func firstSeen(id string) {
	if _, ok := seen.Load(id); !ok {
		seen.Store(id, time.Now()) // want `lost insert`
		process(id)
	}
}

// No fix: the value is computed by a call, which LoadOrStore would make on
// every call.
func computed(key string) {
	if _, ok := cache.Load(key); !ok {
		cache.Store(key, time.Now()) // want `lost insert`
	}
}

// No fix: ok is used after the if.
func reported(key string) bool {
	_, ok := cache.Load(key)
	if !ok {
		cache.Store(key, &entry{}) // want `lost insert`
	}
	return ok
}

// No fix: a comment would be lost.
func commented(key string) {
	if _, ok := cache.Load(key); !ok {
		// first writer wins
		cache.Store(key, &entry{}) // want `lost insert`
	}
}

// No fix: an else branch.
func withElse(key string) int {
	if _, ok := cache.Load(key); !ok {
		cache.Store(key, &entry{}) // want `lost insert`
	} else {
		return 1
	}
	return 0
}

// No fix: the value is never asserted to a comparable type.
func unknownType(key string, expired func(any) bool) {
	if v, ok := cache.Load(key); ok && expired(v) {
		cache.Delete(key) // want `lost renewal`
	}
}

type tags struct{ list []string }

// No fix: tags values cannot be compared: CompareAndDelete would panic.
func uncomparable(key string) {
	if v, ok := cache.Load(key); ok && len(v.(tags).list) == 0 {
		cache.Delete(key) // want `lost renewal`
	}
}

// No fix: the value may be missing on the way to the Store.
func refreshOrInsert(key string, fresh *entry) {
	if v, ok := cache.Load(key); !ok || v.(*entry).expired() {
		cache.Store(key, fresh) // want `lost update`
	}
}

// No fix: v is not in scope at the Delete.
func outOfScope(key string) {
	if v, ok := cache.Load(key); !ok || !v.(*entry).expired() {
		return
	}
	cache.Delete(key) // want `lost renewal`
}

// No fix: v is reassigned.
func reassigned(key string) {
	v, ok := cache.Load(key)
	if ok && v.(*entry).expired() {
		cache.Delete(key) // want `lost renewal`
	}
	v = nil
	_ = v
}

var pending sync.Map

func deliver(id, result string) {
	if ch, ok := pending.Load(id); ok {
		pending.Delete(id) // want `double take`
		ch.(chan string) <- result
	}
}

func deliverStatement(id, result string) {
	ch, found := pending.Load(id)
	if found {
		pending.Delete(id) // want `double take`
		ch.(chan string) <- result
	}
}

// No fix: something runs between the Load and the Delete.
func deliverLater(id, result string) {
	if ch, ok := pending.Load(id); ok {
		ch.(chan string) <- result
		pending.Delete(id) // want `double take`
	}
}
