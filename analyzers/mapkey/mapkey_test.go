package mapkey_test

import (
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
	fixtest.Run(t, mapkey.Analyzer, "fix")
}
