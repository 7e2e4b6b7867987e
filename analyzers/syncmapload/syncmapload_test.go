package syncmapload_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/mapguard/mapguard/analyzers/syncmapload"
	"github.com/mapguard/mapguard/internal/dev/fixtest"
)

func TestSyncMapLoad(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), syncmapload.Analyzer, "a")
}

func TestWrappersAcrossPackages(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), syncmapload.Analyzer, "lookup", "b")
}

func TestFixReturnsZeroWhenMissing(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), syncmapload.Analyzer, "fix")
}

// TestFixedCodeCompiles type-checks the golden files: a fix must leave code
// that builds.
func TestFixedCodeCompiles(t *testing.T) {
	fixtest.GoldenCompiles(t, filepath.Join(analysistest.TestData(), "src", "fix"))
}
