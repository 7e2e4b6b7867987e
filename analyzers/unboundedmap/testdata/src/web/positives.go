// Package web is a small server whose package-level maps grow with every
// request.
package web

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

var hits = map[string]int{}

func countHits(w http.ResponseWriter, r *http.Request) {
	hits[r.URL.Path]++ // want `^hits only grows: entries keyed by the HTTP request \(r.URL.Path\) are added here, and nothing in the package deletes, clears or replaces them; evict entries \(on expiry, past a size cap, an LRU\) or key it by a bounded set$`
}

var sessions sync.Map // session id -> last use

func touchSession(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie("session")
	if err != nil {
		return
	}
	sessions.Store(c.Value, time.Now()) // want `^sessions only grows: entries keyed by the HTTP request \(c.Value\) are added here`
}

var lastSeen = &sync.Map{} // client host -> time

func track(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return
	}
	lastSeen.LoadOrStore(host, time.Now()) // want `^lastSeen only grows: entries keyed by the HTTP request \(host\)`
}

// A memo of rendered thumbnails, keyed through a helper of the package.
var thumbnails = make(map[string][]byte)

func normalize(p string) string { return strings.ToLower(strings.TrimSuffix(p, "/")) }

func thumbnail(w http.ResponseWriter, r *http.Request) {
	key := normalize(r.URL.Query().Get("img"))
	if b, ok := thumbnails[key]; ok {
		w.Write(b)
		return
	}
	b := []byte("rendered " + key)
	thumbnails[key] = b // want `^thumbnails only grows: entries keyed by the HTTP request \(key\)`
	w.Write(b)
}

// A handler type that hands request data to an unexported helper.
type api struct{}

var agents = map[int64]string{}

func (api) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return
	}
	remember(id, r.UserAgent())
}

func remember(id int64, agent string) {
	agents[id] = agent // want `^agents only grows: entries keyed by the HTTP request \(id\)`
}

// A handler built by a closure.
type bucket struct{ tokens int }

var perClient = map[string]*bucket{}

func limiter(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := r.Header.Get("X-Forwarded-For")
		b, ok := perClient[ip]
		if !ok {
			b = &bucket{tokens: 10}
			perClient[ip] = b // want `^perClient only grows: entries keyed by the HTTP request \(ip\)`
		}
		b.tokens--
		next.ServeHTTP(w, r)
	})
}

// Composite and formatted keys.
type routeKey struct{ method, path string }

var byRoute = map[routeKey]int{}

func route(w http.ResponseWriter, r *http.Request) {
	byRoute[routeKey{r.Method, r.URL.Path}]++ // want `^byRoute only grows: entries keyed by the HTTP request \(routeKey{…}\)`
}

var responses = map[string]string{}

func respond(w http.ResponseWriter, r *http.Request) {
	key := fmt.Sprintf("%s %s", r.Method, r.URL.RequestURI())
	responses[key] = "cached" // want `^responses only grows: entries keyed by the HTTP request \(key\)`
}

// Lines read from a connection.
var seenLines = map[string]bool{}

func serveConn(c net.Conn) {
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		seenLines[sc.Text()] = true // want `^seenLines only grows: entries keyed by data read from the network \(sc.Text\(\)\)`
	}
}

var peers = map[string]int{}

func acceptLoop(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			peers[c.RemoteAddr().String()]++ // want `^peers only grows: entries keyed by data read from the network`
			c.Close()
		}()
	}
}

var sources sync.Map

func readPackets(conn *net.UDPConn) {
	buf := make([]byte, 1500)
	for {
		_, addr, err := conn.ReadFromUDP(buf)
		if err != nil {
			return
		}
		sources.Store(addr.String(), time.Now()) // want `^sources only grows: entries keyed by data read from the network \(addr.String\(\)\)`
	}
}

// The request body, read line by line.
var words = map[string]int{}

func countWords(w http.ResponseWriter, r *http.Request) {
	sc := bufio.NewScanner(r.Body)
	sc.Split(bufio.ScanWords)
	for sc.Scan() {
		words[sc.Text()]++ // want `^words only grows: entries keyed by the HTTP request`
	}
}

// A handler registered at initialization runs per request.
var downloads = map[string]int{}

func init() {
	http.HandleFunc("/download", func(w http.ResponseWriter, r *http.Request) {
		downloads[r.URL.Query().Get("file")]++ // want `^downloads only grows: entries keyed by the HTTP request`
	})
}
