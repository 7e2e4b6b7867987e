package driver

import (
	"encoding/json"
	"fmt"
	"go/token"
	"os"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/internal/analysis/budget"
)

// The standalone command runs go vet with itself as the vet tool (see
// vettool.go). Each tool process checks one unit (a package or a test
// variant of one) and leaves its complete result in a file: a unitResult.
// The standalone process reads them all and prints them as text, JSON or
// SARIF, or applies the fixes. The same record is what the result cache
// stores, so a cached unit replays exactly what a fresh one reports.

// A unitResult is everything one vet unit produced.
type unitResult struct {
	ID         string `json:"id"` // e.g. "fmt [fmt.test]"
	ImportPath string `json:"importPath"`
	VetxOnly   bool   `json:"vetxOnly,omitempty"` // only run for its facts: a dependency
	// FactsOnly says the checks stopped after exporting facts, so the
	// findings are missing; not so for a dependency checked in full.
	FactsOnly bool `json:"factsOnly,omitempty"`
	// Checked is when the tool wrote the result (Unix nanoseconds): a result
	// older than the run was replayed by go vet.
	Checked int64 `json:"checked,omitempty"`
	// Failed says why the unit was not analysed ("" if it was): its
	// errors are in Errors.
	Failed string   `json:"failed,omitempty"`
	Errors []string `json:"errors,omitempty"`
	// BrokenImports are imported packages that failed, so this unit was
	// not checked.
	BrokenImports []string         `json:"brokenImports,omitempty"`
	Analyzers     []analyzerResult `json:"analyzers,omitempty"`
	// Notes are things the user must be told that are not findings, such
	// as a function a check skipped because it ran out of time.
	Notes []note `json:"notes,omitempty"`
	// Cached is set when the result was replayed from the cache (never
	// stored).
	Cached bool `json:"cached,omitempty"`
}

// Failure kinds of a unitResult.
const (
	failedTypes  = "does not type-check"
	failedSyntax = "has syntax errors"
	failedTool   = "could not be checked"
)

// An analyzerResult is what one check reported on a unit, or its error.
type analyzerResult struct {
	Name        string       `json:"name"`
	Err         string       `json:"error,omitempty"`
	Diagnostics []diagnostic `json:"diagnostics,omitempty"`
	// Notes are what the check has to say besides findings (code it
	// skipped): they become the unit's Notes.
	Notes []note `json:"notes,omitempty"`
}

// A diagnostic is an analysis.Diagnostic with its positions resolved.
type diagnostic struct {
	Category string           `json:"category,omitempty"`
	Message  string           `json:"message"`
	Pos      Position         `json:"pos"`
	End      Position         `json:"end"`
	Related  []RelatedFinding `json:"related,omitempty"`
	Fixes    []fixEdits       `json:"fixes,omitempty"`
}

// fixEdits is a suggested fix with resolved edits.
type fixEdits struct {
	Message string `json:"message"`
	Edits   []edit `json:"edits"`
}

// An edit replaces the bytes Start to End of File (real offsets, not moved
// by //line directives) with New; Pos and EndPos are the positions as
// reported to users.
type edit struct {
	File   string   `json:"file"`
	Start  int      `json:"start"`
	End    int      `json:"end"`
	New    string   `json:"new"`
	Pos    Position `json:"pos"`
	EndPos Position `json:"endPos"`
}

// A note is a message about a unit that is not a finding.
type note struct {
	Check   string   `json:"check,omitempty"`
	Pos     Position `json:"pos"`
	Message string   `json:"message"`
}

func resolve(fset *token.FileSet, pos token.Pos) Position {
	return position(fset.Position(pos))
}

// resolveDiagnostic resolves the positions of d.
func resolveDiagnostic(fset *token.FileSet, d analysis.Diagnostic) diagnostic {
	out := diagnostic{Category: d.Category, Message: d.Message, Pos: resolve(fset, d.Pos)}
	out.End = out.Pos
	if d.End.IsValid() {
		out.End = resolve(fset, d.End)
	}
	for _, r := range d.Related {
		rel := RelatedFinding{Pos: resolve(fset, r.Pos), Message: r.Message}
		rel.End = rel.Pos
		if r.End.IsValid() {
			rel.End = resolve(fset, r.End)
		}
		out.Related = append(out.Related, rel)
	}
	for _, f := range d.SuggestedFixes {
		fix := fixEdits{Message: f.Message}
		for _, e := range f.TextEdits {
			start := fset.PositionFor(e.Pos, false)
			end := start
			if e.End.IsValid() {
				end = fset.PositionFor(e.End, false)
			}
			ed := edit{File: start.Filename, Start: start.Offset, End: end.Offset, New: string(e.NewText), Pos: resolve(fset, e.Pos)}
			ed.EndPos = ed.Pos
			if e.End.IsValid() {
				ed.EndPos = resolve(fset, e.End)
			}
			fix.Edits = append(fix.Edits, ed)
		}
		out.Fixes = append(out.Fixes, fix)
	}
	return out
}

// recordFile returns a record function for recordAnalyzers that writes
// each analyzer's result as one JSON line to file: the child process of
// runUnit exits without returning, so each line is written as soon as its
// analyzer is done.
func recordFile(file string) (func(analyzerResult) error, error) {
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	enc := json.NewEncoder(f)
	return func(r analyzerResult) error { return enc.Encode(r) }, nil
}

// recordAnalyzers makes each analyzer hand what it reported, once it is
// done, to record (called by one analyzer at a time). The diagnostics also
// go on to unitchecker, which checks the fixes' edits and sorts them.
func recordAnalyzers(as []*analysis.Analyzer, record func(analyzerResult) error) {
	var mu sync.Mutex
	// The checks' budget skips become their results' notes instead of
	// lines on this process's stderr, which only errors may use.
	skipped := make(map[string][]budget.Skip)
	budget.SetHandler(func(s budget.Skip) {
		mu.Lock()
		skipped[s.Check] = append(skipped[s.Check], s)
		mu.Unlock()
	})
	for _, a := range as {
		run := a.Run
		a.Run = func(pass *analysis.Pass) (any, error) {
			var (
				diags []analysis.Diagnostic
				dmu   sync.Mutex
			)
			report := pass.Report
			pass.Report = func(d analysis.Diagnostic) {
				report(d)
				dmu.Lock()
				diags = append(diags, d)
				dmu.Unlock()
			}
			res, err := run(pass)
			r := analyzerResult{Name: a.Name}
			mu.Lock()
			for _, s := range skipped[a.Name] {
				r.Notes = append(r.Notes, skipNote(s))
			}
			delete(skipped, a.Name)
			mu.Unlock()
			if err != nil {
				r.Err = err.Error()
			}
			dmu.Lock()
			for _, d := range diags {
				r.Diagnostics = append(r.Diagnostics, resolveDiagnostic(pass.Fset, d))
			}
			dmu.Unlock()
			mu.Lock()
			werr := record(r)
			mu.Unlock()
			if werr != nil {
				return res, fmt.Errorf("results: %w", werr)
			}
			return res, err
		}
	}
}

// skipNote is the note telling the user that a check gave up on some code
// for its time budget, in budget.Skip's own words.
func skipNote(s budget.Skip) note {
	return note{Check: s.Check, Pos: position(s.Pos), Message: s.Message()}
}
