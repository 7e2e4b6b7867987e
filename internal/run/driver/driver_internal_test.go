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

	"github.com/mapguard/mapguard/analyzers/poolcopy"
	"github.com/mapguard/mapguard/internal/analysis/report"
	"github.com/mapguard/mapguard/internal/dev/sariftest"
	"github.com/mapguard/mapguard/internal/run/guard"
)

// renamer reports calls of old and offers to rename them to renamed.
var renamer = &analysis.Analyzer{
	Name: "renamer",
	Doc:  "renamer: report calls of old",
	Run: guard.Run(func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "old" {
					report.Report(pass, analysis.Diagnostic{
						Pos: id.Pos(), End: id.End(), Message: "old is old",
						SuggestedFixes: []analysis.SuggestedFix{{
							Message:   "rename",
							TextEdits: []analysis.TextEdit{{Pos: id.Pos(), End: id.End(), NewText: []byte("renamed")}},
						}},
					})
				}
				return true
			})
		}
		return nil, nil
	}),
}

var panicky = &analysis.Analyzer{
	Name: "panicky",
	Doc:  "panicky: always panics",
	Run:  guard.Run(func(pass *analysis.Pass) (any, error) { panic("boom") }),
}

func TestPanicInOneCheckDoesNotStopTheOthers(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(&Options{Patterns: []string{"./testdata/p"}}, []*analysis.Analyzer{panicky, renamer}, &stdout, &stderr)
	if code != ExitError {
		t.Errorf("exit code %d, want %d", code, ExitError)
	}
	out := stderr.String()
	if !strings.Contains(out, "internal error: check panicky panicked on package github.com/mapguard/mapguard/internal/run/driver/testdata/p: boom") {
		t.Errorf("stderr does not name the check, package and panic value:\n%s", out)
	}
	if strings.Count(out, "old is old (renamer)") != 2 {
		t.Errorf("the other check's findings are missing:\n%s", out)
	}
}

func TestFixDiffPrintsAndKeepsFiles(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(&Options{Patterns: []string{"./testdata/p"}, Fix: true, Diff: true}, []*analysis.Analyzer{renamer}, &stdout, &stderr)
	if code != ExitFindings {
		t.Errorf("exit code %d, want %d\n%s", code, ExitFindings, stderr.String())
	}
	if got := strings.Count(stdout.String(), "+\trenamed()"); got != 2 {
		t.Errorf("diff has %d renamed lines, want 2:\n%s", got, stdout.String())
	}
	src, _ := os.ReadFile("testdata/p/p.go")
	if bytes.Contains(src, []byte("renamed")) {
		t.Fatal("-diff wrote the file")
	}
}

func TestFixWritesFiles(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("testdata/p/p.go")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/p\n\ngo 1.26\n")
	writeFile(t, filepath.Join(dir, "p.go"), string(src))
	t.Chdir(dir)

	var stdout, stderr bytes.Buffer
	code := run(&Options{Patterns: []string{"./..."}, Fix: true}, []*analysis.Analyzer{renamer}, &stdout, &stderr)
	if code != ExitClean {
		t.Errorf("exit code %d, want %d (every finding fixed)\n%s", code, ExitClean, stderr.String())
	}
	got, _ := os.ReadFile(filepath.Join(dir, "p.go"))
	if strings.Count(string(got), "renamed()") != 2 || strings.Contains(string(got), "\told()") {
		t.Errorf("fixes not applied:\n%s", got)
	}
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWithGoVetTellsPoolcopy: with go vet's suite, copylocks runs in the
// same pass, and poolcopy is told so (once it has the flag).
func TestWithGoVetTellsPoolcopy(t *testing.T) {
	f := poolcopy.Analyzer.Flags.Lookup("withcopylocks")
	if f == nil {
		t.Skip("poolcopy has no withcopylocks flag")
	}
	t.Cleanup(func() { f.Value.Set(f.DefValue) })
	WithGoVet(nil)
	if got := f.Value.String(); got != f.DefValue {
		t.Errorf("withcopylocks = %s without poolcopy in the run", got)
	}
	WithGoVet([]*analysis.Analyzer{poolcopy.Analyzer})
	if got := f.Value.String(); got != "true" {
		t.Errorf("withcopylocks = %s with copylocks in the same pass", got)
	}
}

// TestNotesAreReported: what a check says besides findings (code it
// skipped) reaches the user in every output: stderr in text mode, an entry
// in -json, a tool execution notification in -sarif.
func TestNotesAreReported(t *testing.T) {
	pos := Position{File: "/nowhere/big.go", Line: 7, Column: 1}
	roots := []*unitResult{{
		ID: "example.com/big", ImportPath: "example.com/big",
		Analyzers: []analyzerResult{{Name: "renamer"}},
		Notes:     []note{{Check: "renamer", Pos: pos, Message: "function huge skipped: it took longer than 10s"}},
	}}

	var text bytes.Buffer
	printNotes(&text, roots)
	if want := "mapguard: /nowhere/big.go:7:1: function huge skipped: it took longer than 10s (renamer)\n"; text.String() != want {
		t.Errorf("text: %q, want %q", text.String(), want)
	}

	var js bytes.Buffer
	if err := printJSON(&js, roots, []*analysis.Analyzer{renamer}); err != nil {
		t.Fatal(err)
	}
	var tree map[string]map[string][]struct{ Check, Posn, Message string }
	if err := json.Unmarshal(js.Bytes(), &tree); err != nil {
		t.Fatalf("%v\n%s", err, js.String())
	}
	if n := tree["example.com/big"][notesKey]; len(n) != 1 || n[0].Posn != "/nowhere/big.go:7:1" || n[0].Check != "renamer" {
		t.Errorf("-json notes %+v\n%s", n, js.String())
	}

	var sarifOut bytes.Buffer
	if err := writeSARIF(&sarifOut, nil, []*analysis.Analyzer{renamer}, notesOf(roots), true); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Invocations []struct {
				ToolExecutionNotifications []struct {
					Message struct{ Text string }
					Level   string
				}
			}
		}
	}
	if err := json.Unmarshal(sarifOut.Bytes(), &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Invocations) != 1 {
		t.Fatalf("%v\n%s", err, sarifOut.String())
	}
	ns := log.Runs[0].Invocations[0].ToolExecutionNotifications
	if len(ns) != 1 || !strings.Contains(ns[0].Message.Text, "function huge skipped") || ns[0].Level != "warning" {
		t.Errorf("SARIF notifications %+v", ns)
	}
	if err := sariftest.Validate(sarifOut.Bytes()); err != nil {
		t.Error(err)
	}
}
