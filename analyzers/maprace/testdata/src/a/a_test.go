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

// Parallel subtests of one loop run together once the parent returns.

func TestParallelCases(t *testing.T) {
	results := map[string]int{}
	for _, name := range []string{"a", "b"} {
		t.Run(name, func(t *testing.T) {
			results[name] = 0 // before t.Parallel: the subtests run one by one up to there
			t.Parallel()
			results[name] = len(name) // want `write to map results with no lock held, in parallel subtest literal in TestParallelCases, run for each case at once`
		})
	}
}

// Subtests that do not call t.Parallel run one after the other.

func TestSerialCases(t *testing.T) {
	results := map[string]int{}
	for _, name := range []string{"a", "b"} {
		t.Run(name, func(t *testing.T) {
			results[name] = len(name)
		})
	}
}

// Each parallel subtest writes its own map.

func TestParallelOwnMaps(t *testing.T) {
	for _, name := range []string{"a", "b"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			own := map[string]int{}
			own[name] = 1
		})
	}
}

// A goroutine of a test does not meet the package's handlers: the test
// serves nothing.

func TestBackground(t *testing.T) {
	done := make(chan bool)
	go func() {
		users["x"] = "y"
		done <- true
	}()
	<-done
}
