package b

import (
	"net/http"
	"sync"

	"shared"
)

func init() {
	http.HandleFunc("/reg", register)
	http.HandleFunc("/rem", remember)
	http.HandleFunc("/count", count)
	http.HandleFunc("/locked", noteLocked)
	http.HandleFunc("/table", fillTable)
}

func register(w http.ResponseWriter, r *http.Request) {
	shared.Registry[r.URL.Path] = 1 // want `write to package-level map shared.Registry with no lock held, in HTTP handler register, which runs once per request`
}

// remember calls a helper of another package that writes its map without
// a lock.
func remember(w http.ResponseWriter, r *http.Request) {
	shared.Remember(r.URL.Path) // want `write to package-level map shared.Registry \(in shared.Remember\) with no lock held, in HTTP handler remember`
}

// The helper locks.
func count(w http.ResponseWriter, r *http.Request) {
	shared.Count(r.URL.Path)
}

// The caller holds a lock around the helper.

var noteMu sync.Mutex

func noteLocked(w http.ResponseWriter, r *http.Request) {
	noteMu.Lock()
	defer noteMu.Unlock()
	shared.Note(r.URL.Path)
}

// A generic map type of another package, made per request.
func fillTable(w http.ResponseWriter, r *http.Request) {
	t := shared.Table[string, int]{}
	t[r.URL.Path] = 1
}
