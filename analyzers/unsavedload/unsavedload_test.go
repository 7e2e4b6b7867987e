package unsavedload_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/mapguard/mapguard/analyzers/unsavedload"
)

// The test packages, loaded once:
//
//   - seed: the story of the seed article, as it was written.
//   - cmdpos: a program with one map per way of loading (files, decoders,
//     lines, rows, helpers, sync.Once) and per place a map can be (a
//     variable, a field of a package-level value or pointer, a generic
//     wrapper, an embedded map), changed by handlers, goroutines and an RPC
//     method.
//   - cmdneg: look-alikes that must stay silent (saved after the changes,
//     or not lost state).
//   - earlysave, fatalmain: a save that runs only before serving, or that
//     is deferred in a main that never returns, is no save.
//   - libpos, libneg: libraries, whose exported functions run at any time.
//   - libreq: a library whose exported handlers serve requests, and whose
//     own state file is changed through its API (Enroll, Retire).
//   - example.com/storage, usestorage: helpers of another package that
//     load, change and save the maps they are handed, known from facts.
//   - shortener: a service written the usual way, that saves every map.
//   - odd: unusual code (recursion, goto, method values and expressions,
//     pointers to pointers, arrays of maps) that must not crash the check.
var packages = []string{
	"seed", "cmdpos", "cmdneg", "earlysave", "fatalmain", "libpos", "libneg",
	"example.com/storage", "usestorage", "shortener", "odd", "libreq",
}

func TestAnalyzer(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), unsavedload.Analyzer, packages...)
	t.Run("notes", func(t *testing.T) { checkNotes(t, results) })
}

// checkNotes checks the related information of findings, which // want
// comments do not see: the run-time changes, and why the save that exists
// does not count.
func checkNotes(t *testing.T, results []*analysistest.Result) {
	want := map[string][]string{
		"seed.cache": {
			"seed.go:37: cache changed here at run time, in handleIncr",
			"seed.go:42: cache deleted from here at run time, in handleDrop",
			"seed.go:25: saveCache is defined but never called",
		},
		"earlysave.prefs": {
			"earlysave.go:48: prefs changed here at run time, in handlePrefs",
			"earlysave.go:44: savePrefs runs only here, during start-up, before anything changes prefs",
		},
		"earlysave.limits": {
			"earlysave.go:52: limits deleted from here at run time, in handleLimits",
			"earlysave.go:57: saveLimits runs only here, during start-up, before anything changes limits",
		},
		"fatalmain.visits": {
			"fatalmain.go:28: visits changed here at run time, in handleVisit",
			"fatalmain.go:39: saveVisits is deferred here, but main never returns: os.Exit and log.Fatal skip deferred calls",
		},
		"usestorage.viaSave": {
			"usestorage.go:62: viaSave changed here at run time, in handle",
			"usestorage.go:52: saveViaSave is defined but never called",
		},
		"cmdpos.orders": {
			"shapes.go:101: orders deleted from here at run time, in orderServer.Cancel",
		},
	}
	got := make(map[string][]string)
	for _, r := range results {
		for _, d := range r.Diagnostics {
			name, _, _ := strings.Cut(d.Message, " ")
			var notes []string
			for _, rel := range d.Related {
				p := r.Pass.Fset.Position(rel.Pos)
				notes = append(notes, fmt.Sprintf("%s:%d: %s", filepath.Base(p.Filename), p.Line, rel.Message))
			}
			got[r.Pass.Pkg.Path()+"."+name] = notes
		}
	}
	for name, notes := range want {
		if !slices.Equal(got[name], notes) {
			t.Errorf("notes of %s:\n got  %q\n want %q", name, got[name], notes)
		}
	}
}

// TestNegativesWithoutTheirSaves runs packages with silent maps again
// with every line marked "// saves it" removed: each map must then be
// reported, as its "// twin:" comment says. This proves that each negative
// is silent because of its save, not by accident.
func TestNegativesWithoutTheirSaves(t *testing.T) {
	dir := t.TempDir()
	for _, pkg := range []string{"cmdneg", "usestorage", "example.com/storage", "shortener"} {
		dropped, twins := copyWithoutSaves(t, pkg, dir)
		if pkg != "example.com/storage" && (dropped == 0 || twins == 0) {
			t.Fatalf("%s has %d saves marked and %d twins: the markers are gone", pkg, dropped, twins)
		}
	}
	analysistest.Run(t, dir, unsavedload.Analyzer, "cmdneg", "usestorage", "shortener")
}

// copyWithoutSaves copies the test package pkg under dir/src, dropping the
// lines that end in "// saves it" and turning "// twin:" into "// want".
func copyWithoutSaves(t *testing.T, pkg, dir string) (dropped, twins int) {
	t.Helper()
	src := filepath.Join(analysistest.TestData(), "src", pkg)
	dst := filepath.Join(dir, "src", pkg)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(src, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no files to copy in %s: %v", src, err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasSuffix(line, "// saves it") {
				dropped++
				continue
			}
			if strings.Contains(line, "// twin: ") {
				twins++
				line = strings.Replace(line, "// twin: ", "// want ", 1)
			}
			out = append(out, line)
		}
		if err := os.WriteFile(filepath.Join(dst, filepath.Base(f)), []byte(strings.Join(out, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dropped, twins
}
