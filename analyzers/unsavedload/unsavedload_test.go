package unsavedload_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/mapguard/mapguard/analyzers/unsavedload"
)

func TestSeed(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), unsavedload.Analyzer, "seed")
}

// TestPositives covers each way of loading (files, decoders, lines, rows,
// helpers) and each place a map can be (a variable, a field of a
// package-level value or pointer).
func TestPositives(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), unsavedload.Analyzer, "cmdpos")
}

// TestNegatives checks that maps saved after they change, and look-alikes,
// stay silent.
func TestNegatives(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), unsavedload.Analyzer, "cmdneg")
}

// TestNegativesWithoutTheirSaves runs the negatives again with every line
// marked "// saves it" removed: each map must then be reported, as its
// "// twin:" comment says. This proves that each negative is silent
// because of its save, not by accident.
func TestNegativesWithoutTheirSaves(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(analysistest.TestData(), "src", "cmdneg")
	dst := filepath.Join(dir, "src", "cmdneg")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(src, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no negatives to copy: %v", err)
	}
	dropped, twins := 0, 0
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
	if dropped == 0 || twins == 0 {
		t.Fatalf("the negatives have %d saves marked and %d twins: the markers are gone", dropped, twins)
	}
	analysistest.Run(t, dir, unsavedload.Analyzer, "cmdneg")
}

// TestSaveTooEarly: a save that runs only before serving, or that is
// deferred in a main that never returns, is no save.
func TestSaveTooEarly(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), unsavedload.Analyzer, "earlysave", "fatalmain")
}

// TestLibraries: in a package without main, exported functions change the
// maps at any time; an exported save counts as a save.
func TestLibraries(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), unsavedload.Analyzer, "libpos", "libneg")
}

// TestHelpersInAnotherPackage: loads, changes and saves done by helpers of
// another package are known from their facts.
func TestHelpersInAnotherPackage(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), unsavedload.Analyzer, "example.com/storage", "usestorage")
}
