package iterdelete_test

import (
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
	fixtest.Run(t, iterdelete.Analyzer, "fixlists")
}

func TestSliceFixes(t *testing.T) {
	fixtest.Run(t, iterdelete.Analyzer, "fixslices")
}
