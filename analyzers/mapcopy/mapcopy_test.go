package mapcopy_test

import (
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
	fixtest.Run(t, mapcopy.Analyzer, "fix")
}
