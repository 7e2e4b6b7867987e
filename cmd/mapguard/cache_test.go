package main_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// checkedUnits returns the units a run with MAPGUARD_DEBUG=cache says it
// checked (did not replay from the result cache), and its output without
// those lines.
func checkedUnits(t *testing.T, r result) (checked []string, rest string) {
	t.Helper()
	var kept []string
	replayed := regexp.MustCompile(`^mapguard: cache: \d+ of \d+ units replayed$`)
	for _, line := range strings.SplitAfter(r.stderr, "\n") {
		if id, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "mapguard: cache: checked "); ok {
			checked = append(checked, id)
			continue
		}
		if replayed.MatchString(strings.TrimSuffix(line, "\n")) {
			continue
		}
		kept = append(kept, line)
	}
	slices.Sort(checked)
	return checked, strings.Join(kept, "")
}

// TestResultCache runs the standalone command three times on a copy of the
// bugs module with one result cache: a second run replays every unit, an
// edit re-checks the edited package and its importers only, and the
// replayed results, facts across packages included (the Dump finding needs
// jsonutil's facts), equal a run without the cache.
func TestResultCache(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, module("bugs"), dir)
	cache := filepath.Join(t.TempDir(), "cache")
	run := func(cacheSetting string, args ...string) result {
		t.Helper()
		t.Setenv("MAPGUARD_CACHE", cacheSetting)
		t.Setenv("MAPGUARD_DEBUG", "cache")
		r := mapguard(t, dir, args...)
		noCrash(t, r)
		return r
	}

	for _, args := range [][]string{{"./..."}, {"-json", "./..."}} {
		fresh := run("off", args...)
		_, want := checkedUnits(t, fresh)
		if fresh.code != 3 || !strings.Contains(want+fresh.stdout, "(via Write)") {
			t.Fatalf("mapguard %v without cache: exit %d\n%s%s", args, fresh.code, fresh.stdout, want)
		}

		first := run(cache, args...)
		second := run(cache, args...)
		checked, _ := checkedUnits(t, second)
		if len(checked) != 0 {
			t.Errorf("mapguard %v: second run checked %v again, want every unit replayed", args, checked)
		}
		for i, r := range []result{first, second} {
			_, out := checkedUnits(t, r)
			if r.code != fresh.code || out != want || r.stdout != fresh.stdout {
				t.Errorf("mapguard %v: run %d with the cache: exit %d\n%s%s\nwant exit %d\n%s%s", args, i+1, r.code, r.stdout, out, fresh.code, fresh.stdout, want)
			}
		}
	}

	edit := func(file, text string) {
		t.Helper()
		name := filepath.Join(dir, file)
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, append(b, text...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, step := range []struct {
		file, text string
		want       []string
	}{
		// A comment in the importer: only it is checked again, with the
		// facts of jsonutil from the cache.
		{"store/store.go", "\n// A comment.\n", []string{"example.com/bugs/store"}},
		// A new function in the leaf changes its facts file: it and its
		// importer are checked again, the other package is not.
		{"jsonutil/jsonutil.go", "\n// Flush does nothing.\nfunc Flush() {}\n", []string{"example.com/bugs/jsonutil", "example.com/bugs/store"}},
	} {
		edit(step.file, step.text)
		fresh := run("off", "./...")
		r := run(cache, "./...")
		checked, out := checkedUnits(t, r)
		if !slices.Equal(checked, step.want) {
			t.Errorf("after editing %s: checked %v, want %v", step.file, checked, step.want)
		}
		if _, want := checkedUnits(t, fresh); r.code != fresh.code || out != want {
			t.Errorf("after editing %s: exit %d\n%s\nwant exit %d\n%s", step.file, r.code, out, fresh.code, want)
		}
	}
}

// TestNamedAfterDependency: go vet's cache does not tell a unit checked as
// a dependency, for its facts, from the same unit checked as a named
// package. A package of another module (replaced by a directory here) is
// first checked as a dependency of ./app, then named: its finding must
// still be reported, which takes a run without go vet's cache.
func TestNamedAfterDependency(t *testing.T) {
	dir := module("replaced")
	t.Setenv("MAPGUARD_CACHE", filepath.Join(t.TempDir(), "cache"))
	gocache := t.TempDir()
	if r := runWithCache(t, gocache, dir, binary, "./app"); r.code != 0 {
		t.Fatalf("mapguard ./app: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	const want = "ext/ext.go:14:62: json.Marshal encodes field Registry.Names (sync.Map) as {}"
	for i := range 2 {
		r := runWithCache(t, gocache, dir, binary, "example.com/ext")
		noCrash(t, r)
		if r.code != 3 || !strings.Contains(r.stderr, want) {
			t.Errorf("mapguard example.com/ext, run %d after ./app: exit %d\n%s\nwant 3 and %s", i+1, r.code, r.stderr, want)
		}
	}
}
