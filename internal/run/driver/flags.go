package driver

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/analyzers"
	"github.com/mapguard/mapguard/analyzers/poolcopy"
	"github.com/mapguard/mapguard/internal/analysis/budget"
	"github.com/mapguard/mapguard/internal/analysis/checkdoc"
	"github.com/mapguard/mapguard/internal/run/govet"
)

// Exit codes, shared by every mode of the command.
const (
	ExitClean    = 0 // no findings
	ExitError    = 1 // packages failed to load or type-check, or a check failed
	ExitUsage    = 2 // bad flags or arguments
	ExitFindings = 3 // at least one finding
)

// Options are the settings of one standalone run.
type Options struct {
	Patterns   []string
	JSON       bool
	SARIF      bool
	Fix        bool
	Diff       bool
	Tests      bool
	GoVet      bool            // also run go vet's own analyzers
	Explicit   map[string]bool // -NAME and -NAME=false
	Enable     []string        // opt-in checks added with -enable
	Explain    string
	CPUProfile string
	MemProfile string
}

// Analyzers returns the analyzers the options select.
func (o *Options) Analyzers() ([]*analysis.Analyzer, error) {
	as, err := analyzers.Select(o.Explicit, o.Enable)
	if err != nil || !o.GoVet {
		return as, err
	}
	return WithGoVet(as), nil
}

// WithGoVet returns the analyzers with go vet's own added, and tells
// poolcopy (through its withcopylocks flag, when it has one) that copylocks
// runs in the same pass, so the copies copylocks reports are reported once.
func WithGoVet(as []*analysis.Analyzer) []*analysis.Analyzer {
	out := append(slices.Clip(as), govet.Suite()...)
	SetWithCopylocks(out)
	return out
}

// SetWithCopylocks sets poolcopy's withcopylocks flag when copylocks and
// poolcopy are both among the analyzers. A poolcopy without the flag is
// left alone.
func SetWithCopylocks(as []*analysis.Analyzer) {
	var copylocks, pool bool
	for _, a := range as {
		copylocks = copylocks || a.Name == govet.CopylocksName
		pool = pool || a == poolcopy.Analyzer
	}
	if !copylocks || !pool {
		return
	}
	if f := poolcopy.Analyzer.Flags.Lookup("withcopylocks"); f != nil {
		f.Value.Set("true") // a bool flag: "true" cannot fail
	}
}

// triState is a boolean flag that remembers whether it was set.
type triState struct {
	name     string
	explicit map[string]bool
}

func (t *triState) IsBoolFlag() bool { return true }

func (t *triState) String() string {
	if t == nil || t.explicit == nil {
		return ""
	}
	if on, ok := t.explicit[t.name]; ok {
		return fmt.Sprint(on)
	}
	return ""
}

func (t *triState) Set(s string) error {
	switch s {
	case "true", "1", "t", "T", "TRUE", "True":
		t.explicit[t.name] = true
	case "false", "0", "f", "F", "FALSE", "False":
		t.explicit[t.name] = false
	default:
		return fmt.Errorf("want true or false, not %q", s)
	}
	return nil
}

// listFlag is a comma-separated list that may be repeated.
type listFlag struct{ list *[]string }

func (l listFlag) String() string {
	if l.list == nil {
		return ""
	}
	return strings.Join(*l.list, ",")
}

func (l listFlag) Set(s string) error {
	for _, name := range strings.Split(s, ",") {
		if name = strings.TrimSpace(name); name != "" {
			*l.list = append(*l.list, name)
		}
	}
	return nil
}

// newFlagSet defines the standalone flags on a new flag set writing into o.
func newFlagSet(o *Options, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("mapguard", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.JSON, "json", false, "print findings as JSON (the go/analysis format) on stdout")
	fs.BoolVar(&o.SARIF, "sarif", false, "print findings as a SARIF 2.1.0 log on stdout (for GitHub code scanning; file URIs relative to the working directory)")
	fs.BoolVar(&o.Fix, "fix", false, "apply the suggested fixes to the files")
	fs.BoolVar(&o.Diff, "diff", false, "with -fix, print the fixes as a unified diff instead of writing files")
	fs.BoolVar(&o.Tests, "test", true, "also check the packages' test files")
	fs.BoolVar(&o.GoVet, "govet", false, "also run go vet's own analyzers (printf, copylocks, ...) in the same pass (the default through go vet -vettool)")
	fs.Var(listFlag{&o.Enable}, "enable", "comma-separated opt-in checks to run besides the default ones")
	fs.StringVar(&o.Explain, "explain", "", "print the documentation of the named check and exit")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write a CPU profile of this process to this file (the checks run in the tool processes go vet starts)")
	fs.StringVar(&o.MemProfile, "memprofile", "", "write a heap profile of this process to this file (the checks run in the tool processes go vet starts)")
	budget.RegisterFlags(fs)
	o.Explicit = make(map[string]bool)
	for _, c := range analyzers.All() {
		a := c.Analyzer
		usage := "run only the " + a.Name + " check (with -" + a.Name + "=false: every check but it)"
		fs.Var(&triState{name: a.Name, explicit: o.Explicit}, a.Name, usage)
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	// go vet's analyzers keep their flags (-printf.funcs=...) with -govet.
	for _, a := range govet.Suite() {
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	fs.Usage = func() {} // Main prints the help, or a hint after a bad flag
	return fs
}

// Usage prints the help text of the command.
func Usage(w io.Writer) {
	fmt.Fprint(w, `mapguard finds the ways Go programs silently lose data held in maps,
sync.Map, container/list and atomic values.

Usage:
  mapguard [flags] packages...           check the packages (for example ./...)
  go vet -vettool=$(which mapguard) ...  the same checks through go vet
  mapguard explain CHECK                 print the documentation of a check
  mapguard lsp [flags]                   language server for editors, beside gopls
  mapguard help                          print this help

Exit codes:
  0  no findings
  1  an error: packages that do not load or type-check, a failed check
  2  bad flags or arguments
  3  findings were reported (also with -json, -sarif and -fix -diff)

Checks:
`)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range analyzers.All() {
		state := "on"
		if c.OptIn {
			state = "off: opt in with -enable=" + c.Analyzer.Name
		}
		fmt.Fprintf(tw, "  %s\t%s\t(%s)\n", c.Analyzer.Name, checkdoc.Summary(c.Analyzer.Doc), state)
	}
	tw.Flush()
	fmt.Fprint(w, `
Selecting checks: by default every check marked "on" runs. -NAME runs only
the checks named that way; -NAME=false runs every default check but NAME;
-enable=NAME adds an opt-in check.

go vet's own analyzers (printf, copylocks and the rest of go vet's suite)
run in the same pass with -govet: off by default here, on by default through
go vet -vettool=mapguard, which replaces go vet's suite (-govet=false turns
them off there). Their flags, such as -printf.funcs, work as in go vet.

A finding is silenced by a comment on its line or the line above:
  //mapguard:ignore CHECK reason why this is not a bug

Flags:
`)
	var o Options
	fs := newFlagSet(&o, w)
	vetFlag := make(map[string]bool)
	for _, a := range govet.Suite() {
		a.Flags.VisitAll(func(f *flag.Flag) { vetFlag[a.Name+"."+f.Name] = true })
	}
	fs.VisitAll(func(f *flag.Flag) {
		if _, isCheck := analyzers.Lookup(f.Name); isCheck || vetFlag[f.Name] {
			return // listed above, or go vet's
		}
		fmt.Fprintf(w, "  -%s\n    \t%s\n", f.Name, f.Usage)
	})
	fmt.Fprintf(w, "\nDocumentation of every check: %s\n", strings.TrimSuffix(checkdoc.DocsBase, "checks/"))
}

// ParseOptions parses standalone flags for another front end, such as the
// language server, and returns the flag package's error as is.
func ParseOptions(args []string) (*Options, error) {
	return parseFlags(args, io.Discard)
}

// parseFlags parses the standalone command line.
func parseFlags(args []string, stderr io.Writer) (*Options, error) {
	o := new(Options)
	fs := newFlagSet(o, stderr)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	o.Patterns = fs.Args()
	return o, nil
}
