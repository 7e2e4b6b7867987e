package a

import (
	"maps"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Every access holds the same mutex.

var (
	lockedMu sync.Mutex
	locked   = map[string]int{}
)

func lockedPut(w http.ResponseWriter, r *http.Request) {
	lockedMu.Lock()
	defer lockedMu.Unlock()
	locked[r.URL.Path]++
}

func lockedGet(w http.ResponseWriter, r *http.Request) {
	lockedMu.Lock()
	n := locked[r.URL.Path]
	lockedMu.Unlock()
	_ = n
}

// Reads under RLock, writes under Lock of one RWMutex.

var (
	rwMu sync.RWMutex
	rw   = map[string]int{}
)

func rwGet(w http.ResponseWriter, r *http.Request) {
	rwMu.RLock()
	defer rwMu.RUnlock()
	_ = rw[r.URL.Path]
}

func rwPut(w http.ResponseWriter, r *http.Request) {
	rwMu.Lock()
	rw[r.URL.Path] = 1
	rwMu.Unlock()
}

// The caller holds the lock the helper needs.

func putLocked(k string) { locked[k] = 2 }

func callerLocks(w http.ResponseWriter, r *http.Request) {
	lockedMu.Lock()
	putLocked(r.URL.Path)
	lockedMu.Unlock()
}

// A server whose methods lock its mutex, embedded or named.

type safeServer struct {
	sync.Mutex
	m map[string]int
}

func (s *safeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	s.m[r.URL.Path]++
}

func (s *Server) locked(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts["locked"]++ // the count handler does not lock: that one is reported, not this
}

// Maps of the request: made by the handler, or the request's own.

func perRequest(w http.ResponseWriter, r *http.Request) {
	m := map[string]int{}
	m[r.URL.Path] = 1
	r.Form["x"] = nil
	w.Header()["X-Seen"] = []string{"1"}
	q := r.URL.Query()
	q["a"] = nil
}

// Written only at start-up, read by handlers.

var routes = map[string]string{}

func init() {
	routes["/"] = "index"
}

func serveRoute(w http.ResponseWriter, r *http.Request) {
	_ = routes[r.URL.Path]
}

func main() {
	routes["/about"] = "about"
	http.HandleFunc("/", serveRoute)
	http.HandleFunc("/lp", lockedPut)
	http.HandleFunc("/lg", lockedGet)
	http.HandleFunc("/rg", rwGet)
	http.HandleFunc("/rp", rwPut)
	http.HandleFunc("/cl", callerLocks)
	http.HandleFunc("/pr", perRequest)
	http.HandleFunc("/once", onceInit)
	http.HandleFunc("/cow", cowPut)
	http.HandleFunc("/sm", syncMapPut)
	http.HandleFunc("/sem", semaphorePut)
	http.HandleFunc("/inner", innerHandler)
	http.HandleFunc("/try", tryPut)
	http.Handle("/safe", &safeServer{m: map[string]int{}})
	_ = http.ListenAndServe(":8080", nil)
}

// A write inside sync.Once runs once.

var (
	lazyOnce sync.Once
	lazy     map[string]int
)

func onceInit(w http.ResponseWriter, r *http.Request) {
	lazyOnce.Do(func() {
		lazy = map[string]int{}
		lazy["a"] = 1
	})
}

// Copy on write behind an atomic pointer: the map written is a fresh copy.

var table atomic.Pointer[map[string]int]

func cowPut(w http.ResponseWriter, r *http.Request) {
	old := table.Load()
	next := maps.Clone(*old)
	next[r.URL.Path] = 1
	table.Store(&next)
}

// sync.Map is safe for concurrent use.

var syncSeen sync.Map

func syncMapPut(w http.ResponseWriter, r *http.Request) {
	syncSeen.Store(r.URL.Path, true)
}

// A channel of capacity one used as a lock.

var (
	sem   = make(chan struct{}, 1)
	semed = map[string]int{}
)

func semaphorePut(w http.ResponseWriter, r *http.Request) {
	sem <- struct{}{}
	semed[r.URL.Path]++
	<-sem
}

// A handler literal made inside a handler is made for one request.

func innerHandler(w http.ResponseWriter, r *http.Request) {
	local := map[string]int{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		local[r.URL.Path] = 1
	})
	h.ServeHTTP(w, r)
}

// TryLock guards what follows when it succeeds.

var (
	tryMu sync.Mutex
	tried = map[string]int{}
)

func tryPut(w http.ResponseWriter, r *http.Request) {
	if tryMu.TryLock() {
		tried[r.URL.Path] = 1
		tryMu.Unlock()
	}
}

// Goroutines that make their own map, or get one made for each.

func ownMap(results chan<- map[string]int) {
	go func() {
		m := map[string]int{}
		m["a"] = 1
		results <- m
	}()
}

func perIteration(n int, results chan<- map[int]int) {
	for i := range n {
		m := map[int]int{}
		go func() {
			m[i] = i
			results <- m
		}()
	}
}

// The starter waits before touching the map again.

func waitGroup(keys []string) map[string]int {
	out := map[string]int{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, k := range keys {
			out[k] = 1
		}
	}()
	wg.Wait()
	out["done"] = 1
	return out
}

func doneChannel() map[string]int {
	m := make(map[string]int)
	done := make(chan bool)
	go func() {
		m["a"] = 1
		done <- true
	}()
	<-done
	m["b"] = 2
	return m
}

// One goroutine at a time: each is waited for before the next starts.

func oneAtATime(keys []string) map[string]int {
	m := make(map[string]int)
	for _, k := range keys {
		done := make(chan struct{})
		go func() {
			m[k] = 1
			close(done)
		}()
		<-done
	}
	return m
}

// Goroutines with a lock around the shared map.

func lockedFanOut(keys []string) map[string]int {
	var mu sync.Mutex
	out := map[string]int{}
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			out[k] = 1
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// Each goroutine writes the map of its own connection.

type conn struct{ seen map[string]bool }

func (c *conn) serve() { c.seen["x"] = true }

func serveAll(conns []*conn) {
	for _, c := range conns {
		go c.serve()
	}
}

// Handed over: the starter made the map and no longer touches it.

func handOver() {
	m := map[string]int{"a": 1}
	go func() {
		m["b"] = 2
	}()
}

// Started once, writing a map only it uses after the start.

var background = map[string]int{}

func startBackground() {
	go func() {
		background["tick"]++
	}()
}

// Read only after start-up: nobody writes.

func readOnly(keys []string) {
	for _, k := range keys {
		go func() { _ = routes[k] }()
	}
}

// A lock taken only when the caller does not hold it already (found in
// nats-server's Sublist.match and client.pubAllowed).

type sublist struct {
	sync.RWMutex
	cache map[string]int
}

func (s *sublist) match(subject string, doLock bool) {
	if doLock {
		s.Lock()
	}
	s.cache[subject]++
	if doLock {
		s.Unlock()
	}
}

func contention(s *sublist, subjects []string) {
	for _, sub := range subjects {
		go s.match(sub, true)
	}
}

// The starter runs with its caller's lock held, and the callback it
// schedules takes that lock (found in nats-server's
// client.trackRemoteReply and stream.setupSourceConsumer).

type tracker struct {
	mu      sync.Mutex
	pending map[string]int
	timer   *time.Timer
}

// track is called with t.mu held.
func (t *tracker) track(reply string) {
	if t.timer == nil {
		t.timer = time.AfterFunc(time.Second, t.prune)
	}
	t.pending[reply] = 1
}

func (t *tracker) prune() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for k := range t.pending {
		delete(t.pending, k)
	}
}

// A compare-and-swap lets one goroutine through: a hand-made once.

var (
	initDone int32
	defaults = map[string]string{}
)

func casInit(w http.ResponseWriter, r *http.Request) {
	if atomic.CompareAndSwapInt32(&initDone, 0, 1) {
		defaults["lang"] = "en"
	}
}

func init() { http.HandleFunc("/cas", casInit) }

// A handler starts a goroutine on a map the request made and no longer
// touches.

func handOff(w http.ResponseWriter, r *http.Request) {
	fields := map[string]string{"path": r.URL.Path}
	go func() {
		fields["done"] = "yes"
	}()
}

func init() { http.HandleFunc("/handoff", handOff) }
