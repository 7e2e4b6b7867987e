// Package driver runs mapguard's checks over packages named on the command
// line and prints what they find, as text, JSON or SARIF, or applies their
// fixes.
package driver

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/analyzers"
	"github.com/mapguard/mapguard/internal/analysis/budget"
	"github.com/mapguard/mapguard/internal/analysis/checkdoc"
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
	dir, err := os.MkdirTemp("", "mapguard-run-")
	if err != nil {
		fmt.Fprintf(stderr, "mapguard: %v\n", err)
		return ExitError
	}
	defer os.RemoveAll(dir)
	start := time.Now()
	units, err := vetCached(dir, o, as, stderr)
	if err != nil {
		if err != errReported {
			fmt.Fprintf(stderr, "mapguard: %v\n", err)
		}
		return ExitError
	}
	code := ExitClean
	var roots []*unitResult
	for _, u := range units {
		if !u.VetxOnly {
			roots = append(roots, u)
		}
	}
	if len(roots) == 0 {
		fmt.Fprintf(stderr, "mapguard: %s matched no packages\n", strings.Join(o.Patterns, " "))
		return ExitError
	}
	if printUnitErrors(stderr, units, roots) > 0 {
		code = ExitError
	}
	findings := collect(roots)

	switch {
	case o.Fix:
		var err error
		findings, err = applyFixes(findings, o.Diff, stdout, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "mapguard: %v\n", err)
			return ExitError
		}
		printNotes(stderr, roots)
		printText(stderr, findings)
	case o.JSON:
		if err := printJSON(stdout, roots, as); err != nil {
			fmt.Fprintf(stderr, "mapguard: %v\n", err)
			return ExitError
		}
	case o.SARIF:
		if err := writeSARIF(stdout, findings, as, notesOf(roots), code == ExitClean); err != nil {
			fmt.Fprintf(stderr, "mapguard: %v\n", err)
			return ExitError
		}
	default:
		printNotes(stderr, roots)
		printText(stderr, findings)
	}
	if os.Getenv(debugEnv) == "cache" {
		printCacheUse(stderr, units, start)
	}
	if code == ExitClean && len(findings) > 0 {
		code = ExitFindings
	}
	return code
}

// debugEnv set to "cache" makes a run say which units it checked and how
// many it replayed from the result cache (for tests and for bug reports).
const debugEnv = "MAPGUARD_DEBUG"

func printCacheUse(w io.Writer, units []*unitResult, start time.Time) {
	hits := 0
	for _, u := range units {
		// Replayed from mapguard's cache, or by go vet from its own.
		if u.Cached || u.Checked < start.UnixNano() {
			hits++
			continue
		}
		fmt.Fprintf(w, "mapguard: cache: checked %s\n", u.ID)
	}
	fmt.Fprintf(w, "mapguard: cache: %d of %d units replayed\n", hits, len(units))
}

// errReported is an error already printed.
var errReported = errors.New("reported")

// errVetFailed says that go vet failed in a run whose results it caches,
// where a unit that fails ends its tool process with an error instead of
// printing a result.
var errVetFailed = errors.New("go vet failed")

// vetCached runs go vet with this executable as the vet tool over the
// patterns, with results printed for go vet to cache and replay when the
// result cache is on (see vettool.go), and returns the result of every unit,
// with VetxOnly set on the units that are not roots of this run. It falls
// back on vet, into dir, when the cache is off or when go vet replayed a
// root's facts-only result.
func vetCached(dir string, o *Options, as []*analysis.Analyzer, stderr io.Writer) ([]*unitResult, error) {
	r, err := newVetRun(o, as)
	if err != nil {
		return nil, err
	}
	if r.options.Cache == "" {
		return r.vet(dir, stderr)
	}
	// The named packages, from go list while go vet runs.
	type listed struct {
		paths map[string]bool
		err   error
	}
	rootsc := make(chan listed, 1)
	go func() {
		cmd := exec.Command("go", append([]string{"list", "-e"}, o.Patterns...)...)
		out, err := cmd.Output()
		l := listed{paths: make(map[string]bool), err: err}
		for _, p := range strings.Fields(string(out)) {
			l.paths[p] = true
		}
		rootsc <- l
	}()
	units, err := r.vet("", stderr)
	roots := <-rootsc
	if err != nil || roots.err != nil || len(units) == 0 {
		if err == nil || errors.Is(err, errVetFailed) {
			// A unit failed (its tool process exits with unitchecker's
			// error), go list failed, or this go command does not pass
			// the tool's output on: go vet, without its cache, says why.
			if os.Getenv(debugEnv) == "cache" && err != nil {
				fmt.Fprintln(stderr, "mapguard: cache: go vet failed; checking again without its cache")
			}
			return r.vet(dir, stderr)
		}
		return nil, err
	}
	if stale := markRoots(units, roots.paths); len(stale) > 0 {
		if os.Getenv(debugEnv) == "cache" {
			fmt.Fprintf(stderr, "mapguard: cache: go vet replayed %s without its findings; checking again\n", strings.Join(stale, ", "))
		}
		return r.vet(dir, stderr)
	}
	return units, nil
}

// markRoots sets VetxOnly on every unit that is not a root of the run,
// given the import paths of the named packages, and returns the roots that
// were not checked in full. go vet's units are named by import path: a
// named package p is checked as p, or, when it has tests, as its test
// variant, also called p (and its external test as p_test); then other
// units p, the package without its tests or recompiled for another
// package's tests, may be checked as dependencies. The test variant is
// never a dependency, so of several units p the root is the one that was
// not checked as one. go vet replays one result for units whose inputs
// are the same (a recompiled p whose dependencies' export data did not
// change): equal results are one root. Two different results that both
// claim to be the root mean that a result from an earlier run was replayed
// (a package that has just gained tests), and the run cannot tell which.
func markRoots(units []*unitResult, named map[string]bool) (stale []string) {
	byID := make(map[string]int)
	for _, u := range units {
		byID[u.ID]++
	}
	roots := make(map[string]*unitResult)
	for _, u := range units {
		root := u.ID == u.ImportPath && (named[u.ImportPath] || named[strings.TrimSuffix(u.ImportPath, "_test")])
		if root && byID[u.ID] > 1 {
			root = !u.VetxOnly
		}
		if first, ok := roots[u.ID]; ok && root {
			if !sameResult(first, u) && !slices.Contains(stale, u.ID) {
				stale = append(stale, u.ID)
			}
			root = false // the same result again
		}
		u.VetxOnly = !root
		if root {
			roots[u.ID] = u
			if u.FactsOnly {
				stale = append(stale, u.ID)
			}
		}
	}
	return stale
}

// sameResult reports whether two results say the same, whenever and
// however they were obtained.
func sameResult(a, b *unitResult) bool {
	x, y := *a, *b
	x.Checked, y.Checked, x.Cached, y.Cached = 0, 0, false, false
	return reflect.DeepEqual(x, y)
}

// A vetRun is what every go vet invocation of one standalone run shares
// (a fallback runs go vet twice): the executable and its hash, the options
// its tool processes read, the checks' and budgets' flags set on the
// command line, and the patterns.
type vetRun struct {
	exe      string
	options  runOptions
	flags    []string
	patterns []string
}

func newVetRun(o *Options, as []*analysis.Analyzer) (*vetRun, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	tool, err := fileHash(exe)
	if err != nil {
		return nil, err
	}
	cache, err := cacheDir()
	if err != nil {
		return nil, err
	}
	r := &vetRun{exe: exe, options: runOptions{Tests: o.Tests, Tool: tool, Cache: cache}, patterns: o.Patterns}
	for _, a := range as {
		r.options.Analyzers = append(r.options.Analyzers, a.Name)
		// A check's flags set on this command line reach its tool
		// processes through go vet.
		a.Flags.VisitAll(func(f *flag.Flag) {
			if v := f.Value.String(); v != f.DefValue {
				r.flags = append(r.flags, fmt.Sprintf("-%s.%s=%s", a.Name, f.Name, v))
			}
		})
	}
	// The time budgets are process-wide; the tool processes get them too.
	if fn, pkg := budget.Limits(); fn != budget.DefaultFunc || pkg != budget.DefaultPackage {
		r.flags = append(r.flags, "-budget.func="+fn.String(), "-budget.package="+pkg.String())
	}
	return r, nil
}

// vet runs go vet with this executable as the vet tool over the patterns
// (see vettool.go) and returns the result of every unit it checked. With
// a dir, the units write their results there and go vet's cache is not
// used; without one, they print them for go vet, which may replay them.
func (r *vetRun) vet(dir string, stderr io.Writer) ([]*unitResult, error) {
	ro := r.options
	args := append([]string{"vet", "-vettool=" + r.exe}, r.flags...)
	if dir != "" {
		b, err := json.Marshal(ro)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, optionsFile), b, 0o644); err != nil {
			return nil, err
		}
		args = append(args, "-"+outFlag+"="+dir)
	} else {
		enc, err := ro.encode()
		if err != nil {
			return nil, err
		}
		// -json: go vet copies the tool's output as it is (without it, Go
		// 1.26 parses it as unitchecker's JSON and prints diagnostics).
		args = append(args, "-json", "-"+runFlag+"="+enc)
	}
	args = append(args, r.patterns...)
	cmd := exec.Command("go", args...)
	var goOut, printed bytes.Buffer
	cmd.Stdout = &goOut
	if dir == "" {
		cmd.Stdout = &printed
	}
	cmd.Stderr = &goOut
	runErr := cmd.Run()
	var exit *exec.ExitError
	if runErr != nil && !errors.As(runErr, &exit) {
		return nil, fmt.Errorf("go vet: %w", runErr)
	}
	if dir == "" && runErr != nil {
		return nil, errVetFailed // vetCached runs again, and says why
	}
	var units []*unitResult
	var err error
	if dir != "" {
		units, err = readResults(dir)
	} else {
		units, err = decodeResults(&printed)
	}
	if err != nil {
		return nil, err
	}
	if c := openCache(ro.Cache); c != nil {
		c.trim()
	}
	// The units have said all they had to say in their results; what go
	// vet printed is about the patterns (a missing directory, a module
	// problem) or a tool process that failed.
	out := strings.TrimSpace(goOut.String())
	if runErr != nil || out != "" && len(units) == 0 {
		for _, line := range strings.Split(out, "\n") {
			if line != "" && !strings.HasPrefix(line, "#") && !strings.HasPrefix(line, "\t") && !strings.HasPrefix(line, "mapguard: ") {
				line = "mapguard: " + line
			}
			fmt.Fprintln(stderr, line)
		}
		if runErr != nil {
			if out == "" {
				return nil, fmt.Errorf("go vet %s: %v", strings.Join(r.patterns, " "), runErr)
			}
			return nil, errReported
		}
	}
	return units, nil
}

// printUnitErrors prints, once per package, why root units were not
// checked and the errors of failed checks, and returns how many there
// were.
func printUnitErrors(w io.Writer, units, roots []*unitResult) int {
	failed := make(map[string]string) // import path -> why
	for _, u := range units {
		switch {
		case u.Failed != "":
			failed[u.ImportPath] = u.Failed
		case len(u.BrokenImports) > 0:
			failed[u.ImportPath] = "could not be checked"
		}
	}
	n := 0
	seen := make(map[string]bool)
	for _, u := range roots {
		switch {
		case u.Failed != "":
			n++
			var lines []string
			for _, e := range u.Errors {
				msg := relPath(e)
				if !seen[msg] {
					seen[msg] = true
					lines = append(lines, msg)
				}
			}
			if len(lines) == 0 {
				continue
			}
			fmt.Fprintf(w, "mapguard: package %s %s:\n", u.ImportPath, u.Failed)
			for _, l := range lines {
				fmt.Fprintf(w, "\t%s\n", l)
			}
		case len(u.BrokenImports) > 0:
			n++
			var why []string
			for _, p := range u.BrokenImports {
				why = append(why, fmt.Sprintf("%s (%s)", p, cmp.Or(failed[p], "no facts")))
			}
			msg := fmt.Sprintf("mapguard: package %s not checked: its imports failed: %s", u.ImportPath, strings.Join(why, ", "))
			if !seen[msg] {
				seen[msg] = true
				fmt.Fprintln(w, msg)
			}
		}
		for _, a := range u.Analyzers {
			if a.Err == "" {
				continue
			}
			n++
			if strings.HasPrefix(a.Err, "failed prerequisites") || seen[a.Err] {
				continue
			}
			seen[a.Err] = true
			fmt.Fprintf(w, "mapguard: %s@%s: %s\n", a.Name, u.ID, a.Err)
		}
	}
	return n
}

func notesOf(roots []*unitResult) []note {
	var out []note
	seen := make(map[note]bool)
	for _, u := range roots {
		for _, n := range u.Notes {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// printNotes prints what the user must know besides the findings, such as
// code a check skipped.
func printNotes(w io.Writer, roots []*unitResult) {
	for _, n := range notesOf(roots) {
		if n.Pos.File == "" {
			fmt.Fprintf(w, "mapguard: %s (%s)\n", n.Message, n.Check)
			continue
		}
		fmt.Fprintf(w, "mapguard: %s: %s (%s)\n", n.Pos, n.Message, n.Check)
	}
}

// skippedForErrors is the error checks have in -json output on a package
// that was not checked (as the go/analysis checker says it).
const skippedForErrors = "analysis skipped due to errors in package"

// A Finding is one diagnostic of one check, with resolved positions.
type Finding struct {
	Check    string
	Pos, End Position
	Message  string
	Related  []RelatedFinding
	Fixes    []fixEdits
}

// A Position is a resolved source position.
type Position struct {
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"col,omitempty"`
	Offset int    `json:"off,omitempty"`
}

// RelatedFinding is a related position of a finding.
type RelatedFinding struct {
	Pos     Position `json:"pos"`
	End     Position `json:"end"`
	Message string   `json:"message"`
}

// collect returns the findings of the root units, de-duplicated (a file
// may belong to a package and its test variant) and sorted.
func collect(roots []*unitResult) []Finding {
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
	for _, u := range roots {
		for _, a := range u.Analyzers {
			if a.Err != "" {
				continue
			}
			for _, d := range a.Diagnostics {
				f := Finding{Check: a.Name, Pos: d.Pos, End: d.End, Message: d.Message, Related: d.Related, Fixes: d.Fixes}
				k := key{f.Pos, f.Check, f.Message, len(f.Fixes) > 0, len(f.Related), f.End.Offset}
				if seen[k] {
					continue
				}
				seen[k] = true
				out = append(out, f)
			}
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

// printJSON prints the results of the root units as the go/analysis JSON
// tree: package ID, then check, then its diagnostics or its error.
func printJSON(w io.Writer, roots []*unitResult, as []*analysis.Analyzer) error {
	type jsonEdit struct {
		Filename string `json:"filename"`
		Start    int    `json:"start"`
		End      int    `json:"end"`
		New      string `json:"new"`
	}
	type jsonFix struct {
		Message string     `json:"message"`
		Edits   []jsonEdit `json:"edits"`
	}
	type jsonRelated struct {
		Posn    string `json:"posn"`
		End     string `json:"end"`
		Message string `json:"message"`
	}
	type jsonDiagnostic struct {
		Category       string        `json:"category,omitempty"`
		Posn           string        `json:"posn"`
		End            string        `json:"end"`
		Message        string        `json:"message"`
		SuggestedFixes []jsonFix     `json:"suggested_fixes,omitempty"`
		Related        []jsonRelated `json:"related,omitempty"`
	}
	type jsonError struct {
		Err string `json:"error"`
	}
	tree := make(map[string]map[string]any)
	add := func(id, name string, v any) {
		if tree[id] == nil {
			tree[id] = make(map[string]any)
		}
		tree[id][name] = v
	}
	type jsonNote struct {
		Check   string `json:"check,omitempty"`
		Posn    string `json:"posn"`
		Message string `json:"message"`
	}
	for _, u := range roots {
		// What is not a finding (code a check skipped) is under a key
		// no check has.
		for _, n := range u.Notes {
			notes, _ := tree[u.ID][notesKey].([]jsonNote)
			add(u.ID, notesKey, append(notes, jsonNote{Check: n.Check, Posn: n.Pos.tokenString(), Message: n.Message}))
		}
		if u.Failed != "" || len(u.BrokenImports) > 0 {
			for _, a := range as {
				add(u.ID, a.Name, jsonError{skippedForErrors})
			}
			continue
		}
		for _, a := range u.Analyzers {
			if a.Err != "" {
				add(u.ID, a.Name, jsonError{a.Err})
				continue
			}
			if len(a.Diagnostics) == 0 {
				continue
			}
			var diags []jsonDiagnostic
			for _, d := range a.Diagnostics {
				jd := jsonDiagnostic{Category: d.Category, Posn: d.Pos.tokenString(), End: d.End.tokenString(), Message: d.Message}
				for _, f := range d.Fixes {
					jf := jsonFix{Message: f.Message}
					for _, e := range f.Edits {
						jf.Edits = append(jf.Edits, jsonEdit{Filename: e.File, Start: e.Start, End: e.End, New: e.New})
					}
					jd.SuggestedFixes = append(jd.SuggestedFixes, jf)
				}
				for _, r := range d.Related {
					jd.Related = append(jd.Related, jsonRelated{Posn: r.Pos.tokenString(), End: r.End.tokenString(), Message: r.Message})
				}
				diags = append(diags, jd)
			}
			add(u.ID, a.Name, diags)
		}
	}
	data, err := json.MarshalIndent(tree, "", "\t")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

// notesKey holds, in -json output, a package's notes (not findings).
const notesKey = "mapguard:notes"

// tokenString formats p as token.Position does, with the file's full path.
func (p Position) tokenString() string {
	return token.Position{Filename: p.File, Line: p.Line, Column: p.Column}.String()
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
