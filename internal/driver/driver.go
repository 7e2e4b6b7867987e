// Package driver runs mapguard's checks over packages named on the command
// line and prints what they find, as text, JSON or SARIF, or applies their
// fixes.
package driver

import (
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/mapguard/mapguard/analyzers"
	"github.com/mapguard/mapguard/internal/checkdoc"
)

// Main runs the standalone command with the given arguments (without the
// program name) and returns its exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		Usage(stdout)
		return ExitClean
	}
	if err != nil {
		// The flag package has said what is wrong.
		fmt.Fprintln(stderr, "run 'mapguard -help' for usage")
		return ExitUsage
	}
	if o.Explain != "" {
		return Explain(o.Explain, stdout, stderr)
	}
	if len(o.Patterns) == 0 {
		fmt.Fprintln(stderr, "mapguard: no packages given (try: mapguard ./...; mapguard -help for help)")
		return ExitUsage
	}
	if o.Diff && !o.Fix {
		fmt.Fprintln(stderr, "mapguard: -diff needs -fix")
		return ExitUsage
	}
	if o.SARIF && (o.JSON || o.Fix) {
		fmt.Fprintln(stderr, "mapguard: -sarif cannot be combined with -json or -fix")
		return ExitUsage
	}
	as, err := o.Analyzers()
	if err != nil {
		fmt.Fprintf(stderr, "mapguard: %v\n", err)
		return ExitUsage
	}
	if len(as) == 0 {
		fmt.Fprintln(stderr, "mapguard: every check is disabled")
		return ExitUsage
	}
	stop, err := startProfiles(o)
	if err != nil {
		fmt.Fprintf(stderr, "mapguard: %v\n", err)
		return ExitError
	}
	defer stop()
	return run(o, as, stdout, stderr)
}

// Explain prints the documentation of a check.
func Explain(name string, stdout, stderr io.Writer) int {
	c, ok := analyzers.Lookup(name)
	if !ok {
		fmt.Fprintf(stderr, "mapguard: unknown check %q (checks: %s)\n", name, strings.Join(analyzers.Names(), ", "))
		return ExitUsage
	}
	state := "on by default"
	if c.OptIn {
		state = "off by default: enable it with -enable=" + name
	}
	fmt.Fprintf(stdout, "%s: %s\n(%s)\n\n%s\n\nOnline: %s\n",
		name, checkdoc.Summary(c.Analyzer.Doc), state, checkdoc.Body(c.Analyzer.Doc), c.Analyzer.URL)
	return ExitClean
}

func run(o *Options, as []*analysis.Analyzer, stdout, stderr io.Writer) int {
	pkgs, err := Load(o.Patterns, o.Tests)
	if err != nil {
		fmt.Fprintf(stderr, "mapguard: %v\n", err)
		return ExitError
	}
	code := ExitClean
	if PrintLoadErrors(stderr, pkgs) > 0 {
		code = ExitError
	}
	graph, err := checker.Analyze(as, pkgs, nil)
	if err != nil {
		fmt.Fprintf(stderr, "mapguard: %v\n", err)
		return ExitError
	}
	if printActionErrors(stderr, graph) > 0 {
		code = ExitError
	}
	findings := Collect(graph)

	switch {
	case o.Fix:
		var err error
		findings, err = applyFixes(findings, o.Diff, stdout, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "mapguard: %v\n", err)
			return ExitError
		}
		printText(stderr, findings)
	case o.JSON:
		if err := graph.PrintJSON(stdout); err != nil {
			fmt.Fprintf(stderr, "mapguard: %v\n", err)
			return ExitError
		}
	case o.SARIF:
		if err := writeSARIF(stdout, findings, as, code == ExitClean); err != nil {
			fmt.Fprintf(stderr, "mapguard: %v\n", err)
			return ExitError
		}
	default:
		printText(stderr, findings)
	}
	if code == ExitClean && len(findings) > 0 {
		code = ExitFindings
	}
	return code
}

// Load loads the packages matching patterns, with syntax for every package
// (the checks exchange facts across packages).
func Load(patterns []string, tests bool) ([]*packages.Package, error) {
	cfg := &packages.Config{
		Mode:  packages.LoadAllSyntax | packages.NeedModule,
		Tests: tests,
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", strings.Join(patterns, " "), err)
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("%s matched no packages", strings.Join(patterns, " "))
	}
	return pkgs, nil
}

// PrintLoadErrors prints, once per package, the errors that kept packages
// from loading or type-checking, and returns how many packages had errors.
func PrintLoadErrors(w io.Writer, pkgs []*packages.Package) int {
	seen := make(map[string]bool)
	n := 0
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		var lines []string
		what := "does not type-check"
		for _, e := range p.Errors {
			msg := relPath(e.Error())
			if seen[msg] {
				continue
			}
			seen[msg] = true
			lines = append(lines, msg)
			switch e.Kind {
			case packages.ParseError:
				what = "has syntax errors"
			case packages.ListError, packages.UnknownError:
				what = "cannot be loaded"
			}
		}
		if len(lines) == 0 {
			return
		}
		n++
		fmt.Fprintf(w, "mapguard: package %s %s:\n", p.PkgPath, what)
		for _, l := range lines {
			fmt.Fprintf(w, "\t%s\n", l)
		}
	})
	return n
}

const skippedForErrors = "analysis skipped due to errors in package"

// printActionErrors prints the errors of failed checks, other than those
// already explained by load errors or by the failure of a dependency.
func printActionErrors(w io.Writer, graph *checker.Graph) int {
	n := 0
	seen := make(map[string]bool)
	for act := range graph.All() {
		if act.Err == nil {
			continue
		}
		n++
		msg := act.Err.Error()
		if msg == skippedForErrors || strings.HasPrefix(msg, "failed prerequisites") || seen[msg] {
			continue
		}
		seen[msg] = true
		fmt.Fprintf(w, "mapguard: %s: %s\n", act, msg)
	}
	return n
}

// A Finding is one diagnostic of one check, with resolved positions.
type Finding struct {
	Check      string
	Pos, End   Position
	Message    string
	Related    []RelatedFinding
	Fixes      []analysis.SuggestedFix
	Diagnostic analysis.Diagnostic
	Package    *packages.Package
}

// A Position is a resolved source position.
type Position struct {
	File         string
	Line, Column int
	Offset       int
}

// RelatedFinding is a related position of a finding.
type RelatedFinding struct {
	Pos, End Position
	Message  string
}

// Collect returns the findings of the root actions of graph, de-duplicated
// (a file may belong to a package and its test variant) and sorted.
func Collect(graph *checker.Graph) []Finding {
	type key struct {
		pos       Position
		check     string
		message   string
		hasFixes  bool
		nrelated  int
		endOffset int
	}
	seen := make(map[key]bool)
	var out []Finding
	for _, act := range graph.Roots {
		if act.Err != nil {
			continue
		}
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			f := Finding{
				Check:      act.Analyzer.Name,
				Pos:        position(fset.Position(d.Pos)),
				Message:    d.Message,
				Fixes:      d.SuggestedFixes,
				Diagnostic: d,
				Package:    act.Package,
			}
			f.End = f.Pos
			if d.End.IsValid() {
				f.End = position(fset.Position(d.End))
			}
			for _, r := range d.Related {
				rf := RelatedFinding{Pos: position(fset.Position(r.Pos)), Message: r.Message}
				rf.End = rf.Pos
				if r.End.IsValid() {
					rf.End = position(fset.Position(r.End))
				}
				f.Related = append(f.Related, rf)
			}
			k := key{f.Pos, f.Check, f.Message, len(f.Fixes) > 0, len(f.Related), f.End.Offset}
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Pos, out[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return out[i].Check < out[j].Check
	})
	return out
}

func position(p token.Position) Position {
	return Position{File: p.Filename, Line: p.Line, Column: p.Column, Offset: p.Offset}
}

func printText(w io.Writer, findings []Finding) {
	for _, f := range findings {
		fmt.Fprintf(w, "%s: %s (%s)\n", f.Pos, f.Message, f.Check)
		for _, r := range f.Related {
			fmt.Fprintf(w, "\t%s: %s\n", r.Pos, r.Message)
		}
	}
}

func (p Position) String() string {
	if p.File == "" {
		return "-"
	}
	return fmt.Sprintf("%s:%d:%d", relPath(p.File), p.Line, p.Column)
}

// relPath shortens an absolute path under the working directory (or a
// message starting with one) to a relative path.
func relPath(s string) string {
	wd, err := os.Getwd()
	if err != nil {
		return s
	}
	prefix := wd + string(filepath.Separator)
	if strings.HasPrefix(s, prefix) {
		return s[len(prefix):]
	}
	return s
}

func startProfiles(o *Options) (stop func(), err error) {
	stop = func() {}
	if o.CPUProfile != "" {
		f, err := os.Create(o.CPUProfile)
		if err != nil {
			return stop, fmt.Errorf("cpu profile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return stop, fmt.Errorf("cpu profile: %w", err)
		}
		stop = func() { pprof.StopCPUProfile(); f.Close() }
	}
	if o.MemProfile != "" {
		prev := stop
		stop = func() {
			prev()
			f, err := os.Create(o.MemProfile)
			if err == nil {
				runtime.GC()
				err = pprof.WriteHeapProfile(f)
				f.Close()
			}
			if err != nil {
				fmt.Fprintf(os.Stderr, "mapguard: heap profile: %v\n", err)
			}
		}
	}
	return stop, nil
}
