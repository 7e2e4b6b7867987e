package unboundedmap_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/mapguard/mapguard/analyzers/unboundedmap"
)

func TestServer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), unboundedmap.Analyzer, "web")
}

func TestExportedMemos(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), unboundedmap.Analyzer, "lib", "command", "intern")
}
