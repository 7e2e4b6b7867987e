package main

import (
	"flag"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/mapguard/mapguard/analyzers"
	"github.com/mapguard/mapguard/internal/budget"
)

// isVetInvocation reports whether go vet is driving the binary: it asks for
// the flags (-flags) and the version (-V=full), then passes one .cfg file
// per package.
func isVetInvocation(args []string) bool {
	for _, a := range args {
		if a == "-flags" || a == "--flags" || strings.HasPrefix(strings.TrimLeft(a, "-"), "V") && strings.HasPrefix(a, "-") {
			return true
		}
	}
	return len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg")
}

// vetMain serves the go vet protocol. go vet passes the user's flags
// through, so opt-in checks are included when the command line names them
// (as -NAME or in -enable=...), and always when go vet asks which flags
// exist. unitchecker then applies the usual -NAME selection.
func vetMain(args []string) {
	var enable []string
	flag.Var(enableFlag{&enable}, "enable", "comma-separated opt-in checks to run besides the default ones")
	budget.RegisterFlags(flag.CommandLine)
	unitchecker.Main(vetAnalyzers(args)...)
}

func vetAnalyzers(args []string) []*analysis.Analyzer {
	all := false
	mentioned := make(map[string]bool)
	for i, a := range args {
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case name == "flags":
			all = true
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
	return out
}

// enableFlag accepts -enable on the go vet route; vetAnalyzers has already
// acted on it.
type enableFlag struct{ list *[]string }

func (e enableFlag) String() string { return "" }

func (e enableFlag) Set(s string) error {
	*e.list = append(*e.list, s)
	return nil
}
