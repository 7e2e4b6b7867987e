package mapcopy_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/mapguard/mapguard/analyzers/mapcopy"
)

func TestMapCopy(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), mapcopy.Analyzer, "a")
}

func TestTypesOfAnotherPackage(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), mapcopy.Analyzer, "settings", "remote")
}

func TestFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), mapcopy.Analyzer, "fixes")
}
