package driver

import (
	"fmt"
	"os"
	"reflect"
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

