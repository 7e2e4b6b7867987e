package graph_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/mapguard/mapguard/internal/analysis/graph"
)

func TestReach(t *testing.T) {
	// a → b → c → a (a cycle), d → a; e alone.
	edges := map[string][]string{"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
	expanded := make(map[string]int)
	next := func(n string, add func(string)) {
		expanded[n]++
		for _, m := range edges[n] {
			add(m)
		}
	}
	for _, tt := range []struct {
		from []string
		want []string
	}{
		{[]string{"a"}, []string{"a", "b", "c"}},
		{[]string{"d"}, []string{"a", "b", "c", "d"}},
		{[]string{"e", "c"}, []string{"a", "b", "c", "e"}},
		{nil, nil},
	} {
		clear(expanded)
		got := slices.Sorted(maps.Keys(graph.Reach(slices.Values(tt.from), next)))
		if !slices.Equal(got, tt.want) {
			t.Errorf("Reach(%v) = %v, want %v", tt.from, got, tt.want)
		}
		for n, times := range expanded {
			if times != 1 {
				t.Errorf("Reach(%v) expanded %s %d times", tt.from, n, times)
			}
		}
	}
}
