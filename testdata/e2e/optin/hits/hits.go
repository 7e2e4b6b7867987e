// Package hits counts requests per path: one entry per distinct path, kept
// forever.
package hits

import (
	"fmt"
	"net/http"
	"sync"
)

var (
	mu     sync.Mutex
	counts = map[string]int{}
)

func Handle(w http.ResponseWriter, r *http.Request) {
	mu.Lock()
	counts[r.URL.Path]++
	n := counts[r.URL.Path]
	mu.Unlock()
	fmt.Fprintln(w, n)
}
