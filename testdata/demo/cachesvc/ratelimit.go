package main

import (
	"fmt"
	"net"
	"net/http"
	"sync"
)

// statsPolls counts each client's polls of /stats, to turn away clients
// that poll too often. Nothing ever removes a client: every address that
// ever polled stays, and a crawler rotating addresses grows it without end.
var (
	statsMu    sync.Mutex
	statsPolls = map[string]int{}
)

func init() { http.HandleFunc("/stats", handleStats) }

func handleStats(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		http.Error(w, "bad address", http.StatusBadRequest)
		return
	}
	statsMu.Lock()
	statsPolls[host]++
	n := statsPolls[host]
	statsMu.Unlock()
	if n > 100 {
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	}
	fmt.Fprintln(w, "ok")
}
