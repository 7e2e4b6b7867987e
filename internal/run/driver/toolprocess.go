package driver

// What a tool process sets up around unitchecker: the pace of its garbage
// collector, a CPU profile on request, and analyzers that run after all the
// checks.

import (
	"fmt"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"slices"

	"golang.org/x/tools/go/analysis"
)

// runsLast returns an analyzer that requires every analyzer of as, so that
// unitchecker runs it after them, and calls run then: unitchecker ends the
// process with os.Exit once it has written the facts, so nothing can run
// after it. marker, a fact type of its own that it never exports, keeps it
// on a dependency's unit, where unitchecker drops the analyzers that neither
// have facts nor require one that has.
func runsLast(name, doc string, marker analysis.Fact, as []*analysis.Analyzer, run func() error) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:      name,
		Doc:       doc,
		Requires:  slices.Clone(as),
		FactTypes: []analysis.Fact{marker},
		Run:       func(*analysis.Pass) (any, error) { return nil, run() },
	}
}

// ProfileEnv names a directory where each tool process go vet starts writes
// a CPU profile of its unit (type-checking and every check), for finding
// where a vet run's time goes: merge them with go tool pprof DIR/*.prof.
const ProfileEnv = "MAPGUARD_TOOL_CPUPROFILE"

// ProfileUnit starts a CPU profile of this tool process when ProfileEnv is
// set, and returns as with one more analyzer that runs last and stops the
// profile. Being required by it, checks turned off with -NAME=false run too
// while profiling.
func ProfileUnit(as []*analysis.Analyzer) []*analysis.Analyzer {
	dir := os.Getenv(ProfileEnv)
	if dir == "" {
		return as
	}
	f, err := os.CreateTemp(dir, fmt.Sprintf("unit-%d-*.prof", os.Getpid()))
	if err != nil {
		fmt.Fprintf(os.Stderr, "mapguard: %s: %v\n", ProfileEnv, err)
		return as
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(os.Stderr, "mapguard: %s: %v\n", ProfileEnv, err)
		f.Close()
		os.Remove(f.Name())
		return as
	}
	stop := runsLast("profilestop", "stops the CPU profile of "+ProfileEnv, new(profileMarker), as, func() error {
		pprof.StopCPUProfile()
		return f.Close()
	})
	return append(as, stop)
}

// profileMarker is the fact type of ProfileUnit's last analyzer (runsLast).
type profileMarker struct{}

func (*profileMarker) AFact()         {}
func (*profileMarker) String() string { return "profilestop" }

// Garbage collection of a tool process: go vet starts one per unit, each
// living for a second or so, in which the collector's default pace
// (GOGC=100) spent a tenth of the CPU time of a run over a large module.
// Letting the heap grow to three times what is live halves that; a soft
// memory limit stops the growth at 1 GiB, for the rare unit whose live heap
// is over a third of that (past 512 MiB live, collections come sooner than
// by default).
const (
	toolGCPercent   = 200
	toolMemoryLimit = 1 << 30
)

// TuneToolGC sets the pace of the garbage collector for a tool process, as
// GOGC=200 and GOMEMLIMIT=1GiB would, unless the environment sets either.
func TuneToolGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(toolGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(toolMemoryLimit)
	}
}
