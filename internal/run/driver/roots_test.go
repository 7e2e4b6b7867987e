package driver

import (
	"slices"
	"testing"
)

// TestMarkRoots: go vet names units by import path; a named package with
// tests comes as its test variant (p, checked in full) beside p as a
// dependency (VetxOnly), and its external test as p_test. A replayed
// facts-only root, or two different results claiming the same root, call
// for a run without go vet's cache; the same result twice is one root.
func TestMarkRoots(t *testing.T) {
	named := map[string]bool{"m/p": true, "m/q": true}
	for _, tc := range []struct {
		name  string
		units []*unitResult
		roots []string // ID/VetxOnly-before of the units left as roots
		full  bool
	}{
		{"plain", []*unitResult{
			{ID: "m/p", ImportPath: "m/p"},
			{ID: "m/q", ImportPath: "m/q", VetxOnly: true}, // replayed from a run where it was a dependency, in full
			{ID: "fmt", ImportPath: "fmt", VetxOnly: true, FactsOnly: true},
			{ID: "m/lib", ImportPath: "m/lib"}, // replayed from a run that named it
		}, []string{"m/p", "m/q"}, true},
		{"tests", []*unitResult{
			{ID: "m/p", ImportPath: "m/p", VetxOnly: true, FactsOnly: true},
			{ID: "m/p", ImportPath: "m/p"},
			{ID: "m/p_test", ImportPath: "m/p_test"},
		}, []string{"m/p", "m/p_test"}, true},
		{"stale root", []*unitResult{
			{ID: "m/p", ImportPath: "m/p", VetxOnly: true, FactsOnly: true},
		}, []string{"m/p"}, false},
		{"one result twice", []*unitResult{
			{ID: "m/p", ImportPath: "m/p", Checked: 1},
			{ID: "m/p", ImportPath: "m/p", VetxOnly: true, FactsOnly: true},
			{ID: "m/p", ImportPath: "m/p", Checked: 2, Cached: true}, // a recompiled p, replayed as the root's
		}, []string{"m/p"}, true},
		{"two roots", []*unitResult{
			{ID: "m/p", ImportPath: "m/p", Checked: 1},
			{ID: "m/p", ImportPath: "m/p", Checked: 2, Errors: []string{"p.go:1:1: x"}},
		}, []string{"m/p"}, false},
	} {
		full := len(markRoots(tc.units, named)) == 0
		var roots []string
		for _, u := range tc.units {
			if !u.VetxOnly {
				roots = append(roots, u.ID)
			}
		}
		if full != tc.full || !slices.Equal(roots, tc.roots) {
			t.Errorf("%s: roots %v, full %t; want %v, %t", tc.name, roots, full, tc.roots, tc.full)
		}
	}
}
