// Package budget bounds the time one check may spend on one function and on
// one package, so that no input makes mapguard hang.
//
// A check goes through its functions with Funcs, which starts a budget for
// its pass and one for each function, and asks Exceeded between the steps of
// its work (each candidate copy, each lookup, each round of a fixed point):
//
//	for fn, u := range budget.Funcs(pass, funcs) {
//		for _, x := range things(fn) {
//			if u.Exceeded() {
//				break // the rest of fn is skipped, and the user told
//			}
//			check(x)
//		}
//	}
//
// A check whose work is not one function at a time uses Start and
// Pass.Func, which Funcs is made of.
//
// When a budget is spent, Exceeded stays true for that unit; the check stops
// work on it and goes on with the next function (or, for the package budget,
// stops for the package). Because the test sits between whole steps, what
// was reported before is complete; what was skipped reports nothing, so a
// skip can cost findings but never adds a wrong one.
//
// The limits default to DefaultFunc and DefaultPackage and are set with the
// -budget.func and -budget.package flags (RegisterFlags; 0 means no limit).
// Each skip is reported once, to the handler set with SetHandler; the default
// handler prints one line to stderr. Drain returns the skips recorded so far,
// for a driver that reports them in its own format (JSON, SARIF, LSP).
package budget

import (
	"flag"
	"fmt"
	"go/token"
	"iter"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// The default limits: far above what any ordinary function or package needs
// (the slowest package of the large modules measured in docs/performance.md
// takes a few seconds in one check), low enough that a pathological input
// cannot stall a CI job.
const (
	DefaultFunc    = 10 * time.Second
	DefaultPackage = 60 * time.Second
)

var funcLimit, pkgLimit atomic.Int64

func init() { SetLimits(DefaultFunc, DefaultPackage) }

// SetLimits sets the time one check may spend on one function and on one
// package; 0 means no limit.
func SetLimits(fn, pkg time.Duration) {
	funcLimit.Store(int64(fn))
	pkgLimit.Store(int64(pkg))
}

// Limits returns the current limits.
func Limits() (fn, pkg time.Duration) {
	return time.Duration(funcLimit.Load()), time.Duration(pkgLimit.Load())
}

// RegisterFlags defines -budget.func and -budget.package on fs. Both the go
// vet route (flag.CommandLine) and the standalone flag set register them;
// they set the same process-wide limits.
func RegisterFlags(fs *flag.FlagSet) {
	fs.Var(limitFlag{&funcLimit}, "budget.func", fmt.Sprintf("time one check may spend on one function before it skips the function and says so (default %s; 0: no limit)", DefaultFunc))
	fs.Var(limitFlag{&pkgLimit}, "budget.package", fmt.Sprintf("time one check may spend on one package before it skips the rest of it and says so (default %s; 0: no limit)", DefaultPackage))
}

type limitFlag struct{ v *atomic.Int64 }

func (f limitFlag) String() string {
	if f.v == nil {
		return ""
	}
	return time.Duration(f.v.Load()).String()
}

func (f limitFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("want a duration such as 10s or 2m: %w", err)
	}
	if d < 0 {
		return fmt.Errorf("want a duration of 0 or more, not %s", s)
	}
	f.v.Store(int64(d))
	return nil
}

// A Skip is one unit of work a check gave up on because its budget was
// spent.
type Skip struct {
	Check   string
	Package string
	Func    string         // the function skipped; "" when the rest of the package was
	Pos     token.Position // where that function is declared (zero for a package)
	Limit   time.Duration  // the budget that was spent
}

// Message says what was skipped and what that means, without the check's
// name or the position: the one wording of a skip, used as is for the
// driver's -json notes and inside String.
func (s Skip) Message() string {
	what, flag := "the rest of package "+s.Package, "-budget.package"
	if s.Func != "" {
		what, flag = "function "+s.Func, "-budget.func"
	}
	return fmt.Sprintf("skipped %s after %s, its time budget: findings there may be missing (raise it with %s)", what, s.Limit, flag)
}

// String is the line the default handler prints (and the language server
// logs): Message with the position, when there is one, and the check.
func (s Skip) String() string {
	if s.Pos.IsValid() {
		return fmt.Sprintf("mapguard: %s: %s %s", s.Pos, s.Check, s.Message())
	}
	return fmt.Sprintf("mapguard: %s %s", s.Check, s.Message())
}

var (
	mu      sync.Mutex
	skips   []Skip
	handler = func(s Skip) { fmt.Fprintln(os.Stderr, s) }
)

// SetHandler makes h receive each skip as it happens, instead of the
// default handler, which prints it to stderr; nil only records skips for
// Drain. It returns the previous handler.
func SetHandler(h func(Skip)) (previous func(Skip)) {
	mu.Lock()
	defer mu.Unlock()
	previous, handler = handler, h
	return previous
}

// Drain returns the skips recorded since the last call, and forgets them.
func Drain() []Skip {
	mu.Lock()
	defer mu.Unlock()
	out := skips
	skips = nil
	return out
}

func record(s Skip) {
	mu.Lock()
	skips = append(skips, s)
	h := handler
	mu.Unlock()
	if h != nil {
		h(s)
	}
}

// pollEvery is how many Exceeded calls share one reading of the clock: a
// step between polls is small, and reading the clock at every step of a
// tight walk would cost more than the step.
const pollEvery = 16

// A Pass is one check's budget for one package.
type Pass struct {
	check, pkg string
	fset       *token.FileSet
	deadline   time.Time // zero: no limit
	limit      time.Duration
	calls      uint32
	spent      bool
}

// Start starts the package budget of pass's check; call it when the check's
// run begins.
func Start(pass *analysis.Pass) *Pass {
	_, limit := Limits()
	p := &Pass{check: pass.Analyzer.Name, pkg: pass.Pkg.Path(), fset: pass.Fset, limit: limit}
	if limit > 0 {
		p.deadline = time.Now().Add(limit)
	}
	return p
}

// Exceeded reports whether the package budget is spent. The first time it
// is, the skip of the rest of the package is recorded. A nil *Pass is never
// exceeded.
func (p *Pass) Exceeded() bool {
	if p == nil || p.deadline.IsZero() {
		return false
	}
	if p.spent {
		return true
	}
	p.calls++
	if p.calls%pollEvery != 1 {
		return false
	}
	return p.checkClock(time.Now())
}

func (p *Pass) checkClock(now time.Time) bool {
	if p.spent || p.deadline.IsZero() || now.Before(p.deadline) {
		return p.spent
	}
	p.spent = true
	record(Skip{Check: p.check, Package: p.pkg, Limit: p.limit})
	return true
}

// Funcs starts the package budget of pass's check and yields each function
// of funcs, in order, with its own budget, started just before it is yielded.
// It stops before the next function once the package budget is spent.
func Funcs(pass *analysis.Pass, funcs []*ssa.Function) iter.Seq2[*ssa.Function, *Func] {
	return func(yield func(*ssa.Function, *Func) bool) {
		p := Start(pass)
		for _, fn := range funcs {
			if p.Exceeded() || !yield(fn, p.Func(fn)) {
				return
			}
		}
	}
}

// A Func is one check's budget for one function.
type Func struct {
	pass     *Pass
	fn       *ssa.Function
	deadline time.Time // zero: no limit
	limit    time.Duration
	calls    uint32
	spent    bool
}

// Func starts the budget for fn. A check calls it once per function it
// analyses, just before it starts on it.
func (p *Pass) Func(fn *ssa.Function) *Func {
	if p == nil {
		return nil
	}
	limit, _ := Limits()
	f := &Func{pass: p, fn: fn, limit: limit}
	if limit > 0 {
		f.deadline = time.Now().Add(limit)
	}
	return f
}

// Exceeded reports whether the function's budget, or its package's, is
// spent. The first time the function's is, its skip is recorded. A nil *Func
// is never exceeded.
func (f *Func) Exceeded() bool {
	if f == nil {
		return false
	}
	if f.spent || f.pass.spent {
		return true
	}
	f.calls++
	if f.calls%pollEvery != 1 {
		return false
	}
	now := time.Now()
	if f.pass.checkClock(now) {
		return true
	}
	if f.deadline.IsZero() || now.Before(f.deadline) {
		return false
	}
	f.spent = true
	p := f.pass
	s := Skip{Check: p.check, Package: p.pkg, Func: f.fn.String(), Limit: f.limit}
	if pos := f.fn.Pos(); pos.IsValid() {
		s.Pos = p.fset.Position(pos)
	}
	record(s)
	return true
}
