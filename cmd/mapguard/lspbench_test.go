package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mapguard/mapguard/internal/run/lsp/lsptest"
)

// TestLSPLatency measures what an editor waits for on one file: the first
// diagnostics after didOpen (the first load of the package and its
// dependencies), then the diagnostics after each of ten edits saved to
// disk. It runs only when MAPGUARD_LSP_BENCH names the Go file, which it
// edits and restores:
//
//	MAPGUARD_LSP_BENCH=$PWD/testdata/demo/cachesvc/store.go go test -run TestLSPLatency -v ./cmd/mapguard
func TestLSPLatency(t *testing.T) {
	file := os.Getenv("MAPGUARD_LSP_BENCH")
	if file == "" {
		t.Skip("set MAPGUARD_LSP_BENCH to an absolute path of a Go file to measure")
	}
	orig, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.WriteFile(file, orig, 0o644); err != nil {
			t.Errorf("restoring %s: %v", file, err)
		}
	})
	s := startLSP(t, filepath.Dir(file), nil)
	if r := s.Initialize(lsptest.FileURI(filepath.Dir(file)), nil, true); r.Error != nil {
		t.Fatal(r.Error)
	}
	uri := lsptest.FileURI(file)
	start := time.Now()
	s.Open(uri, 1, string(orig))
	pub := s.Diagnostics(uri, 1)
	t.Logf("first load: %v (%d diagnostics)", time.Since(start).Round(time.Millisecond), len(pub.Diagnostics))
	for v := 2; v <= 11; v++ {
		text := fmt.Sprintf("%s\n// edit %d\n", orig, v)
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		start = time.Now()
		s.Change(uri, v, text)
		s.Save(uri)
		pub = s.Diagnostics(uri, v)
		t.Logf("save %d: %v (%d diagnostics)", v-1, time.Since(start).Round(time.Millisecond), len(pub.Diagnostics))
	}
	s.Call("shutdown", nil)
	s.Notify("exit", nil)
	s.exited()
}
