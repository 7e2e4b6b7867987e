package driver

import (
	"fmt"
	"os"
	"reflect"
	"runtime/debug"
	"runtime/pprof"

	"golang.org/x/tools/go/analysis"
)

// ProfileEnv names a directory where each tool process go vet starts writes
// a CPU profile of its unit (type-checking and every check), for finding
// where a vet run's time goes: merge them with go tool pprof DIR/*.prof.
const ProfileEnv = "MAPGUARD_TOOL_CPUPROFILE"

// ProfileUnit starts a CPU profile of this tool process when ProfileEnv is
// set, and returns as with one more analyzer, which requires all of them so
// that unitchecker runs it last, and which stops the profile (unitchecker
// ends the process with os.Exit, so nothing runs after it). Being required,
// checks turned off with -NAME=false run too while profiling.
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
	stop := &analysis.Analyzer{
		Name:       "profilestop",
		Doc:        "stops the CPU profile of " + ProfileEnv,
		Requires:   append([]*analysis.Analyzer(nil), as...),
		ResultType: reflect.TypeFor[struct{}](),
		Run: func(*analysis.Pass) (any, error) {
			pprof.StopCPUProfile()
			f.Close()
			return struct{}{}, nil
		},
	}
	return append(as, stop)
}

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
