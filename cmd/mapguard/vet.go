package main

import (
	"flag"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/mapguard/mapguard/analyzers"
	"github.com/mapguard/mapguard/internal/run/driver"
	"github.com/mapguard/mapguard/internal/run/govet"
)

// vetMain serves the go vet protocol. go vet passes the user's flags
// through, so opt-in checks are included when the command line names them
// (as -NAME or in -enable=...), and always when go vet asks which flags
// exist. go vet's own analyzers are included unless -govet=false: as a vet
// tool, mapguard replaces go vet's suite, and in one pass each package is
// type-checked once. unitchecker then applies the usual -NAME selection.
func vetMain(args []string) {
	driver.TuneToolGC()
	// A tool process of a standalone run (mapguard ./...) exits here.
	driver.ServeUnit(checks(), args)
	driver.RegisterVetFlags()
	var enable []string
	flag.Var(enableFlag{&enable}, "enable", "comma-separated opt-in checks to run besides the default ones")
	flag.Bool("govet", true, "also run go vet's own analyzers (printf, copylocks, ...) in the same pass")
	as := vetAnalyzers(args)
	if copylocksRuns(args, as) {
		driver.SetWithCopylocks(as)
	}
	driver.SkipReportsOnDependencies(as, args)
	unitchecker.Main(driver.ProfileUnit(as)...)
}

// checks returns every analyzer a standalone run may name: mapguard's
// checks and go vet's.
func checks() []*analysis.Analyzer {
	var out []*analysis.Analyzer
	for _, c := range analyzers.All() {
		out = append(out, c.Analyzer)
	}
	return append(out, govet.Suite()...)
}

func vetAnalyzers(args []string) []*analysis.Analyzer {
	all := false
	withVet := true
	mentioned := make(map[string]bool)
	for i, a := range args {
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case name == "flags":
			all = true
		case name == "govet":
			withVet = !hasValue || isTrue(value)
		case name == "enable":
			if !hasValue && i+1 < len(args) {
				value = args[i+1]
			}
			for _, n := range strings.Split(value, ",") {
				mentioned[strings.TrimSpace(n)] = true
			}
		default:
			mentioned[strings.SplitN(name, ".", 2)[0]] = true
		}
	}
	var out []*analysis.Analyzer
	for _, c := range analyzers.All() {
		if !c.OptIn || all || mentioned[c.Analyzer.Name] {
			out = append(out, c.Analyzer)
		}
	}
	if withVet || all {
		out = append(out, govet.Suite()...)
	}
	return out
}

// copylocksRuns reports whether copylocks is among as and survives the
// -NAME selection of the command line: not turned off with
// -copylocks=false, and, when some analyzers are named alone (-NAME), named
// too.
func copylocksRuns(args []string, as []*analysis.Analyzer) bool {
	names := make(map[string]bool)
	for _, a := range as {
		names[a.Name] = true
	}
	if !names[govet.CopylocksName] {
		return false
	}
	only, named := false, false
	for _, a := range args {
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || !names[name] {
			continue
		}
		on := !hasValue || isTrue(value)
		if name == govet.CopylocksName {
			if !on {
				return false
			}
			named = true
		}
		only = only || on
	}
	return !only || named
}

func isTrue(s string) bool {
	switch s {
	case "1", "t", "T", "true", "TRUE", "True":
		return true
	}
	return false
}

// enableFlag accepts -enable on the go vet route; vetAnalyzers has already
// acted on it.
type enableFlag struct{ list *[]string }

func (e enableFlag) String() string { return "" }

func (e enableFlag) Set(s string) error {
	*e.list = append(*e.list, s)
	return nil
}
