package main_test

import (
	"strings"
	"testing"
)

// TestStandardLibraryRunsClean runs every check, opt-in ones included, over
// the whole standard library and its tests: no check may panic or fail, and
// every finding must be a real bug (docs/evaluation.md triages them; there
// are none today). It takes a minute, so -short skips it.
func TestStandardLibraryRunsClean(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs mapguard over std")
	}
	r := mapguard(t, module("bugs"), append(enableAllOptIn(t), "std")...)
	noCrash(t, r)
	if r.code != 0 {
		t.Errorf("mapguard std: exit %d, want 0; output:\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// enableAllOptIn returns the -enable flag naming every opt-in check, read
// from the binary's help.
func enableAllOptIn(t *testing.T) []string {
	t.Helper()
	r := mapguard(t, module("bugs"), "-help")
	var names []string
	for _, line := range strings.Split(r.stdout, "\n") {
		if _, rest, ok := strings.Cut(line, "opt in with -enable="); ok {
			names = append(names, strings.TrimSuffix(rest, ")"))
		}
	}
	if len(names) == 0 {
		return nil
	}
	return []string{"-enable=" + strings.Join(names, ",")}
}
