package lostwrite_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/mapguard/mapguard/analyzers/lostwrite"
	"github.com/mapguard/mapguard/analyzers/mapcopy"
	"github.com/mapguard/mapguard/internal/dev/fixtest"
)

func TestLostWrite(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), lostwrite.Analyzer, "a")
}

// Pointer methods of another package mutate their receiver by its facts.
func TestMethodsOfAnotherPackage(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), lostwrite.Analyzer, "payroll")
}

func TestFixes(t *testing.T) {
	fixtest.Run(t, lostwrite.Analyzer, "fix")
}

// mapcopy owns map fields and lostwrite the rest: on a package with both
// kinds of writes to the same copies, each line the other check leaves alone
// is reported by the check its comment names, and no line by both.
func TestNoLineReportedByBothChecks(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(analysistest.TestData(), "src", "both", "both.go"))
	if err != nil {
		t.Fatal(err)
	}
	want := make(map[int]string) // line -> check
	for i, line := range strings.Split(string(src), "\n") {
		for _, check := range []string{"mapcopy", "lostwrite"} {
			if strings.HasSuffix(line, "// "+check) {
				want[i+1] = check
			}
		}
	}
	if len(want) == 0 {
		t.Fatal("both.go names no expected finding: the test checks nothing")
	}
	got := make(map[int]string)
	for _, a := range []*analysis.Analyzer{mapcopy.Analyzer, lostwrite.Analyzer} {
		// The package has no want comments: the findings are checked here.
		results := analysistest.Run(new(ignoreErrors), analysistest.TestData(), a, "both")
		for _, r := range results {
			for _, d := range r.Diagnostics {
				line := r.Pass.Fset.Position(d.Pos).Line
				if other, dup := got[line]; dup {
					t.Errorf("line %d reported by %s and %s", line, other, a.Name)
				}
				got[line] = a.Name
			}
		}
	}
	for line, check := range want {
		if got[line] != check {
			t.Errorf("line %d: reported by %q, want %s", line, got[line], check)
		}
	}
	for line, check := range got {
		if want[line] == "" {
			t.Errorf("line %d: unexpected finding of %s", line, check)
		}
	}
}

// ignoreErrors drops analysistest's complaints about findings without a
// want comment.
type ignoreErrors struct{}

func (ignoreErrors) Errorf(string, ...any) {}
