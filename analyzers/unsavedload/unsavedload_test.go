package unsavedload_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/mapguard/mapguard/analyzers/unsavedload"
)

func TestSeed(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), unsavedload.Analyzer, "seed", "cmdpos")
	for _, r := range results {
		for _, d := range r.Diagnostics {
			fmt.Println(r.Pass.Fset.Position(d.Pos), d.Message)
			for _, rel := range d.Related {
				p := r.Pass.Fset.Position(rel.Pos)
				fmt.Printf("\t%s:%d: %s\n", filepath.Base(p.Filename), p.Line, rel.Message)
			}
		}
	}
	_ = strings.Join
}
