package lostwrite_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/mapguard/mapguard/analyzers/lostwrite"
)

func TestLostWrite(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), lostwrite.Analyzer, "a")
}

// Pointer methods of another package mutate their receiver by its facts.
func TestMethodsOfAnotherPackage(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), lostwrite.Analyzer, "payroll")
}

func TestFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), lostwrite.Analyzer, "fixes")
}
