package mapkey_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/mapguard/mapguard/analyzers/mapkey"
	"github.com/mapguard/mapguard/internal/dev/fixtest"
)

func TestMapKey(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), mapkey.Analyzer, "a")
}

func TestWrappersAcrossPackages(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), mapkey.Analyzer, "cache", "b")
}

func TestFixByteSliceKeys(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), mapkey.Analyzer, "fix")
}

// TestFixedCodeCompiles type-checks the golden files: a fix must leave code
// that builds.
func TestFixedCodeCompiles(t *testing.T) {
	fixtest.GoldenCompiles(t, filepath.Join(analysistest.TestData(), "src", "fix"))
}
