package driver

import (
	"os"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"
)

// TestMain lets the test binary serve as the vet tool of the standalone
// runs these tests start (run executes go vet with os.Executable()), with
// the tests' analyzers.
func TestMain(m *testing.M) {
	if IsVetInvocation(os.Args[1:]) {
		universe := []*analysis.Analyzer{panicky, renamer, documented, silent}
		ServeUnit(universe, os.Args[1:])
		RegisterVetFlags()
		unitchecker.Main(universe...)
	}
	// The result cache of these runs stays out of the user's.
	dir, err := os.MkdirTemp("", "mapguard-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv(cacheEnv, dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
