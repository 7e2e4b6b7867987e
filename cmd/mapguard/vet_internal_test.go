package main

import (
	"testing"

	"github.com/mapguard/mapguard/internal/run/govet"
)

func TestCopylocksRuns(t *testing.T) {
	as := vetAnalyzers(nil)
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{nil, true},
		{[]string{"-copylocks=false"}, false},
		{[]string{"-printf"}, false}, // only printf runs
		{[]string{"-printf", "-copylocks"}, true},
		{[]string{"-copylocks=true"}, true},
		{[]string{"-syncmarshal=false"}, true},
	} {
		if got := copylocksRuns(tc.args, as); got != tc.want {
			t.Errorf("copylocksRuns(%q) = %t, want %t", tc.args, got, tc.want)
		}
	}
	if copylocksRuns(nil, vetAnalyzers([]string{"-govet=false"})) {
		t.Error("copylocks runs with -govet=false")
	}
	vet := make(map[string]bool)
	for _, a := range govet.Suite() {
		vet[a.Name] = true
	}
	n := 0
	for _, a := range vetAnalyzers(nil) {
		if vet[a.Name] {
			n++
		}
	}
	if n != len(govet.Suite()) {
		t.Errorf("the vet tool runs %d of go vet's %d analyzers by default", n, len(govet.Suite()))
	}
}
