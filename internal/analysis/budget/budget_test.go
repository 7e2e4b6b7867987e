package budget_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/mapguard/mapguard/analyzers"
	"github.com/mapguard/mapguard/internal/analysis/budget"
)

// hugeSource is one package with a function of thousands of blocks: a giant
// switch whose cases load, assert, store and update a by-value parameter,
// a long chain of ifs writing the same copy, and closures nested deep. Each
// polling check has thousands of steps in Huge.
func hugeSource(cases, nesting int) string {
	var b strings.Builder
	b.WriteString(`package huge

import "sync"

var cache sync.Map

type S struct {
	N int
	F map[string]int
}

func Huge(x int, s S, m map[float64]int, f float64) int {
	y := 0
	switch x {
`)
	for i := range cases {
		fmt.Fprintf(&b, "\tcase %d:\n", i)
		fmt.Fprintf(&b, "\t\tif _, ok := cache.Load(%d); !ok {\n\t\t\tcache.Store(%d, y)\n\t\t}\n", i, i)
		fmt.Fprintf(&b, "\t\tv%d, _ := cache.Load(%d + x)\n\t\ty += v%d.(int)\n", i, i, i)
		fmt.Fprintf(&b, "\t\ts.N = y + %d\n\t\ts.F[\"k%d\"] = y\n\t\tm[f/float64(y)] = %d\n", i, i, i)
	}
	b.WriteString("\t}\n")
	for i := range cases {
		fmt.Fprintf(&b, "\tif x > %d {\n\t\ts.N = %d\n\t}\n", i, i)
	}
	for i := range nesting {
		fmt.Fprintf(&b, "%sfunc() {\n%s\ty += %d\n", strings.Repeat("\t", i+1), strings.Repeat("\t", i+1), i)
	}
	for i := nesting - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "%s}()\n", strings.Repeat("\t", i+1))
	}
	b.WriteString("\treturn y\n}\n")
	return b.String()
}

// load writes the huge package into a module of its own and loads it.
func load(t *testing.T) []*packages.Package {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":  "module huge\n\ngo 1.26\n",
		"huge.go": hugeSource(600, 40),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax, Dir: dir}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
		t.Fatalf("the generated package does not load: %v", pkgs[0].Errors[:min(3, len(pkgs[0].Errors))])
	}
	return pkgs
}

func defaultChecks() []*analysis.Analyzer {
	var as []*analysis.Analyzer
	for _, c := range analyzers.All() {
		as = append(as, c.Analyzer)
	}
	return as
}

// withLimits runs f with the given limits and a handler that collects the
// skips, and returns them.
func withLimits(t *testing.T, fn, pkg time.Duration, f func()) []budget.Skip {
	t.Helper()
	oldFn, oldPkg := budget.Limits()
	var got []budget.Skip
	prev := budget.SetHandler(func(s budget.Skip) { got = append(got, s) })
	budget.SetLimits(fn, pkg)
	t.Cleanup(func() {
		budget.SetLimits(oldFn, oldPkg)
		budget.SetHandler(prev)
		budget.Drain()
	})
	f()
	return got
}

// generousBound is far more than the checks need on the huge package with
// a tiny budget (about a second of analysis on a loaded 2-core machine);
// it only catches a run the budget failed to stop.
const generousBound = 5 * time.Minute

// TestHugeFunctionIsSkippedNotHung runs every check on a function of
// thousands of blocks with a function budget far below what the checks need
// for it: the run must end, and each check that has work in it must say it
// skipped it. Without the budget nothing would be reported as skipped.
func TestHugeFunctionIsSkippedNotHung(t *testing.T) {
	pkgs := load(t)
	start := time.Now()
	skips := withLimits(t, time.Microsecond, 0, func() {
		if _, err := checker.Analyze(defaultChecks(), pkgs, nil); err != nil {
			t.Fatal(err)
		}
	})
	if took := time.Since(start); took > generousBound {
		t.Errorf("the run took %s with a 1µs function budget", took)
	}
	byCheck := make(map[string]budget.Skip)
	for _, s := range skips {
		if s.Func == "" {
			t.Errorf("the package was skipped, not a function: %v", s)
		}
		if strings.HasSuffix(s.Func, "huge.Huge") {
			if _, dup := byCheck[s.Check]; dup {
				t.Errorf("%s reported its skip of Huge twice", s.Check)
			}
			byCheck[s.Check] = s
		}
	}
	for _, check := range []string{"checkthenact", "lostwrite", "mapcopy", "mapkey", "syncmapload"} {
		s, ok := byCheck[check]
		if !ok {
			t.Errorf("%s did not report skipping Huge (skips: %v)", check, skips)
			continue
		}
		if s.Package != "huge" || s.Limit != time.Microsecond || !strings.HasSuffix(s.Pos.Filename, "huge.go") || s.Pos.Line != 12 {
			t.Errorf("%s: wrong skip %+v", check, s)
		}
	}
}

// TestPackageBudgetStopsEveryCheck sets only a package budget, spent before
// the first function: each check that reaches its per-function loop stops
// there and says so once.
func TestPackageBudgetStopsEveryCheck(t *testing.T) {
	pkgs := load(t)
	skips := withLimits(t, 0, time.Nanosecond, func() {
		if _, err := checker.Analyze(defaultChecks(), pkgs, nil); err != nil {
			t.Fatal(err)
		}
	})
	seen := make(map[string]int)
	for _, s := range skips {
		if s.Func != "" || s.Package != "huge" {
			t.Errorf("want package skips only, got %+v", s)
		}
		seen[s.Check]++
	}
	for _, check := range []string{"checkthenact", "lostwrite", "mapcopy", "mapkey", "syncmapload"} {
		if seen[check] != 1 {
			t.Errorf("%s reported %d package skips, want 1 (skips: %v)", check, seen[check], skips)
		}
	}
}

func TestSkipMessages(t *testing.T) {
	fn := budget.Skip{Check: "lostwrite", Package: "p", Func: "p.F", Limit: 10 * time.Second}
	fn.Pos.Filename, fn.Pos.Line, fn.Pos.Column = "f.go", 3, 1
	if got, want := fn.String(), "mapguard: f.go:3:1: lostwrite skipped function p.F after 10s, its time budget: findings there may be missing (raise it with -budget.func)"; got != want {
		t.Errorf("function skip:\n got %s\nwant %s", got, want)
	}
	pkg := budget.Skip{Check: "mapkey", Package: "p", Limit: time.Minute}
	if got, want := pkg.String(), "mapguard: mapkey skipped the rest of package p after 1m0s, its time budget: findings there may be missing (raise it with -budget.package)"; got != want {
		t.Errorf("package skip:\n got %s\nwant %s", got, want)
	}
}

func TestFlags(t *testing.T) {
	oldFn, oldPkg := budget.Limits()
	t.Cleanup(func() { budget.SetLimits(oldFn, oldPkg) })
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(new(strings.Builder))
	budget.RegisterFlags(fs)
	if got := fs.Lookup("budget.func").DefValue; got != oldFn.String() {
		t.Errorf("-budget.func default shows %q, want %q", got, oldFn)
	}
	if err := fs.Parse([]string{"-budget.func=2s", "-budget.package=0"}); err != nil {
		t.Fatal(err)
	}
	if fn, pkg := budget.Limits(); fn != 2*time.Second || pkg != 0 {
		t.Errorf("after -budget.func=2s -budget.package=0: limits %s, %s", fn, pkg)
	}
	for _, bad := range []string{"-budget.func=soon", "-budget.package=-1s"} {
		if err := fs.Parse([]string{bad}); err == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
}
