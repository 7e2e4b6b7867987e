package b

import (
	"net/http"

	"shared"
)

func init() {
	http.HandleFunc("/reg", register)
	http.HandleFunc("/rem", remember)
}

func register(w http.ResponseWriter, r *http.Request) {
	shared.Registry[r.URL.Path] = 1 // want `write to package-level map Registry with no lock held, in HTTP handler register, which runs once per request`
}

// remember calls a helper of another package that writes a map without a
// lock: not followed (see doc.go).
func remember(w http.ResponseWriter, r *http.Request) {
	shared.Remember(r.URL.Path)
}
