package mutators_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/mapguard/mapguard/internal/analysis/mutators"
)

// The facts say which exported methods mutate their receiver without
// leaking it, in the package and through other packages' facts.
func TestFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), mutators.Analyzer, "bank", "user")
}
