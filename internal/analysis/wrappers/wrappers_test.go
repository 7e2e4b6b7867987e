package wrappers_test

import (
	"fmt"
	"go/types"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/wrappers"
)

// passes is the test check's fact: the function hands the parameters listed
// to lib.Sink, directly or through other wrappers.
type passes struct{ Params []int }

func (*passes) AFact()           {}
func (f *passes) String() string { return fmt.Sprintf("passes%v", f.Params) }

type hasWrappers struct{}

func (*hasWrappers) AFact()         {}
func (*hasWrappers) String() string { return "hasWrappers" }

// check finds the wrappers of lib.Sink the way mapkey, syncmarshal and
// syncmapload find theirs, and says which packages use a wrapper of
// another package.
var check = &analysis.Analyzer{
	Name:      "wrappertest",
	Doc:       "test check for package wrappers",
	Requires:  []*analysis.Analyzer{buildssa.Analyzer},
	FactTypes: []analysis.Fact{new(passes), new(hasWrappers)},
	Run: func(pass *analysis.Pass) (any, error) {
		if wrappers.Called[passes](pass, new(hasWrappers)) {
			pass.Reportf(pass.Files[0].Package, "uses a wrapper of another package")
		}
		funcs := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA).SrcFuncs
		facts := wrappers.New[passes](pass)
		wrappers.Solve(funcs, func(fn *ssa.Function) bool {
			changed := false
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					call, ok := instr.(*ssa.Call)
					if !ok {
						continue
					}
					for _, i := range passed(facts, call.Common()) {
						p := wrappers.OpenParam(fn, call.Common().Args[i], types.IsInterface)
						if p >= 0 && add(facts.Add(fn), p) {
							changed = true
						}
					}
				}
			}
			return changed
		})
		facts.Export(new(hasWrappers))
		return nil, nil
	},
}

// passed returns the indexes of the arguments of call that reach lib.Sink.
func passed(facts *wrappers.Facts[passes, *passes], call *ssa.CallCommon) []int {
	fn := code.Callee(call)
	if fn == nil {
		return nil
	}
	if code.FuncName(call) == "lib.Sink" {
		return []int{0}
	}
	if f := facts.Of(fn); f != nil {
		return f.Params
	}
	return nil
}

func add(f *passes, i int) bool {
	for _, p := range f.Params {
		if p == i {
			return false
		}
	}
	f.Params = append(f.Params, i)
	return true
}

// TestWrappersAcrossPackages pins what a check built on the package sees:
// wrappers of wrappers found to a fixed point, facts for exported wrappers
// only, the package fact, imported facts, and Called on the package that
// uses one (user) and not on the one that calls none (other).
func TestWrappersAcrossPackages(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), check, "lib", "user", "other")
}

// TestSolveRounds pins how often each solver calls step: Solve until a
// whole round changes nothing, SolveRounds at most its rounds.
func TestSolveRounds(t *testing.T) {
	funcs := make([]*ssa.Function, 3)
	calls := 0
	changes := 4 // the first four calls change something
	wrappers.Solve(funcs, func(*ssa.Function) bool {
		calls++
		return calls <= changes
	})
	if calls != 9 { // rounds one and two change something, round three does not
		t.Errorf("Solve called step %d times, want 9", calls)
	}
	calls = 0
	wrappers.SolveRounds(funcs, 2, func(*ssa.Function) bool {
		calls++
		return true // never a fixed point
	})
	if calls != 6 {
		t.Errorf("SolveRounds(2) called step %d times, want 6", calls)
	}
	calls = 0
	wrappers.SolveRounds(funcs, 8, func(*ssa.Function) bool {
		calls++
		return false
	})
	if calls != 3 {
		t.Errorf("SolveRounds at a fixed point called step %d times, want 3", calls)
	}
}
