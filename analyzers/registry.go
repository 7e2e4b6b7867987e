// Package analyzers is the registry of mapguard's checks. The command line,
// the go vet tool, the language server, the golangci-lint plugin and the
// docs generator all read it: adding a check means adding it here.
package analyzers

//go:generate go test ../internal/dev/docgen -run TestGeneratedDocsAreCurrent -update

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/analyzers/checkthenact"
	"github.com/mapguard/mapguard/analyzers/iterdelete"
	"github.com/mapguard/mapguard/analyzers/lostwrite"
	"github.com/mapguard/mapguard/analyzers/mapcopy"
	"github.com/mapguard/mapguard/analyzers/mapkey"
	"github.com/mapguard/mapguard/analyzers/maprace"
	"github.com/mapguard/mapguard/analyzers/poolcopy"
	"github.com/mapguard/mapguard/analyzers/syncmapload"
	"github.com/mapguard/mapguard/analyzers/syncmarshal"
	"github.com/mapguard/mapguard/analyzers/unboundedmap"
	"github.com/mapguard/mapguard/analyzers/unsavedload"
)

// A Check is one registered analyzer and whether it runs by default.
type Check struct {
	Analyzer *analysis.Analyzer
	// OptIn checks run only when enabled by name, until their precision on
	// real code has been shown.
	OptIn bool
}

var all = []Check{
	{Analyzer: checkthenact.Analyzer},
	{Analyzer: iterdelete.Analyzer},
	{Analyzer: lostwrite.Analyzer},
	{Analyzer: mapcopy.Analyzer},
	{Analyzer: mapkey.Analyzer},
	{Analyzer: maprace.Analyzer},
	{Analyzer: poolcopy.Analyzer},
	{Analyzer: syncmapload.Analyzer},
	{Analyzer: syncmarshal.Analyzer},
	{Analyzer: unboundedmap.Analyzer},
	{Analyzer: unsavedload.Analyzer},
}

// All returns every registered check, sorted by name.
func All() []Check {
	checks := slices.Clone(all)
	sort.Slice(checks, func(i, j int) bool { return checks[i].Analyzer.Name < checks[j].Analyzer.Name })
	return checks
}

// Lookup returns the check with the given name.
func Lookup(name string) (Check, bool) {
	for _, c := range all {
		if c.Analyzer.Name == name {
			return c, true
		}
	}
	return Check{}, false
}

// Names returns the names of all checks, sorted.
func Names() []string {
	var names []string
	for _, c := range All() {
		names = append(names, c.Analyzer.Name)
	}
	return names
}

// Select returns the analyzers to run, sorted by name (as All).
//
// explicit holds per-check switches (the -NAME and -NAME=false flags): if any
// is true, exactly the checks switched on run; otherwise every default check
// runs, plus the opt-in checks named in enable, minus those switched off.
// Unknown names are an error.
func Select(explicit map[string]bool, enable []string) ([]*analysis.Analyzer, error) {
	for name := range explicit {
		if _, ok := Lookup(name); !ok {
			return nil, unknown(name)
		}
	}
	extra := make(map[string]bool)
	for _, name := range enable {
		if _, ok := Lookup(name); !ok {
			return nil, unknown(name)
		}
		extra[name] = true
	}
	only := false
	for _, on := range explicit {
		only = only || on
	}
	var out []*analysis.Analyzer
	for _, c := range All() {
		name := c.Analyzer.Name
		on, set := explicit[name]
		switch {
		case only:
			if on {
				out = append(out, c.Analyzer)
			}
		case set && !on:
		case !c.OptIn || extra[name]:
			out = append(out, c.Analyzer)
		}
	}
	return out, nil
}

func unknown(name string) error {
	return fmt.Errorf("unknown check %q (checks: %s)", name, strings.Join(Names(), ", "))
}
