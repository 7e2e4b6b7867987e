package syncmarshal_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/mapguard/mapguard/analyzers/syncmarshal"
)

func TestSyncMarshal(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), syncmarshal.Analyzer, "a")
}

func TestWrappersAcrossPackages(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), syncmarshal.Analyzer, "wrap", "b")
}
