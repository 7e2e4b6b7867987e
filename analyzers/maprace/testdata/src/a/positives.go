package a

import (
	"maps"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/tools/go/analysis"
)

// Package-level maps written by handlers: each request runs on a goroutine
// of its own, so the write races with itself.

var hits = map[string]int{}

func countHits(w http.ResponseWriter, r *http.Request) {
	hits[r.URL.Path]++ // want `write to package-level map hits with no lock held, in HTTP handler countHits, which runs once per request: two writes at once crash the program \(fatal error: concurrent map writes\)`
}

var tags = map[string][]string{}

func tagAll(w http.ResponseWriter, r *http.Request) {
	delete(tags, "old")       // want `write to package-level map tags with no lock held`
	maps.Copy(tags, r.Header) // want `write to package-level map tags with no lock held`
	clear(tags)               // want `write to package-level map tags with no lock held`
}

func registerAll(mux *http.ServeMux) {
	mux.HandleFunc("/hits", countHits)
	mux.Handle("/tags", http.HandlerFunc(tagAll))
	mux.HandleFunc("/save", saveHandler)
	mux.HandleFunc("/rlocked", rlockedPut)
}

// A helper the handler calls writes the map: reported in the helper.

var saved = map[string][]byte{}

func store(k string, v []byte) {
	saved[k] = v // want `write to package-level map saved with no lock held, in store, called from HTTP handler saveHandler, which runs once per request`
}

func saveHandler(w http.ResponseWriter, r *http.Request) {
	store(r.URL.Path, nil)
}

// A write under a read lock: readers share RLock.

var (
	confMu sync.RWMutex
	conf   = map[string]string{}
)

func rlockedPut(w http.ResponseWriter, r *http.Request) {
	confMu.RLock()
	defer confMu.RUnlock()
	conf[r.URL.Path] = "x" // want `write to package-level map conf under a read lock only, in HTTP handler rlockedPut`
}

// A server's map field, written by its ServeHTTP and by a method value
// registered as a handler.

type Server struct {
	mu       sync.Mutex
	sessions map[string]int
	counts   map[string]int
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.sessions[r.URL.Path] = 1 // want `write to map field Server.sessions with no lock held, in HTTP handler Server.ServeHTTP`
}

func (s *Server) count(w http.ResponseWriter, r *http.Request) {
	s.counts[r.URL.Path]++ // want `write to map field Server.counts with no lock held, in HTTP handler Server.count`
}

func (s *Server) Routes(mux *http.ServeMux) {
	mux.HandleFunc("/count", s.count)
}

// A handler literal captures a map of the function that creates it: one
// map for every request.

func middleware(next http.Handler) http.Handler {
	seen := map[string]bool{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen[r.RemoteAddr] = true // want `write to map seen with no lock held, in HTTP handler literal in middleware`
		next.ServeHTTP(w, r)
	})
}

// A lock on one side only: the write holds it, the read in another handler
// does not.

var (
	usersMu sync.Mutex
	users   = map[string]string{}
)

func putUser(w http.ResponseWriter, r *http.Request) {
	usersMu.Lock()
	users[r.URL.Path] = r.RemoteAddr // want `write to package-level map users in HTTP handler putUser, which runs once per request races with a read of it in HTTP handler getUser`
	usersMu.Unlock()
}

func getUser(w http.ResponseWriter, r *http.Request) {
	_ = users[r.URL.Path]
}

// Two different mutexes guard nothing between them.

var (
	muA, muB sync.Mutex
	prices   = map[string]int{}
)

func setPrice(w http.ResponseWriter, r *http.Request) {
	muA.Lock()
	defer muA.Unlock()
	prices[r.URL.Path] = 1 // want `write to package-level map prices in HTTP handler setPrice, which runs once per request races with a read of it in HTTP handler getPrice`
}

func getPrice(w http.ResponseWriter, r *http.Request) {
	muB.Lock()
	defer muB.Unlock()
	_ = prices[r.URL.Path]
}

func registerMore() {
	http.HandleFunc("/put", putUser)
	http.HandleFunc("/get", getUser)
	http.HandleFunc("/setprice", setPrice)
	http.HandleFunc("/getprice", getPrice)
	http.HandleFunc("/peek", peekExpiry)
}

// Goroutines started in a loop without waiting write one captured map.

func fanOut(keys []string) map[string]int {
	out := map[string]int{}
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[k] = len(k) // want `write to map out with no lock held, in goroutine literal in fanOut, started again and again without waiting`
		}()
	}
	wg.Wait()
	return out
}

// A function started with go gets the map as an argument.

func fill(m map[int]int, i int) {
	m[i] = i * i // want `write to map m with no lock held, in goroutine fill, started again and again without waiting`
}

func squares(n int) map[int]int {
	m := make(map[int]int)
	for i := range n {
		go fill(m, i)
	}
	time.Sleep(time.Second)
	return m
}

// The starter reads the map while the goroutine writes it.

func watch(names []string) int {
	state := map[string]bool{}
	go func() {
		for _, n := range names {
			state[n] = true // want `write to map state in goroutine literal in watch races with a read of it in watch after it starts a goroutine \(line \d+\) without waiting for it`
		}
	}()
	return len(names) + btoi(state["a"])
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// A method value started with go, and the starter writing the same field.

type poller struct {
	last map[string]int
}

func (p *poller) poll() {
	p.last["x"] = 1 // want `write to map field poller.last in goroutine poller.poll races with a write of it in start after it starts a goroutine`
}

func start(p *poller) {
	f := p.poll
	go f()
	p.last["y"] = 2 // want `write to map field poller.last in start after it starts a goroutine \(line \d+\) without waiting for it races with a write of it in goroutine poller.poll`
}

// A timer callback deletes while a handler reads.

var expiry = map[string]time.Time{}

func scheduleExpiry(k string) {
	time.AfterFunc(time.Minute, func() {
		delete(expiry, k) // want `write to package-level map expiry in callback literal in scheduleExpiry, which runs on a goroutine of its own races with a read of it in HTTP handler peekExpiry`
	})
}

func peekExpiry(w http.ResponseWriter, r *http.Request) {
	_ = expiry[r.URL.Path]
}

// sync.WaitGroup.Go and errgroup in loops.

func collect(ids []int) map[int]string {
	res := map[int]string{}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			res[id] = "done" // want `write to map res with no lock held, in callback literal in collect`
		})
	}
	wg.Wait()
	return res
}

func collectErr(ids []int) (map[int]string, error) {
	res := map[int]string{}
	var g errgroup.Group
	for _, id := range ids {
		g.Go(func() error {
			res[id] = "done" // want `write to map res with no lock held, in callback literal in collectErr`
			return nil
		})
	}
	return res, g.Wait()
}

// An analyzer's Run writes a package-level map: drivers analyze packages
// in parallel.

var seenFiles = map[string]bool{}

var Analyzer = &analysis.Analyzer{Name: "x", Run: runAnalyzer}

func runAnalyzer(pass *analysis.Pass) (any, error) {
	for _, f := range pass.Files {
		seenFiles[f] = true // want `write to package-level map seenFiles with no lock held, in analyzer run function runAnalyzer, which the drivers run on many packages at once`
	}
	return nil, nil
}

// Generics: a generic fan-out, and a generic server type.

func parallelMap[K comparable, V any](keys []K, f func(K) V) map[K]V {
	out := make(map[K]V)
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[k] = f(k) // want `write to map out with no lock held, in goroutine literal in parallelMap`
		}()
	}
	wg.Wait()
	return out
}

type Cache[K comparable, V any] struct {
	entries map[K]V
	key     func(*http.Request) K
	zero    V
}

func (c *Cache[K, V]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.entries[c.key(r)] = c.zero // want `write to map field Cache.entries with no lock held, in HTTP handler Cache.ServeHTTP`
}

// A map whose type is a type parameter.

func spread[M ~map[string]int](m M, keys []string) {
	for _, k := range keys {
		go func() {
			m[k] = 1 // want `write to map m with no lock held, in goroutine literal in spread`
		}()
	}
}

// A handler starts a goroutine that writes a package-level map: one
// goroutine per request.

var audit = map[string]time.Time{}

func auditLater(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	go func() {
		audit[path] = time.Now() // want `write to package-level map audit with no lock held, in goroutine literal in auditLater`
	}()
}

func init() { http.HandleFunc("/audit", auditLater) }
