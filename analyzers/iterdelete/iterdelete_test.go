package iterdelete_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/mapguard/mapguard/analyzers/iterdelete"
	"github.com/mapguard/mapguard/internal/dev/fixtest"
)

func TestLists(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), iterdelete.Analyzer, "lists")
}

func TestSlices(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), iterdelete.Analyzer, "slicedel")
}

func TestMaps(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), iterdelete.Analyzer, "mapins")
}

func TestHelpersAcrossPackages(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), iterdelete.Analyzer, "lru", "lruuser")
}

func TestListFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), iterdelete.Analyzer, "fixlists")
}

func TestSliceFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), iterdelete.Analyzer, "fixslices")
}

// TestFixedCodeCompiles type-checks the golden files: a fix must leave code
// that builds.
func TestFixedCodeCompiles(t *testing.T) {
	fixtest.GoldenCompiles(t, filepath.Join(analysistest.TestData(), "src", "fixlists"))
	fixtest.GoldenCompiles(t, filepath.Join(analysistest.TestData(), "src", "fixslices"))
}
