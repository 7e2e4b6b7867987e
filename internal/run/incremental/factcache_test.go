package incremental

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/objectpath"

	"github.com/mapguard/mapguard/analyzers"
)

// TestFactCacheAcrossSessions: a second session's first load takes the
// facts of the standard library's packages from the facts cache the first
// session filled, instead of analyzing them, and gets the same facts and
// the same findings.
func TestFactCacheAcrossSessions(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the dependencies of a package twice with every check")
	}
	dir := writeModule(t, map[string]string{"go.mod": gomod, "wrap/wrap.go": wrapper, "store/store.go": store})
	storeFile := filepath.Join(dir, "store", "store.go")
	cache := t.TempDir()
	var as []*analysis.Analyzer
	for _, c := range analyzers.All() {
		as = append(as, c.Analyzer)
	}
	session := func() (*Workspace, *Report) {
		w, err := New(Config{Analyzers: as, Tests: true, Env: append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod"), FactCache: cache})
		if err != nil {
			t.Fatal(err)
		}
		return w, check(t, w, []string{storeFile}, nil)
	}
	w1, rep1 := session()
	if rep1.FromCache != 0 {
		t.Errorf("first session: %d packages from an empty cache", rep1.FromCache)
	}
	w2, rep2 := session()
	if rep2.FromCache < 10 || rep2.FromCache >= rep2.Checked {
		t.Errorf("second session: %d of %d packages from the cache; want the standard library's, and not the module's", rep2.FromCache, rep2.Checked)
	}
	t.Logf("first load: %v without the cache, %v with it (%d of %d packages from it)", rep1.Elapsed, rep2.Elapsed, rep2.FromCache, rep2.Checked)
	if got, want := strings.Join(messages(rep2), "\n"), strings.Join(messages(rep1), "\n"); got != want || want == "" {
		t.Errorf("second session's findings:\n%s\nwant:\n%s", got, want)
	}
	total := 0
	for id, p2 := range w2.pkgs {
		if !p2.cached {
			continue
		}
		p1 := w1.pkgs[id]
		got, want := factStrings(t, p2), factStrings(t, p1)
		if !slices.Equal(got, want) {
			t.Errorf("%s: facts from the cache\n%s\nwant\n%s", id, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		total += len(got)
	}
	if total == 0 {
		t.Errorf("no facts came from the cache: the comparison proves nothing")
	}

	// A damaged file is a miss, not an error.
	entries, _ := filepath.Glob(filepath.Join(cache, "*", "*-f"))
	for _, e := range entries {
		os.WriteFile(e, []byte("not gob"), 0o644)
	}
	_, rep3 := session()
	if rep3.FromCache != 0 || strings.Join(messages(rep3), "\n") != strings.Join(messages(rep1), "\n") {
		t.Errorf("damaged cache: %d from the cache, findings %v", rep3.FromCache, messages(rep3))
	}
}

// factStrings lists p's facts as "check object fact", sorted.
func factStrings(t *testing.T, p *pkg) []string {
	t.Helper()
	var out []string
	for a, fs := range p.facts {
		for _, f := range fs.packages {
			out = append(out, fmt.Sprintf("%s package %s", a.Name, f))
		}
		for k, f := range fs.objects {
			path, err := objectpath.For(k.obj)
			if err != nil {
				t.Fatalf("%s: %v", p.id, err)
			}
			out = append(out, fmt.Sprintf("%s %s %s", a.Name, path, f))
		}
	}
	slices.Sort(out)
	return out
}
