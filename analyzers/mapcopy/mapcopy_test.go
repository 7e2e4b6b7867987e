package mapcopy_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/mapguard/mapguard/analyzers/mapcopy"
	"github.com/mapguard/mapguard/internal/dev/fixtest"
)

func TestMapCopy(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), mapcopy.Analyzer, "a")
}

func TestTypesOfAnotherPackage(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), mapcopy.Analyzer, "settings", "remote")
}

func TestFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), mapcopy.Analyzer, "fix")
}

// TestFixedCodeCompiles type-checks the golden files: a fix must leave code
// that builds.
func TestFixedCodeCompiles(t *testing.T) {
	fixtest.GoldenCompiles(t, filepath.Join(analysistest.TestData(), "src", "fix"))
}
