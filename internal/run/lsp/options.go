package lsp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/internal/run/driver"
)

// InitOptions are the initializationOptions a client may send. They mirror
// the command line, and are applied after the flags given to "mapguard lsp":
//
//	{
//	  "checks": {"syncmarshal": false},  // -syncmarshal=false; true runs only the checks set true
//	  "enable": ["somecheck"],           // -enable=somecheck (opt-in checks)
//	  "flags": {"check.flag": "value"},  // -check.flag=value
//	  "tests": true,                     // -test: check test files too (default true)
//	  "onChange": true,                  // check unsaved buffers as they change (default true)
//	  "changeDelay": "400ms"             // how long typing must pause before that check
//	}
type InitOptions struct {
	Checks      map[string]bool `json:"checks"`
	Enable      []string        `json:"enable"`
	Flags       map[string]any  `json:"flags"`
	Tests       *bool           `json:"tests"`
	OnChange    *bool           `json:"onChange"`
	ChangeDelay string          `json:"changeDelay"`
}

// settings are what the server runs with.
type settings struct {
	analyzers   []*analysis.Analyzer
	tests       bool
	onChange    bool
	changeDelay time.Duration
}

const defaultChangeDelay = 400 * time.Millisecond

// parseSettings combines the command-line flags of "mapguard lsp" with the
// client's initializationOptions, through the CLI's own flag parsing, so
// that selection and check options mean exactly what they mean there.
func parseSettings(args []string, raw json.RawMessage, selectChecks func(*driver.Options) ([]*analysis.Analyzer, error)) (*settings, error) {
	var init InitOptions
	if trimmed := bytes.TrimSpace(raw); len(trimmed) > 0 && string(trimmed) != "null" {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&init); err != nil {
			return nil, fmt.Errorf("initializationOptions: %w", err)
		}
	}
	// gopls, which the editor runs beside this server, reports go vet's
	// copylocks findings: poolcopy leaves those to it unless told otherwise
	// (a later -poolcopy.withcopylocks=false wins).
	args = append([]string{"-poolcopy.withcopylocks=true"}, args...)
	for _, name := range slices.Sorted(maps.Keys(init.Checks)) {
		args = append(args, fmt.Sprintf("-%s=%t", name, init.Checks[name]))
	}
	if len(init.Enable) > 0 {
		args = append(args, "-enable="+strings.Join(init.Enable, ","))
	}
	for _, name := range slices.Sorted(maps.Keys(init.Flags)) {
		args = append(args, fmt.Sprintf("-%s=%v", name, init.Flags[name]))
	}
	if init.Tests != nil {
		args = append(args, fmt.Sprintf("-test=%t", *init.Tests))
	}
	o, err := driver.ParseOptions(args)
	if err != nil {
		return nil, fmt.Errorf("options %q: %w", strings.Join(args, " "), err)
	}
	switch {
	case len(o.Patterns) > 0:
		return nil, fmt.Errorf("mapguard lsp takes no packages (got %s): it checks the files the editor opens", strings.Join(o.Patterns, " "))
	case o.JSON || o.Fix || o.Diff || o.Explain != "" || o.CPUProfile != "" || o.MemProfile != "":
		return nil, fmt.Errorf("-json, -fix, -diff, -explain and the profiles are not options of mapguard lsp")
	}
	as, err := selectChecks(o)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, fmt.Errorf("every check is disabled")
	}
	s := &settings{analyzers: as, tests: o.Tests, onChange: true, changeDelay: defaultChangeDelay}
	if init.OnChange != nil {
		s.onChange = *init.OnChange
	}
	if init.ChangeDelay != "" {
		d, err := time.ParseDuration(init.ChangeDelay)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("initializationOptions: changeDelay %q is not a duration such as \"400ms\"", init.ChangeDelay)
		}
		s.changeDelay = d
	}
	return s, nil
}
