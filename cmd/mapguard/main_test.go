package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/mapguard/mapguard/internal/dev/sariftest"
)

// These tests build the real binary once and drive it as users do: on its
// own and as a go vet tool, on the modules under testdata/e2e.

var (
	binary  string // the mapguard binary under test
	gocache string // one GOCACHE for this run's go vet calls
)

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "mapguard-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "mapguard")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building mapguard:", err)
		return 1
	}
	// go vet caches results and, in Go 1.26, does not tell a facts-only run
	// of a package from a full one. A cache of our own keeps earlier runs
	// from hiding findings; no call below vets a package as a dependency
	// before another vets it as a root.
	gocache = filepath.Join(dir, "gocache")
	// mapguard's result cache too stays out of the user's.
	os.Setenv("MAPGUARD_CACHE", filepath.Join(dir, "mapguard-cache"))
	return m.Run()
}

func module(name string) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "e2e", name))
	if err != nil {
		panic(err)
	}
	return dir
}

type result struct {
	code           int
	stdout, stderr string
}

func runIn(t *testing.T, dir string, name string, args ...string) result {
	t.Helper()
	return runWithCache(t, gocache, dir, name, args...)
}

// runWithCache is runIn with the given GOCACHE ("" for the user's).
func runWithCache(t *testing.T, cache, dir string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod")
	if cache != "" {
		cmd.Env = append(cmd.Env, "GOCACHE="+cache)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	if exit, ok := err.(*exec.ExitError); ok {
		r.code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return r
}

func mapguard(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return runIn(t, dir, binary, args...)
}

const (
	saveFinding = "store/store.go:16:22: json.Marshal encodes field Store.Items (sync.Map) as {}: its entries are not serialized"
	dumpFinding = "store/store.go:20:27: json.Encoder.Encode (via Write) encodes *sync.Map as {}: its entries are not serialized"
)

// crash matches what a crash prints: a Go panic and its goroutine dump, or
// a check's panic recovered by internal/run/guard. (The checks' documentation,
// printed in SARIF rules, may well mention goroutines and panics.)
var crash = regexp.MustCompile(`(?m)^panic: |^goroutine \d+ \[|internal error: check `)

func noCrash(t *testing.T, r result) {
	t.Helper()
	for _, out := range []string{r.stdout, r.stderr} {
		if m := crash.FindString(out); m != "" {
			t.Errorf("output shows a crash (%q):\n%s%s", m, r.stdout, r.stderr)
		}
	}
}

func TestStandaloneReportsFindingsWithExit3(t *testing.T) {
	r := mapguard(t, module("bugs"), "./...")
	noCrash(t, r)
	if r.code != 3 {
		t.Errorf("exit code %d, want 3\n%s", r.code, r.stderr)
	}
	for _, want := range []string{saveFinding + " (syncmarshal)", dumpFinding + " (syncmarshal)", "\tstore/store.go:12:2: field Items (sync.Map) is declared here"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if n := strings.Count(r.stderr, "(syncmarshal)"); n != 2 {
		t.Errorf("%d findings, want 2 (the ignored one and the clean package stay silent):\n%s", n, r.stderr)
	}
}

func TestStandaloneCleanPackageExits0(t *testing.T) {
	r := mapguard(t, module("bugs"), "./clean")
	if r.code != 0 || r.stderr != "" || r.stdout != "" {
		t.Errorf("exit %d, output %q %q; want 0 and silence", r.code, r.stdout, r.stderr)
	}
}

func TestStandaloneJSON(t *testing.T) {
	r := mapguard(t, module("bugs"), "-json", "./...")
	if r.code != 3 {
		t.Errorf("exit code %d, want 3\n%s", r.code, r.stderr)
	}
	var tree map[string]map[string][]struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatalf("-json output is not JSON: %v\n%s", err, r.stdout)
	}
	diags := tree["example.com/bugs/store"]["syncmarshal"]
	if len(diags) != 2 {
		t.Fatalf("got %d syncmarshal findings for the store package, want 2:\n%s", len(diags), r.stdout)
	}
	if !strings.HasSuffix(diags[0].Posn, "store.go:16:22") || !strings.HasPrefix(diags[0].Message, "json.Marshal encodes field Store.Items") {
		t.Errorf("first finding = %+v", diags[0])
	}
}

func TestDisablingTheCheckSilencesIt(t *testing.T) {
	r := mapguard(t, module("bugs"), "-syncmarshal=false", "./...")
	noCrash(t, r)
	if r.code == 3 || strings.Contains(r.stderr, "(syncmarshal)") {
		t.Errorf("-syncmarshal=false still reports it: exit %d\n%s", r.code, r.stderr)
	}
}

func TestVetToolReportsTheSameFindings(t *testing.T) {
	r := runIn(t, module("bugs"), "go", "vet", "-vettool="+binary, "./...")
	noCrash(t, r)
	if r.code != 1 {
		t.Errorf("go vet exit code %d, want 1\n%s", r.code, r.stderr)
	}
	for _, want := range []string{saveFinding, dumpFinding} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("go vet output lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "Reviewed") || strings.Count(r.stderr, "encodes") != 2 {
		t.Errorf("go vet output has other findings than the two expected:\n%s", r.stderr)
	}
}

// TestFactsFromDependencies: when only ./app is named, go vet analyses its
// helper package lib for facts alone, and the checks that export facts stop
// once they are exported (scope.FactsOnly). Every finding in app needs one
// of those facts, so each check still reports, as the standalone command
// and as a vet tool.
func TestFactsFromDependencies(t *testing.T) {
	findings := map[string]string{ // check: its message in app
		"iterdelete":  "lib.Drop(l, e) removes e from its list",
		"mapkey":      "unhashable key: Cache.Set",
		"poolcopy":    "copies the stored sync.Mutex",
		"syncmapload": "Cache.Get (a wrapper of Load) returns nil then",
		"syncmarshal": "json.Marshal (via Save) encodes field state.Entries",
		"unsavedload": "sessions is loaded from sessions.json",
	}
	inLib := regexp.MustCompile(`(?m)^lib/lib\.go:\d+:\d+: [^\t]`)
	for _, run := range []struct {
		name string
		args []string
		want int
	}{
		{"standalone", []string{binary, "./app"}, 3},
		{"vet tool", []string{"go", "vet", "-vettool=" + binary, "./app"}, 1},
	} {
		r := runIn(t, module("deps"), run.args[0], run.args[1:]...)
		noCrash(t, r)
		if r.code != run.want {
			t.Errorf("%s: exit code %d, want %d\n%s%s", run.name, r.code, run.want, r.stdout, r.stderr)
		}
		out := r.stdout + r.stderr
		for check, msg := range findings {
			if n := strings.Count(out, msg); n != 1 {
				t.Errorf("%s: %d findings of %s in app, want 1:\n%s", run.name, n, check, out)
			}
		}
		if inLib.MatchString(out) {
			t.Errorf("%s: a finding in lib, which was not named:\n%s", run.name, out)
		}
	}
}

func TestVetToolCleanPackageExits0(t *testing.T) {
	r := runIn(t, module("bugs"), "go", "vet", "-vettool="+binary, "./clean")
	if r.code != 0 || r.stderr != "" {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

func TestVetToolOnTypeErrors(t *testing.T) {
	r := runIn(t, module("typeerror"), "go", "vet", "-vettool="+binary, "./...")
	// The module does not compile: go vet itself reports the type error.
	if r.code == 0 || !strings.Contains(r.stderr, "undefined: undefinedThing") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	noCrash(t, r)
}

func TestTypeErrorsAreNamedWithExit1(t *testing.T) {
	r := mapguard(t, module("typeerror"), "./...")
	noCrash(t, r)
	if r.code != 1 {
		t.Errorf("exit code %d, want 1", r.code)
	}
	want := "mapguard: package example.com/typeerror does not type-check:\n\tbad.go:6:22: undefined: undefinedThing\n"
	if r.stderr != want {
		t.Errorf("stderr = %q, want %q", r.stderr, want)
	}
}

func TestMissingPackageIsAnError(t *testing.T) {
	r := mapguard(t, module("bugs"), "./nosuchdir")
	noCrash(t, r)
	if r.code != 1 || !strings.Contains(r.stderr, "nosuchdir") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"-nosuchflag", "./..."},
		{},
		{"-enable=nosuchcheck", "./..."},
		{"-diff", "./..."},
		{"explain", "nosuchcheck"},
	} {
		r := mapguard(t, module("bugs"), args...)
		noCrash(t, r)
		if r.code != 2 || r.stderr == "" {
			t.Errorf("mapguard %v: exit %d, stderr %q; want 2 and a message", args, r.code, r.stderr)
		}
	}
}

func TestExplainPrintsTheCheckDoc(t *testing.T) {
	for _, args := range [][]string{{"explain", "syncmarshal"}, {"-explain", "syncmarshal"}, {"-explain=syncmarshal"}} {
		r := mapguard(t, module("bugs"), args...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "syncmarshal: report values") || !strings.Contains(r.stdout, "cache.Range(") {
			t.Errorf("mapguard %v: exit %d, stdout:\n%s", args, r.code, r.stdout)
		}
	}
}

func TestHelpStatesExitCodesAndChecks(t *testing.T) {
	for _, arg := range []string{"-help", "-h", "help"} {
		r := mapguard(t, module("bugs"), arg)
		if r.code != 0 {
			t.Errorf("%s: exit %d", arg, r.code)
		}
		for _, want := range []string{"Exit codes:", "3  findings", "syncmarshal", "-vettool", "//mapguard:ignore"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%s output lacks %q:\n%s", arg, want, r.stdout)
			}
		}
	}
}

func TestVetProtocolFlags(t *testing.T) {
	r := mapguard(t, module("bugs"), "-flags")
	var flags []struct{ Name string }
	if err := json.Unmarshal([]byte(r.stdout), &flags); err != nil || r.code != 0 {
		t.Fatalf("-flags: exit %d, %v\n%s", r.code, err, r.stdout)
	}
	names := make(map[string]bool)
	for _, f := range flags {
		names[f.Name] = true
	}
	for _, want := range []string{"syncmarshal", "enable", "json", "V"} {
		if !names[want] {
			t.Errorf("-flags lacks %s", want)
		}
	}
	r = mapguard(t, module("bugs"), "-V=full")
	if r.code != 0 || !strings.Contains(r.stdout, "version devel") || !strings.Contains(r.stdout, "buildID=") {
		t.Errorf("-V=full: exit %d, %q", r.code, r.stdout)
	}
}

func TestStandaloneSARIF(t *testing.T) {
	r := mapguard(t, module("bugs"), "-sarif", "./...")
	noCrash(t, r)
	if r.code != 3 {
		t.Errorf("exit code %d, want 3\n%s", r.code, r.stderr)
	}
	if err := sariftest.Validate([]byte(r.stdout)); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID, HelpURI string
						Help        struct{ Markdown string }
					}
				}
			}
			Results []struct {
				RuleID    string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string } `json:"artifactLocation"`
						Region           struct{ StartLine, StartColumn int }
					}
				}
				RelatedLocations []struct{ Message struct{ Text string } }
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("want one run (%v):\n%s", err, r.stdout)
	}
	run := log.Runs[0]
	var rules []string
	for _, rule := range run.Tool.Driver.Rules {
		rules = append(rules, rule.ID)
		if rule.ID == "syncmarshal" && (rule.HelpURI != "https://github.com/mapguard/mapguard/blob/main/docs/checks/syncmarshal.md" || !strings.Contains(rule.Help.Markdown, "Range")) {
			t.Errorf("syncmarshal rule lacks its doc or URL: %+v", rule)
		}
	}
	if !slices.Contains(rules, "syncmarshal") {
		t.Errorf("rules %v lack syncmarshal", rules)
	}
	var got []string
	for _, res := range run.Results {
		if len(res.Locations) != 1 {
			t.Fatalf("result without one location: %+v", res)
		}
		loc := res.Locations[0].PhysicalLocation
		got = append(got, fmt.Sprintf("%s %s:%d:%d (%s) %d related", loc.ArtifactLocation.URIBaseID, loc.ArtifactLocation.URI,
			loc.Region.StartLine, loc.Region.StartColumn, res.RuleID, len(res.RelatedLocations)))
	}
	want := []string{
		"%SRCROOT% store/store.go:16:22 (syncmarshal) 1 related",
		"%SRCROOT% store/store.go:20:27 (syncmarshal) 0 related",
	}
	if !slices.Equal(got, want) {
		t.Errorf("results\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSARIFCleanPackageHasNoResults(t *testing.T) {
	r := mapguard(t, module("bugs"), "-sarif", "./clean")
	if r.code != 0 || r.stderr != "" || !strings.Contains(r.stdout, `"results": []`) {
		t.Errorf("exit %d, stderr %q, stdout:\n%s", r.code, r.stderr, r.stdout)
	}
	if err := sariftest.Validate([]byte(r.stdout)); err != nil {
		t.Error(err)
	}
}

// TestGoTool adds mapguard to a module as a tool (go get -tool), as a user
// of a published release would, with a replace directive standing in for
// the release, and runs it with go tool and through go vet.
func TestGoTool(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	copyDir(t, module("bugs"), dir)
	gomod := "module example.com/bugs\n\ngo 1.26\n\nreplace github.com/mapguard/mapguard => " + root + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	// With GOPROXY=off the checksum database cannot be asked either: start
	// from mapguard's go.sum, as a module that already depends on it would.
	sums, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sums, 0o644); err != nil {
		t.Fatal(err)
	}
	// go tool builds mapguard with the user's build cache, warm from
	// building this package; go vet below keeps to this run's own cache.
	goTool := func(args ...string) result { return runWithCache(t, "", dir, "go", args...) }
	if r := goTool("get", "-tool", "github.com/mapguard/mapguard/cmd/mapguard"); r.code != 0 {
		t.Fatalf("go get -tool: exit %d\n%s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "go.mod")); !strings.Contains(string(b), "tool github.com/mapguard/mapguard/cmd/mapguard") {
		t.Fatalf("go.mod has no tool line:\n%s", b)
	}

	r := goTool("tool", "mapguard", "./...")
	noCrash(t, r)
	if r.code != 3 {
		t.Errorf("go tool mapguard: exit %d, want mapguard's 3\n%s", r.code, r.stderr)
	}
	for _, want := range []string{saveFinding + " (syncmarshal)", dumpFinding + " (syncmarshal)"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("go tool mapguard output lacks %q:\n%s", want, r.stderr)
		}
	}

	path := goTool("tool", "-n", "mapguard")
	tool := strings.TrimSpace(path.stdout)
	if path.code != 0 || !filepath.IsAbs(tool) {
		t.Fatalf("go tool -n mapguard: exit %d, %q\n%s", path.code, path.stdout, path.stderr)
	}
	r = runIn(t, dir, "go", "vet", "-vettool="+tool, "./...")
	noCrash(t, r)
	if r.code != 1 {
		t.Errorf("go vet -vettool=$(go tool -n mapguard): exit %d, want 1\n%s", r.code, r.stderr)
	}
	for _, want := range []string{saveFinding, dumpFinding} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("go vet output lacks %q:\n%s", want, r.stderr)
		}
	}
}

// copyDir copies the files of a small module.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// unboundedmap runs by default (it was opt-in until evaluated on real
// servers): both routes report it, and -unboundedmap=false turns it off.
const growsFinding = "hits/hits.go:18:8: counts only grows: entries keyed by the HTTP request (r.URL.Path) are added here"

func TestUnboundedmapRunsByDefault(t *testing.T) {
	for _, args := range [][]string{{"./..."}, {"-enable=unboundedmap", "./..."}, {"-unboundedmap", "./..."}} {
		r := mapguard(t, module("optin"), args...)
		noCrash(t, r)
		if r.code != 3 || !strings.Contains(r.stderr, growsFinding) || !strings.Contains(r.stderr, "(unboundedmap)") {
			t.Errorf("mapguard %v: exit %d, stderr:\n%s\nwant 3 and %q", args, r.code, r.stderr, growsFinding)
		}
	}
	r := runIn(t, module("optin"), "go", "vet", "-vettool="+binary, "./...")
	noCrash(t, r)
	if r.code != 1 || !strings.Contains(r.stderr, growsFinding) {
		t.Errorf("go vet: exit %d, stderr:\n%s\nwant 1 and %q", r.code, r.stderr, growsFinding)
	}
	r = mapguard(t, module("optin"), "-unboundedmap=false", "./...")
	noCrash(t, r)
	if r.code != 0 || r.stderr != "" {
		t.Errorf("-unboundedmap=false: exit %d, stderr:\n%s\nwant 0 and silence", r.code, r.stderr)
	}
	r = mapguard(t, module("optin"), "-help")
	if strings.Contains(r.stdout, "opt in with -enable=unboundedmap") {
		t.Errorf("-help still calls unboundedmap opt-in:\n%s", r.stdout)
	}
}

func TestTestFilesAndTestFalse(t *testing.T) {
	const (
		code  = "p/p.go:10:22: json.Marshal encodes *sync.Map as {}: its entries are not serialized (syncmarshal)\n"
		inPkg = "p/p_test.go:11:15: json.Marshal encodes *sync.Map as {}: its entries are not serialized (syncmarshal)\n"
		xtest = "p/x_test.go:11:15: json.Marshal encodes *sync.Map as {}: its entries are not serialized (syncmarshal)\n"
	)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"./..."}, code + inPkg + xtest},
		{[]string{"-test=false", "./..."}, code},
	} {
		r := mapguard(t, module("withtests"), tc.args...)
		noCrash(t, r)
		if r.code != 3 || r.stderr != tc.want {
			t.Errorf("mapguard %v: exit %d, stderr:\n%s\nwant 3 and\n%s", tc.args, r.code, r.stderr, tc.want)
		}
	}
}

// TestBudgetSkipsAreReported spends the package time budget at once: the
// checks give up on the package, and every route says so, naming the check
// and the package, instead of staying silent about the code not checked.
func TestBudgetSkipsAreReported(t *testing.T) {
	const skip = "skipped the rest of package example.com/bugs/store after 1ns"
	r := mapguard(t, module("bugs"), "-budget.package=1ns", "./store")
	noCrash(t, r)
	if !strings.Contains(r.stderr, skip) || !strings.Contains(r.stderr, "(syncmarshal)") {
		t.Errorf("text: stderr lacks the skip of syncmarshal:\n%s", r.stderr)
	}
	r = mapguard(t, module("bugs"), "-budget.package=1ns", "-sarif", "./store")
	noCrash(t, r)
	if !strings.Contains(r.stdout, "toolExecutionNotifications") || !strings.Contains(r.stdout, skip) {
		t.Errorf("-sarif: no notification of the skip:\n%s", r.stdout)
	}
	r = runIn(t, module("bugs"), "go", "vet", "-vettool="+binary, "-govet=false", "-budget.package=1ns", "./store")
	noCrash(t, r)
	if !strings.Contains(r.stderr, "syncmarshal skipped the rest of package example.com/bugs/store after 1ns") {
		t.Errorf("go vet: stderr lacks the skip:\n%s", r.stderr)
	}
}
