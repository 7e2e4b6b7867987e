package web

import (
	"bufio"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

// Entries are deleted somewhere in the package.
var tokens sync.Map

func issue(w http.ResponseWriter, r *http.Request)  { tokens.Store(r.FormValue("user"), time.Now()) }
func revoke(w http.ResponseWriter, r *http.Request) { tokens.Delete(r.FormValue("user")) }

var visits = map[string]time.Time{}
var visitsMu sync.Mutex

func visit(w http.ResponseWriter, r *http.Request) {
	visitsMu.Lock()
	defer visitsMu.Unlock()
	visits[r.RemoteAddr] = time.Now()
}

func janitor() {
	for range time.Tick(time.Minute) {
		visitsMu.Lock()
		for k, t := range visits {
			if time.Since(t) > time.Hour {
				delete(visits, k)
			}
		}
		visitsMu.Unlock()
	}
}

// Cleared, or replaced wholesale.
var recent = map[string]bool{}

func note(w http.ResponseWriter, r *http.Request) { recent[r.URL.Path] = true }
func flush()                                      { clear(recent) }

var pages = map[string][]byte{}

func page(w http.ResponseWriter, r *http.Request) { pages[r.URL.Path] = nil }
func reset()                                      { pages = map[string][]byte{} }

// Capped: the inserts are guarded by the map's size.
var capped = map[string]int{}

func capHits(w http.ResponseWriter, r *http.Request) {
	if len(capped) < 1000 {
		capped[r.URL.Path]++
	}
}

// Keys from a small closed set.
type Kind string

const (
	Page  Kind = "page"
	Asset Kind = "asset"
)

var byKind = map[Kind]int{}
var byFlag = map[bool]int{}
var byStatusClass = map[uint8]int{}
var byShard = map[int]int{}

func closedSets(w http.ResponseWriter, r *http.Request) {
	byKind[Kind(r.FormValue("kind"))]++
	byFlag[r.FormValue("debug") != ""]++
	byStatusClass[uint8(len(r.URL.Path))]++
	byShard[len(r.URL.Path)%16]++
}

// Keys the program derives itself from the request: a content type, the
// length of the path, a value looked up with the request's key.
var byType = map[string]int{}
var byLength = map[int]int{}
var aliases = map[string]string{"/": "home"}
var byAlias = map[string]int{}

func derived(w http.ResponseWriter, r *http.Request) {
	byType[http.DetectContentType([]byte(r.FormValue("data")))]++
	byLength[len(r.URL.Path)]++
	byAlias[aliases[r.URL.Path]]++
}

func routeName(r *http.Request) string {
	switch r.URL.Path {
	case "/":
		return "home"
	case "/about":
		return "about"
	}
	return "other"
}

var byRouteName = map[string]int{}

func named(w http.ResponseWriter, r *http.Request) { byRouteName[routeName(r)]++ }

// Constant keys, and a registry filled at initialization.
var stats = map[string]int{}

func count(w http.ResponseWriter, r *http.Request) { stats["requests"]++ }

var handlers = map[string]http.HandlerFunc{}

func init() {
	handlers["/"] = count
	handlers["/hits"] = countHits
}

// An exported variable: other packages may evict from it.
var Cache = map[string]string{}

func fill(w http.ResponseWriter, r *http.Request) { Cache[r.URL.Path] = "x" }

// Keys of types the program bounds: pointers, interfaces.
var conns = map[net.Conn]time.Time{}
var inflight = map[*http.Request]bool{}

func pointerKeys(c net.Conn, r *http.Request) {
	conns[c] = time.Now()
	inflight[r] = true
}

// The map escapes: another function may delete from it.
var shared = map[string]int{}

func prune(m map[string]int) {
	for k := range m {
		delete(m, k)
	}
}

func useShared(w http.ResponseWriter, r *http.Request) {
	shared[r.URL.Path]++
	prune(shared)
}

// Lines read from a file or stdin are the program's own configuration.
var allowed = map[string]bool{}

func loadAllowed() {
	f, err := os.Open("allowed.txt")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		allowed[sc.Text()] = true
	}
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		allowed[in.Text()] = true
	}
}

// A map local to the handler lives as long as the request.
func local(w http.ResponseWriter, r *http.Request) {
	seen := map[string]bool{}
	for _, v := range r.URL.Query()["tag"] {
		seen[v] = true
	}
}
