package report_test

import (
	"go/ast"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/mapguard/mapguard/internal/analysis/report"
)

// testcheck reports every call of a function named bad through report.
var testcheck = &analysis.Analyzer{
	Name: "testcheck",
	Doc:  "testcheck: report calls of bad",
	Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "bad" {
						report.Reportf(pass, call, "call of bad.\n  second line.")
					}
				}
				return true
			})
		}
		return nil, nil
	},
}

func TestReport(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), testcheck, "r")
	var withoutReason int
	for _, r := range results {
		for _, d := range r.Diagnostics {
			if d.Category != "testcheck" {
				t.Errorf("category = %q, want the check's name", d.Category)
			}
			if want := "call of bad. second line"; d.Message != want {
				t.Errorf("message = %q, want %q: one line, no final period", d.Message, want)
			}
			for _, rel := range d.Related {
				if strings.Contains(rel.Message, "needs a reason") {
					withoutReason++
				}
			}
		}
	}
	if withoutReason != 1 {
		t.Errorf("%d findings point at an ignore directive without a reason, want 1", withoutReason)
	}
}

func TestParseDirective(t *testing.T) {
	for _, tc := range []struct {
		text   string
		checks string
		reason string
		ok     bool
	}{
		{"//mapguard:ignore syncmarshal snapshot taken by caller", "syncmarshal", "snapshot taken by caller", true},
		{"//mapguard:ignore a,b why", "a,b", "why", true},
		{"//mapguard:ignore iterdelete", "iterdelete", "", true},
		{"//mapguard:ignore", "", "", false},
		{"//mapguard:ignored x y", "", "", false},
		{"// mapguard:ignore x y", "", "", false},
	} {
		checks, reason, ok := report.ParseDirective(tc.text)
		if ok != tc.ok || strings.Join(checks, ",") != tc.checks || reason != tc.reason {
			t.Errorf("ParseDirective(%q) = %q, %q, %v; want %q, %q, %v", tc.text, checks, reason, ok, tc.checks, tc.reason, tc.ok)
		}
	}
}
