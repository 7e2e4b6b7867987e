package driver

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/internal/analysis/scope"
)

type someFact struct{}

func (*someFact) AFact() {}

// TestSkipReportsOnDependencies: on a unit checked for its facts alone, a
// check that only reports does nothing; one that exports facts, and one
// another check requires, still run, and scope.FactsOnly tells the first
// to stop after its facts. On a unit checked in full all run.
func TestSkipReportsOnDependencies(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		vetxOnly bool
		want     []string
	}{
		{true, []string{"facts", "needed"}},
		{false, []string{"facts", "needed", "reporter", "user"}},
	} {
		var ran []string
		runs := func(name string) func(*analysis.Pass) (any, error) {
			return func(*analysis.Pass) (any, error) {
				ran = append(ran, name)
				return nil, nil
			}
		}
		needed := &analysis.Analyzer{Name: "needed", Doc: "needed", Run: runs("needed")}
		facts := &analysis.Analyzer{Name: "facts", Doc: "facts", Run: runs("facts"), FactTypes: []analysis.Fact{new(someFact)}}
		reporter := &analysis.Analyzer{Name: "reporter", Doc: "reporter", Run: runs("reporter"), Requires: []*analysis.Analyzer{facts}}
		user := &analysis.Analyzer{Name: "user", Doc: "user", Run: runs("user"), Requires: []*analysis.Analyzer{needed}}
		as := []*analysis.Analyzer{facts, needed, reporter, user}

		cfg := filepath.Join(dir, "unit.cfg")
		body := `{"ID":"p","ImportPath":"p","GoFiles":["p.go"],"VetxOnly":false}`
		if tc.vetxOnly {
			body = `{"ID":"p","ImportPath":"p","GoFiles":["p.go"],"VetxOnly":true}`
		}
		if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		SkipReportsOnDependencies(as, []string{"-json", cfg})
		if scope.FactsOnly() != tc.vetxOnly {
			t.Errorf("VetxOnly=%t: scope.FactsOnly() = %t", tc.vetxOnly, scope.FactsOnly())
		}
		for _, a := range as {
			a.Run(nil)
		}
		if !reflect.DeepEqual(ran, tc.want) {
			t.Errorf("VetxOnly=%t: ran %v, want %v", tc.vetxOnly, ran, tc.want)
		}
	}
}
