package driver

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/internal/analysis/report"
	"github.com/mapguard/mapguard/internal/dev/sariftest"
	"github.com/mapguard/mapguard/internal/run/guard"
)

// documented reports calls of old, with the declaration of old as a related
// position and a fix renaming the call, and has a doc with a body and a URL:
// every part of the SARIF log is exercised.
var documented = &analysis.Analyzer{
	Name: "documented",
	Doc:  "documented: report calls of old\n\nCalls of old lose data.\n\n# Fix\n\nCall renamed instead.\n",
	URL:  "https://example.com/documented",
	Run: guard.Run(func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				id, ok := call.Fun.(*ast.Ident)
				if !ok || id.Name != "old" || pass.TypesInfo.Uses[id] == nil {
					return true
				}
				report.Report(pass, analysis.Diagnostic{
					Pos: id.Pos(), End: call.End(), Message: "old loses data",
					Related: []analysis.RelatedInformation{report.RelatedAt(pass.TypesInfo.Uses[id].Pos(), "old is declared here")},
					SuggestedFixes: []analysis.SuggestedFix{{
						Message:   "call renamed",
						TextEdits: []analysis.TextEdit{{Pos: id.Pos(), End: id.End(), NewText: []byte("renamed")}},
					}},
				})
				return true
			})
		}
		return nil, nil
	}),
}

// sarifLog is the part of a SARIF log the tests look at.
type sarifLog struct {
	Version string
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name, InformationURI string
				Rules                []struct {
					ID               string
					ShortDescription struct{ Text string }
					Help             struct{ Text, Markdown string }
					HelpURI          string
				}
			}
		}
		OriginalURIBaseIDs map[string]struct{ URI string } `json:"originalUriBaseIds"`
		ColumnKind         string
		Invocations        []struct{ ExecutionSuccessful bool }
		Results            []struct {
			RuleID    string
			RuleIndex int
			Level     string
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation sarifPhysical
			}
			RelatedLocations []struct {
				ID               int
				Message          struct{ Text string }
				PhysicalLocation sarifPhysical
			}
			Fixes []struct {
				Description     struct{ Text string }
				ArtifactChanges []struct {
					ArtifactLocation sarifArtifact
					Replacements     []struct {
						DeletedRegion   sarifRegion
						InsertedContent struct{ Text string }
					}
				}
			}
		}
	}
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact
	Region           sarifRegion
}

type sarifArtifact struct {
	URI       string
	URIBaseID string `json:"uriBaseId"`
}

type sarifRegion struct {
	StartLine, StartColumn, EndLine, EndColumn int
}

func TestSARIFLog(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(&Options{Patterns: []string{"./testdata/sarif"}, SARIF: true}, []*analysis.Analyzer{documented}, &stdout, &stderr)
	if code != ExitFindings {
		t.Errorf("exit code %d, want %d\n%s", code, ExitFindings, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr is not empty: %s", stderr.String())
	}
	if err := sariftest.Validate(stdout.Bytes()); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}

	var log sarifLog
	if err := json.Unmarshal(stdout.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q with %d runs, want 2.1.0 with 1", log.Version, len(log.Runs))
	}
	r := log.Runs[0]
	d := r.Tool.Driver
	if d.Name != "mapguard" || d.InformationURI != "https://github.com/mapguard/mapguard" {
		t.Errorf("tool %q at %q", d.Name, d.InformationURI)
	}
	if len(d.Rules) != 1 {
		t.Fatalf("%d rules, want 1", len(d.Rules))
	}
	rule := d.Rules[0]
	if rule.ID != "documented" || rule.ShortDescription.Text != "report calls of old" || rule.HelpURI != "https://example.com/documented" {
		t.Errorf("rule = %+v", rule)
	}
	if !strings.Contains(rule.Help.Text, "Calls of old lose data.") || !strings.Contains(rule.Help.Markdown, "## Fix") {
		t.Errorf("help does not carry the check's doc: %+v", rule.Help)
	}
	wd, _ := os.Getwd()
	if base := r.OriginalURIBaseIDs["%SRCROOT%"].URI; base != "file://"+filepath.ToSlash(wd)+"/" {
		t.Errorf("%%SRCROOT%% = %q, want the working directory", base)
	}
	if r.ColumnKind != "utf16CodeUnits" || len(r.Invocations) != 1 || !r.Invocations[0].ExecutionSuccessful {
		t.Errorf("columnKind %q, invocations %+v", r.ColumnKind, r.Invocations)
	}

	if len(r.Results) != 1 {
		t.Fatalf("%d results, want 1", len(r.Results))
	}
	res := r.Results[0]
	if res.RuleID != "documented" || res.RuleIndex != 0 || res.Level != "warning" || res.Message.Text != "old loses data" {
		t.Errorf("result %s #%d %s %q", res.RuleID, res.RuleIndex, res.Level, res.Message.Text)
	}
	file := sarifArtifact{URI: "testdata/sarif/s.go", URIBaseID: "%SRCROOT%"}
	// Line 6 is `\t_ = []any{"héllo 𝄞", old()}`: old starts at byte column
	// 27 but UTF-16 column 24 (é is 2 bytes and 1 unit, 𝄞 4 bytes and 2).
	want := sarifPhysical{ArtifactLocation: file, Region: sarifRegion{StartLine: 6, StartColumn: 24, EndLine: 6, EndColumn: 29}}
	if len(res.Locations) != 1 || res.Locations[0].PhysicalLocation != want {
		t.Errorf("locations %+v, want %+v", res.Locations, want)
	}
	related := sarifPhysical{ArtifactLocation: file, Region: sarifRegion{StartLine: 3, StartColumn: 6}}
	if len(res.RelatedLocations) != 1 || res.RelatedLocations[0].PhysicalLocation != related ||
		res.RelatedLocations[0].ID != 1 || res.RelatedLocations[0].Message.Text != "old is declared here" {
		t.Errorf("related locations %+v, want one at %+v", res.RelatedLocations, related)
	}
	if len(res.Fixes) != 1 || len(res.Fixes[0].ArtifactChanges) != 1 || len(res.Fixes[0].ArtifactChanges[0].Replacements) != 1 {
		t.Fatalf("fixes %+v, want one with one replacement", res.Fixes)
	}
	fix := res.Fixes[0]
	change := fix.ArtifactChanges[0]
	rep := change.Replacements[0]
	if fix.Description.Text != "call renamed" || change.ArtifactLocation != file ||
		rep.DeletedRegion != (sarifRegion{StartLine: 6, StartColumn: 24, EndLine: 6, EndColumn: 27}) || rep.InsertedContent.Text != "renamed" {
		t.Errorf("fix %+v", fix)
	}
}

var silent = &analysis.Analyzer{
	Name: "silent",
	Doc:  "silent: report nothing",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}

func TestSARIFWithoutFindingsIsAnEmptyRun(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(&Options{Patterns: []string{"./testdata/sarif"}, SARIF: true}, []*analysis.Analyzer{silent}, &stdout, &stderr)
	if code != ExitClean {
		t.Errorf("exit code %d, want %d\n%s", code, ExitClean, stderr.String())
	}
	if err := sariftest.Validate(stdout.Bytes()); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	var log sarifLog
	if err := json.Unmarshal(stdout.Bytes(), &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Results) != 0 {
		t.Errorf("want one run without results (%v):\n%s", err, stdout.String())
	}
}

func TestSARIFExcludesJSONAndFix(t *testing.T) {
	for _, args := range [][]string{{"-sarif", "-json", "./testdata/sarif"}, {"-sarif", "-fix", "./testdata/sarif"}} {
		var stdout, stderr bytes.Buffer
		if code := Main(args, &stdout, &stderr); code != ExitUsage || !strings.Contains(stderr.String(), "-sarif cannot be combined") {
			t.Errorf("mapguard %v: exit %d, stderr %q", args, code, stderr.String())
		}
	}
}

func TestSARIFColumns(t *testing.T) {
	s := &sarifWriter{files: map[string][]byte{"f.go": []byte("x := \"é𝄞\"; y\nz")}}
	for _, tc := range []struct {
		pos  Position
		want int
	}{
		{Position{File: "f.go", Line: 1, Column: 1, Offset: 0}, 1},
		{Position{File: "f.go", Line: 1, Column: 14, Offset: 13}, 11}, // y: é is 1 unit, 𝄞 is 2
		{Position{File: "f.go", Line: 2, Column: 1, Offset: 15}, 1},
		// A //line directive maps the offset to another line: keep the
		// byte column rather than count across lines.
		{Position{File: "f.go", Line: 40, Column: 3, Offset: 15}, 3},
		// An unreadable file or an offset past its end: the byte column.
		{Position{File: "missing.go", Line: 1, Column: 7, Offset: 6}, 7},
		{Position{File: "f.go", Line: 1, Column: 90, Offset: 99}, 90},
	} {
		if got := s.column(tc.pos); got != tc.want {
			t.Errorf("column(%+v) = %d, want %d", tc.pos, got, tc.want)
		}
	}
}
