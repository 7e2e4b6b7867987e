package maprace_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/mapguard/mapguard/analyzers/maprace"
)

func TestMapRace(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), maprace.Analyzer, "a")
}

func TestMapOfAnotherPackage(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), maprace.Analyzer, "b")
}

func TestGRPCMethods(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), maprace.Analyzer, "svc")
}
