package poolcopy_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/copylock"

	"github.com/mapguard/mapguard/analyzers/poolcopy"
	"github.com/mapguard/mapguard/internal/dev/fixtest"
)

// withCopylocks sets the analyzer's withcopylocks flag for the test: the
// testdata of a, b, fix and syncx expects the copies copylocks reports to be
// left to it.
func withCopylocks(t *testing.T, on bool) {
	t.Helper()
	f := poolcopy.Analyzer.Flags.Lookup(poolcopy.WithCopylocks)
	if f == nil {
		t.Fatalf("poolcopy has no %s flag", poolcopy.WithCopylocks)
	}
	old := f.Value.String()
	if err := f.Value.Set(strconv.FormatBool(on)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Value.Set(old) })
}

func TestPoolCopy(t *testing.T) {
	withCopylocks(t, true)
	analysistest.Run(t, analysistest.TestData(), poolcopy.Analyzer, "a")
}

// syncx exports facts about its generic getters; b uses them.
func TestAcrossPackages(t *testing.T) {
	withCopylocks(t, true)
	analysistest.Run(t, analysistest.TestData(), poolcopy.Analyzer, "syncx", "b")
}

func TestFixes(t *testing.T) {
	withCopylocks(t, true)
	fixtest.Run(t, poolcopy.Analyzer, "fix")
}

// By default copylocks is not assumed to run: the copies it would report
// are reported too.
func TestStandaloneReportsCopylocksShapes(t *testing.T) {
	if f := poolcopy.Analyzer.Flags.Lookup(poolcopy.WithCopylocks); f == nil || f.DefValue != "false" {
		t.Fatalf("the %s flag must default to false", poolcopy.WithCopylocks)
	}
	withCopylocks(t, false)
	analysistest.Run(t, analysistest.TestData(), poolcopy.Analyzer, "standalone")
}

// ignoreExpectations stands in for t when copylocks runs on testdata whose
// // want comments are poolcopy's.
type ignoreExpectations struct{}

func (ignoreExpectations) Errorf(string, ...any) {}

// With withcopylocks, the check reports only copies that go vet's
// copylocks does not: on the same testdata the two never report the same
// line, and copylocks reports exactly the lines of a/negatives.go marked
// "copylocks reports this" (the copies poolcopy leaves to it).
func TestNoOverlapWithCopylocks(t *testing.T) {
	withCopylocks(t, true)
	dir := analysistest.TestData()
	pkgs := []string{"a", "b", "fix", "syncx"}
	ours := reportedLines(analysistest.Run(ignoreExpectations{}, dir, poolcopy.Analyzer, pkgs...))
	theirs := reportedLines(analysistest.Run(ignoreExpectations{}, dir, copylock.Analyzer, pkgs...))
	if len(ours) < 30 {
		t.Fatalf("poolcopy reported %d lines; the testdata has more positives than that", len(ours))
	}
	for line, msg := range ours {
		if other, ok := theirs[line]; ok {
			t.Errorf("%s: both report it:\n\tpoolcopy: %s\n\tcopylocks: %s", line, msg, other)
		}
	}

	negatives := filepath.Join(dir, "src", "a", "negatives.go")
	marked := markedLines(t, negatives, "// copylocks reports this")
	if len(marked) == 0 {
		t.Fatal("no marked lines in negatives.go")
	}
	for _, line := range marked {
		if _, ok := theirs[line]; !ok {
			t.Errorf("%s is marked, but copylocks does not report it", line)
		}
	}
	for line, msg := range theirs {
		if strings.HasPrefix(line, negatives+":") && !contains(marked, line) {
			t.Errorf("%s: copylocks reports %q: mark the line", line, msg)
		}
	}
}

func reportedLines(results []*analysistest.Result) map[string]string {
	lines := make(map[string]string)
	for _, r := range results {
		if r.Pass == nil {
			continue
		}
		for _, d := range r.Diagnostics {
			lines[position(r.Pass, d)] = d.Message
		}
	}
	return lines
}

func position(pass *analysis.Pass, d analysis.Diagnostic) string {
	p := pass.Fset.Position(d.Pos)
	return fmt.Sprintf("%s:%d", p.Filename, p.Line)
}

func markedLines(t *testing.T, file, marker string) []string {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	s := bufio.NewScanner(f)
	for n := 1; s.Scan(); n++ {
		if strings.HasSuffix(s.Text(), marker) {
			lines = append(lines, fmt.Sprintf("%s:%d", file, n))
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
