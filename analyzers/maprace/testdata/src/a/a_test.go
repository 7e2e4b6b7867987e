package a

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Handlers registered in tests serve one request at a time.

var testSeen = map[string]bool{}

func TestHandler(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		testSeen[r.URL.Path] = true
	}))
	defer srv.Close()
}
