package driver

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"github.com/mapguard/mapguard/internal/analysis/scope"
	"go/parser"
	"go/scanner"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/mapguard/mapguard/internal/analysis/budget"
)

// How a standalone run works: the standalone process runs
//
//	go vet -vettool=<its own executable> -mapguard.run=OPTIONS [check flags] PATTERNS
//
// so that the go command plans the work, runs one tool process per package
// (dependencies first, each from its dependencies' export data and facts)
// and keeps memory bounded, as go vet does. Each tool process (checkHere)
// runs unitchecker with the run's checks and prints the unit's complete
// result, as one JSON value, into the file go vet names for the tool's
// output (the .cfg's Stdout); go vet copies it to its own standard output,
// where the standalone process reads them all. OPTIONS, the run's settings,
// are the same from one run to the next, so go vet's own cache answers for
// every unchanged unit by replaying that output without starting the tool:
// an unchanged re-run costs about what an unchanged go vet does.
//
// go vet's cache does not tell a unit checked as a dependency (VetxOnly,
// facts only) from the same unit checked as a named package, so a replayed
// result may be of the other kind. The standalone process therefore learns
// the named packages from go list and decides which units are roots itself;
// a package of the main module that has no test files (the only kind whose
// unit can be both, see mayBeNamed) is checked in full even as a
// dependency. If a root's result was still facts-only, or go vet failed (a
// unit that does not type-check ends its tool process with unitchecker's
// error, printing no result), the run is made again the way a run without
// go vet's cache is made:
//
//	go vet -vettool=<its own executable> -mapguard.out=DIR [check flags] PATTERNS
//
// where each tool process (runUnit) writes its result into DIR, which also
// holds options.json. DIR is new for every run and is one of the tool's
// flags, so go vet's cache never answers then; mapguard's result cache
// (cache.go), keyed on what a unit's result depends on, does. There,
// because unitchecker ends its process with os.Exit, runUnit runs it in a
// child process of its own (the same executable, with unitResultsEnv
// naming the file the child writes its diagnostics to), reads back what it
// wrote, printed and exited with, and tells a unit that does not
// type-check from one that crashed.

// outFlag names the directory of a standalone run; it is a flag of the vet
// tool, so it is part of the go command's cache key.
const outFlag = "mapguard.out"

// runFlag carries a standalone run's options (runOptions as JSON, in
// base64) when the tool prints its results for go vet to cache.
const runFlag = "mapguard.run"

// unitResultsEnv tells a tool process that it is the child of runUnit and
// where to write its diagnostics.
const unitResultsEnv = "MAPGUARD_UNIT_RESULTS"

// runOptions are the settings of a standalone run that its tool processes
// read from DIR/options.json.
type runOptions struct {
	Analyzers []string `json:"analyzers"` // the checks to run, by name
	Tests     bool     `json:"tests"`     // whether to check test files
	Tool      string   `json:"tool"`      // hash of the executable, for the cache key
	Cache     string   `json:"cache"`     // the result cache directory; "" for none
}

// encode returns o as the value of runFlag.
func (o *runOptions) encode() (string, error) {
	b, err := json.Marshal(o)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

const optionsFile = "options.json"

// IsVetInvocation reports whether go vet is driving the binary: it asks for
// the flags (-flags) and the version (-V=full), then passes one .cfg file
// per package.
func IsVetInvocation(args []string) bool {
	for _, a := range args {
		if a == "-flags" || a == "--flags" || strings.HasPrefix(strings.TrimLeft(a, "-"), "V") && strings.HasPrefix(a, "-") {
			return true
		}
	}
	return len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg")
}

// RegisterVetFlags defines, on the command line's flag set, the flags of the
// vet tool that are not checks' flags (the run directory and the time
// budgets). go vet accepts only the flags the tool lists.
func RegisterVetFlags() {
	if flag.Lookup(outFlag) == nil {
		flag.String(outFlag, "", "internal: the directory where a standalone mapguard run collects its results")
		flag.String(runFlag, "", "internal: the options of a standalone mapguard run")
		budget.RegisterFlags(flag.CommandLine)
	}
}

// runDir returns the directory of the standalone run that args belong to,
// or "".
func runDir(args []string) string { return flagValue(args, outFlag) }

// flagValue returns the value of the -name=value argument in args, or "".
func flagValue(args []string, name string) string {
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "-"+name+"="); ok {
			return v
		}
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v
		}
	}
	return ""
}

// isRunFlag reports whether a tool argument says where a standalone run's
// results go or what its options are: not part of a unit's cache key, which
// covers the options one by one.
func isRunFlag(arg string) bool {
	return runDir([]string{arg}) != "" || flagValue([]string{arg}, runFlag) != ""
}

// unitOptions returns the options of the standalone run args belong to and
// its directory ("" when results are printed for go vet), or nil when args
// are not a tool invocation of a standalone run.
func unitOptions(args []string) (*runOptions, string, error) {
	if dir := runDir(args); dir != "" {
		o, err := readOptions(dir)
		return o, dir, err
	}
	enc := flagValue(args, runFlag)
	if enc == "" {
		return nil, "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return nil, "", fmt.Errorf("-%s: %w", runFlag, err)
	}
	o := new(runOptions)
	if err := json.Unmarshal(b, o); err != nil {
		return nil, "", fmt.Errorf("-%s: %w", runFlag, err)
	}
	return o, "", nil
}

// ServeUnit serves a tool invocation of a standalone run and exits; it
// returns (doing nothing) when args are not one. universe holds every
// analyzer the run may name.
func ServeUnit(universe []*analysis.Analyzer, args []string) {
	if len(args) == 0 || !strings.HasSuffix(args[len(args)-1], ".cfg") {
		return
	}
	o, dir, err := unitOptions(args)
	if o == nil && err == nil {
		return
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "mapguard: %v\n", err)
		os.Exit(1)
	}
	if results := os.Getenv(unitResultsEnv); results != "" {
		checkUnit(universe, o, results, args)
		return // not reached: unitchecker exits
	}
	if dir == "" {
		err = checkHere(universe, o, args)
	} else {
		err = runUnit(o, dir, args)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "mapguard: %v\n", err)
		os.Exit(1)
	}
	os.Exit(0)
}

func readOptions(dir string) (*runOptions, error) {
	b, err := os.ReadFile(filepath.Join(dir, optionsFile))
	if err != nil {
		return nil, err
	}
	o := new(runOptions)
	if err := json.Unmarshal(b, o); err != nil {
		return nil, fmt.Errorf("%s: %w", optionsFile, err)
	}
	return o, nil
}

// checkUnit is the child process: unitchecker with the run's analyzers,
// each writing its diagnostics to results.
func checkUnit(universe []*analysis.Analyzer, o *runOptions, results string, args []string) {
	as, err := selectAnalyzers(universe, o.Analyzers)
	if err != nil {
		fmt.Fprintf(os.Stderr, "mapguard: %v\n", err)
		os.Exit(1)
	}
	SkipReportsOnDependencies(as, args)
	record, err := recordFile(results)
	if err != nil {
		fmt.Fprintf(os.Stderr, "mapguard: %v\n", err)
		os.Exit(1)
	}
	recordAnalyzers(as, record)
	RegisterVetFlags()
	// -json: diagnostics go to the discarded stdout, not as text to stderr,
	// which is left for errors; the exit code says whether it failed.
	os.Args = append([]string{os.Args[0], "-json"}, args...)
	unitchecker.Main(ProfileUnit(as)...)
}

// selectAnalyzers returns the analyzers of universe a run names.
func selectAnalyzers(universe []*analysis.Analyzer, names []string) ([]*analysis.Analyzer, error) {
	byName := make(map[string]*analysis.Analyzer)
	for _, a := range universe {
		byName[a.Name] = a
	}
	var as []*analysis.Analyzer
	for _, name := range names {
		a, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("unknown check %q", name)
		}
		as = append(as, a)
	}
	return as, nil
}

// checkHere checks the unit of the .cfg file that ends args in this
// process, for a standalone run whose results go vet caches (no run
// directory): unitchecker type-checks the unit and runs the checks, and one
// more analyzer, which requires all the others so that it runs last, prints
// the unit's result into the file go vet reads the tool's output from
// (unitchecker has pointed os.Stdout at it; for a named package, its own
// JSON follows, which decodeResults skips). It returns only when there is nothing to
// check or the result is known beforehand. A unit that fails (type errors,
// a crash) ends the process with unitchecker's error, and the standalone
// process runs again the way that says why (vetCached).
func checkHere(universe []*analysis.Analyzer, o *runOptions, args []string) error {
	cfg, raw, res, err := readUnit(o, args)
	if err != nil || res == nil {
		return err
	}
	if cfg.VetxOnly && mayBeNamed(cfg) {
		// go vet may replay this result when the package is named.
		cfg.VetxOnly, raw["VetxOnly"], res.FactsOnly = false, false, false
	}
	if len(res.BrokenImports) > 0 {
		// Into go vet's file, as unitchecker would print.
		if cfg.Stdout != "" {
			f, err := os.Create(cfg.Stdout)
			if err != nil {
				return err
			}
			defer f.Close()
			os.Stdout = f
		}
		return printResult(os.Stdout, res)
	}
	as, err := selectAnalyzers(universe, o.Analyzers)
	if err != nil {
		return err
	}
	// The unit as mapguard checks it (maybe without its tests, maybe in
	// full), beside go vet's file in the action's own directory.
	raw["GoFiles"] = cfg.GoFiles
	b, err := json.Marshal(raw)
	if err != nil {
		return err
	}
	own := filepath.Join(filepath.Dir(args[len(args)-1]), "mapguard-unit.cfg")
	if err := os.WriteFile(own, b, 0o644); err != nil {
		return err
	}
	toolArgs := append(slices.Clone(args[:len(args)-1]), own)
	skipReports(as, cfg.VetxOnly)
	var results []analyzerResult
	recordAnalyzers(as, func(r analyzerResult) error {
		results = append(results, r)
		return nil
	})
	last := runsLast("mapguardresult", "prints the result of a standalone mapguard run's unit", new(resultMarker), as, func() error {
		res.addAnalyzers(results)
		return printResult(os.Stdout, res)
	})
	RegisterVetFlags()
	os.Args = append([]string{os.Args[0], "-json"}, toolArgs...)
	unitchecker.Main(ProfileUnit(append(as, last))...)
	return nil // not reached: unitchecker exits
}

// resultMarker is the fact type of checkHere's last analyzer (runsLast).
type resultMarker struct{}

func (*resultMarker) AFact()         {}
func (*resultMarker) String() string { return "mapguardresult" }

// brokenImports returns the imports of the unit that have no facts file
// because they failed, sorted.
func brokenImports(cfg *vetConfig) []string {
	var out []string
	for _, path := range cfg.ImportMap {
		if _, ok := cfg.PackageVetx[path]; !ok && path != "unsafe" && path != "C" {
			out = append(out, path)
		}
	}
	sort.Strings(out)
	return out
}

// addAnalyzers adds the analyzers' results to res, their notes as the
// unit's, sorted by analyzer.
func (res *unitResult) addAnalyzers(results []analyzerResult) {
	for _, a := range results {
		for _, n := range a.Notes {
			n.Check = a.Name
			res.Notes = append(res.Notes, n)
		}
		a.Notes = nil
		res.Analyzers = append(res.Analyzers, a)
	}
	sort.Slice(res.Analyzers, func(i, j int) bool { return res.Analyzers[i].Name < res.Analyzers[j].Name })
}

// runUnit checks the unit of the .cfg file that ends args, from the result
// cache or through a child process, and writes its result into the run's
// directory dir.
func runUnit(o *runOptions, dir string, args []string) error {
	cfg, raw, res, err := readUnit(o, args)
	if err != nil || res == nil {
		return err
	}
	if len(res.BrokenImports) > 0 {
		return writeResult(dir, res)
	}

	c := openCache(o.Cache)
	var key string
	if c != nil {
		key, err = unitKey(o, args[:len(args)-1], cfg)
		if err != nil {
			c = nil // a file changed under us: check it, do not cache it
		}
	}
	if c != nil {
		if cached, ok := c.get(key, cfg.VetxOutput); ok {
			cached.Cached = true
			cached.VetxOnly, cached.FactsOnly = res.VetxOnly, res.FactsOnly
			return writeResult(dir, cached)
		}
	}

	if err := checkInChild(dir, args[:len(args)-1], cfg, raw, res); err != nil {
		return err
	}
	if c != nil && cacheable(res) {
		c.put(key, res, cfg.VetxOutput)
	}
	return writeResult(dir, res)
}

// readUnit reads the .cfg file that ends args: the unit's configuration,
// all of it as raw, and its result to fill, with the imports that failed
// (BrokenImports). res is nil when there is nothing to check: an external
// test package, or a unit of tests only, when test files are not checked.
func readUnit(o *runOptions, args []string) (cfg *vetConfig, raw map[string]any, res *unitResult, err error) {
	cfg, raw, err = readVetConfig(args[len(args)-1])
	if err != nil || !o.Tests && !withoutTests(cfg) {
		return nil, nil, nil, err
	}
	res = &unitResult{ID: cfg.ID, ImportPath: cfg.ImportPath, VetxOnly: cfg.VetxOnly, FactsOnly: cfg.VetxOnly, BrokenImports: brokenImports(cfg)}
	return cfg, raw, res, nil
}

// mayBeNamed reports whether a unit checked as a dependency may, unchanged,
// be checked as a named package in a later run, so that go vet replays its
// result then: a package of the main module (a module without a version;
// the standard library has no module) that has no test files, since a named
// package with tests is checked as its test variant, another unit. A named
// package from elsewhere whose replayed result is facts-only makes the
// standalone run start again without go vet's cache.
func mayBeNamed(cfg *vetConfig) bool {
	if cfg.ModulePath == "" || cfg.ModuleVersion != "" || strings.Contains(cfg.ID, " ") || cfg.Dir == "" {
		return false
	}
	entries, err := os.ReadDir(cfg.Dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), "_test.go") {
			return false
		}
	}
	return true
}

// cacheable reports whether a result may be replayed: not when the unit
// failed, a check failed, or a check skipped code (a time budget depends
// on the machine's load; the next run tries again).
func cacheable(res *unitResult) bool {
	if res.Failed != "" || len(res.Notes) > 0 {
		return false
	}
	for _, a := range res.Analyzers {
		if a.Err != "" {
			return false
		}
	}
	return true
}

// vetConfig is the part of the go command's .cfg file mapguard reads (see
// unitchecker.Config); the rest is kept as is in raw.
type vetConfig struct {
	ID            string
	Dir           string
	ImportPath    string
	GoVersion     string
	GoFiles       []string
	NonGoFiles    []string
	IgnoredFiles  []string
	ModulePath    string
	ModuleVersion string
	ImportMap     map[string]string
	Standard      map[string]bool
	PackageVetx   map[string]string
	VetxOnly      bool
	VetxOutput    string
	Stdout        string // where go vet reads the tool's output from (Go 1.26)
}

func readVetConfig(file string) (*vetConfig, map[string]any, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	cfg := new(vetConfig)
	if err := json.Unmarshal(b, cfg); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	return cfg, raw, nil
}

// withoutTests turns a test variant of a package into the package itself
// (go vet checks the variant in its place, under the same ID) by dropping
// its _test.go files, and reports whether anything is left to check (not
// for an external test package).
func withoutTests(cfg *vetConfig) bool {
	var files []string
	for _, f := range cfg.GoFiles {
		if !strings.HasSuffix(f, "_test.go") {
			files = append(files, f)
		}
	}
	cfg.GoFiles = files
	return len(files) > 0
}

// checkInChild runs the analysis of the unit in a child process and fills
// res with what it reports.
func checkInChild(dir string, toolArgs []string, cfg *vetConfig, raw map[string]any, res *unitResult) error {
	tmp, err := os.MkdirTemp(dir, "unit-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	// The child must not print into the go command's stdout file, and
	// checks the (maybe test-free) file list.
	raw["Stdout"] = ""
	raw["GoFiles"] = cfg.GoFiles
	b, err := json.Marshal(raw)
	if err != nil {
		return err
	}
	cfgFile := filepath.Join(tmp, "vet.cfg")
	if err := os.WriteFile(cfgFile, b, 0o644); err != nil {
		return err
	}
	results := filepath.Join(tmp, "results.jsonl")
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, append(append([]string(nil), toolArgs...), cfgFile)...)
	cmd.Env = append(os.Environ(), unitResultsEnv+"="+results)
	var stderr bytes.Buffer
	cmd.Stdout = io.Discard
	cmd.Stderr = &stderr
	runErr := cmd.Run()
	var exit *exec.ExitError
	if runErr != nil && !errors.As(runErr, &exit) {
		return fmt.Errorf("checking %s: %w", cfg.ID, runErr)
	}

	lines, err := os.ReadFile(results)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	var recorded []analyzerResult
	dec := json.NewDecoder(bytes.NewReader(lines))
	for dec.More() {
		var a analyzerResult
		if err := dec.Decode(&a); err != nil {
			return fmt.Errorf("checking %s: results: %w", cfg.ID, err)
		}
		recorded = append(recorded, a)
	}
	res.addAnalyzers(recorded)

	if runErr != nil {
		res.Analyzers = nil
		res.Failed, res.Errors = classifyFailure(cfg, stderr.String())
	}
	return nil
}

// classifyFailure says why the child failed: syntax errors (all of them,
// from parsing the files again), type errors, or something else.
func classifyFailure(cfg *vetConfig, stderr string) (string, []string) {
	fset := token.NewFileSet()
	var syntax []string
	for _, name := range cfg.GoFiles {
		_, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		var list scanner.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				syntax = append(syntax, e.Error())
			}
		} else if err != nil {
			syntax = append(syntax, err.Error())
		}
	}
	if len(syntax) > 0 {
		return failedSyntax, syntax
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	// unitchecker prints a type error as it is (file:line:col: message)
	// and anything else after the program name.
	if len(lines) > 0 && !strings.HasPrefix(lines[0], filepath.Base(os.Args[0])+": ") && strings.Contains(lines[0], ".go:") {
		return failedTypes, lines
	}
	if len(lines) == 0 {
		lines = []string{"the checker failed without saying why"}
	}
	return failedTool, lines
}

// writeResult writes the result of a unit into the run's directory, with
// the time it was written (Checked).
func writeResult(dir string, res *unitResult) error {
	res.Checked = time.Now().UnixNano()
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "*.result")
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// printResult prints the result of a unit as one line of JSON, with the
// time it was written (Checked), for go vet to pass on.
func printResult(w io.Writer, res *unitResult) error {
	res.Checked = time.Now().UnixNano()
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// decodeResults reads the results the units of a run printed, one JSON
// value each, as go vet passed them on. The JSON unitchecker prints after a
// named package's result (an object keyed by package ID) is skipped.
func decodeResults(r io.Reader) ([]*unitResult, error) {
	var out []*unitResult
	dec := json.NewDecoder(r)
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("reading the results go vet passed on: %w", err)
		}
		var probe struct {
			ID         json.RawMessage `json:"id"`
			ImportPath *string         `json:"importPath"`
		}
		if json.Unmarshal(raw, &probe) != nil || len(probe.ID) == 0 || probe.ID[0] != '"' || probe.ImportPath == nil {
			continue // not a unitResult
		}
		res := new(unitResult)
		if err := json.Unmarshal(raw, res); err != nil {
			return nil, fmt.Errorf("reading the results go vet passed on: %w", err)
		}
		out = append(out, res)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// readResults reads the results of every unit of a run.
func readResults(dir string) ([]*unitResult, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.result"))
	if err != nil {
		return nil, err
	}
	var out []*unitResult
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		r := new(unitResult)
		if err := json.Unmarshal(b, r); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// SkipReportsOnDependencies makes the checks that only report do nothing
// when go vet runs the tool on a dependency for its facts alone (the unit's
// VetxOnly). unitchecker keeps there every analyzer that requires one with
// facts, so a check like lostwrite, which requires the mutators facts,
// would otherwise run in full on every dependency, the standard library
// included, for findings no one sees. The analyzers that export facts, and
// those others require, still run; scope.FactsOnly tells them to stop once
// their facts are exported.
func SkipReportsOnDependencies(as []*analysis.Analyzer, args []string) {
	if len(args) == 0 || !strings.HasSuffix(args[len(args)-1], ".cfg") {
		return
	}
	cfg, _, err := readVetConfig(args[len(args)-1])
	if err != nil {
		return // unitchecker says what is wrong with the file
	}
	skipReports(as, cfg.VetxOnly)
}

// skipReports is SkipReportsOnDependencies for a unit whose VetxOnly is
// known.
func skipReports(as []*analysis.Analyzer, vetxOnly bool) {
	scope.SetFactsOnly(vetxOnly)
	if !vetxOnly {
		return
	}
	required := make(map[*analysis.Analyzer]bool)
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		for _, r := range a.Requires {
			if !required[r] {
				required[r] = true
				visit(r)
			}
		}
	}
	for _, a := range as {
		visit(a)
	}
	for _, a := range as {
		if len(a.FactTypes) == 0 && a.ResultType == nil && !required[a] {
			a.Run = func(*analysis.Pass) (any, error) { return nil, nil }
		}
	}
}
