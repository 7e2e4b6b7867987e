// Package intern is a library that serves no network: an intern table and a
// memo keyed by its callers' arguments grow by design, with what the
// program chooses to pass.
package intern

import "sync"

var (
	mu      sync.Mutex
	strs    = map[string]string{}
	lengths = map[string]int{}
)

func String(s string) string {
	mu.Lock()
	defer mu.Unlock()
	if t, ok := strs[s]; ok {
		return t
	}
	strs[s] = s
	return s
}

func Length(s string) int {
	if n, ok := lengths[s]; ok {
		return n
	}
	lengths[s] = len(s)
	return len(s)
}
