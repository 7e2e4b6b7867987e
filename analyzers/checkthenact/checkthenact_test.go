package checkthenact_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/mapguard/mapguard/analyzers/checkthenact"
	"github.com/mapguard/mapguard/internal/dev/fixtest"
)

func TestCheckThenAct(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), checkthenact.Analyzer, "a")
}

func TestFixes(t *testing.T) {
	fixtest.Run(t, checkthenact.Analyzer, "fix")
}
