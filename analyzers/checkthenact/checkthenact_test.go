package checkthenact_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/mapguard/mapguard/analyzers/checkthenact"
	"github.com/mapguard/mapguard/internal/dev/fixtest"
)

func TestCheckThenAct(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), checkthenact.Analyzer, "a")
}

func TestFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), checkthenact.Analyzer, "fix")
}

// TestFixedCodeCompiles type-checks the golden files: a fix must leave code
// that builds.
func TestFixedCodeCompiles(t *testing.T) {
	fixtest.GoldenCompiles(t, filepath.Join(analysistest.TestData(), "src", "fix"))
}
