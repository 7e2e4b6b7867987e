package syncmapload_test

import (
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
	fixtest.Run(t, syncmapload.Analyzer, "fix")
}
