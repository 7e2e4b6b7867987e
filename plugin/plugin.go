// Package plugin makes mapguard a golangci-lint v2 module plugin.
//
// Importing the package registers the linter "mapguard". golangci-lint
// custom builds it into a golangci-lint binary (see .golangci-plugin.yml at
// the root of this module); .golangci.yml then enables and configures it:
//
//	linters:
//	  enable: [mapguard]
//	  settings:
//	    custom:
//	      mapguard:
//	        type: module
//	        description: finds where Go code silently loses data in maps, sync.Map, lists and atomics
//	        settings:
//	          enable: [CHECK]          # opt-in checks to run besides the default ones
//	          disable: [syncmarshal]   # default checks to turn off
//	          options:                 # check options, as -CHECK.OPTION=VALUE on the command line
//	            CHECK: {OPTION: VALUE}
//
// One option defaults differently than on the command line: poolcopy's
// withcopylocks is true, because golangci-lint's govet runs copylocks,
// which reports the simple copies of locks itself. Set it to false when
// govet, or its copylocks analyzer, is off:
//
//	options:
//	  poolcopy: {withcopylocks: false}
//
// The checks are those of the registry (package analyzers), selected as the
// command line selects them. docs/integrations.md walks through the setup.
package plugin

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/analyzers"
	"github.com/mapguard/mapguard/analyzers/poolcopy"
)

func init() {
	register.Plugin("mapguard", New)
}

// Settings are the plugin's settings: the "settings" map of the mapguard
// entry under linters.settings.custom in .golangci.yml. golangci-lint
// lowercases keys, which suits check and option names.
type Settings struct {
	// Enable names opt-in checks to run besides the default ones.
	Enable []string `json:"enable"`
	// Disable names checks not to run.
	Disable []string `json:"disable"`
	// Options sets the options of checks: check name, then option name
	// (the name of the check's flag), then its value. A list value is
	// passed as a comma-separated string.
	Options map[string]map[string]json.RawMessage `json:"options"`
}

type plugin struct {
	settings Settings
}

// New decodes the settings golangci-lint passes, applies the check options
// and returns the plugin. Unknown settings, checks and options are errors, so
// that a typo does not silently leave a check off or misconfigured.
func New(raw any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](raw)
	if err != nil {
		return nil, fmt.Errorf("mapguard settings: %w", err)
	}
	if err := setOptions(lookupAnalyzer, withDefaults(s.Options)); err != nil {
		return nil, fmt.Errorf("mapguard settings: %w", err)
	}
	p := &plugin{settings: s}
	if _, err := p.BuildAnalyzers(); err != nil {
		return nil, err
	}
	return p, nil
}

// BuildAnalyzers returns the checks the settings select, as the command
// line selects them with -CHECK=false and -enable=CHECK.
func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	explicit := make(map[string]bool)
	for _, name := range p.settings.Disable {
		explicit[name] = false
	}
	as, err := analyzers.Select(explicit, p.settings.Enable)
	if err != nil {
		return nil, fmt.Errorf("mapguard settings: %w", err)
	}
	// Disabling every check is allowed: the linter then reports nothing,
	// as a user who disables checks one by one would expect.
	return as, nil
}

// GetLoadMode asks golangci-lint for type information: the checks need
// types and exchange facts across packages.
func (p *plugin) GetLoadMode() string {
	return register.LoadModeTypesInfo
}

// pluginDefaults are the options whose default differs inside
// golangci-lint: its govet linter runs copylocks, so poolcopy leaves it the
// copies it reports (options: {poolcopy: {withcopylocks: false}} when govet
// or its copylocks is off).
var pluginDefaults = map[string]map[string]json.RawMessage{
	"poolcopy": {poolcopy.WithCopylocks: json.RawMessage("true")},
}

// withDefaults returns options with pluginDefaults under them: an option the
// settings name wins.
func withDefaults(options map[string]map[string]json.RawMessage) map[string]map[string]json.RawMessage {
	out := make(map[string]map[string]json.RawMessage)
	for check, opts := range pluginDefaults {
		out[check] = make(map[string]json.RawMessage)
		for name, v := range opts {
			out[check][name] = v
		}
	}
	for check, opts := range options {
		if out[check] == nil {
			out[check] = make(map[string]json.RawMessage)
		}
		for name, v := range opts {
			out[check][name] = v
		}
	}
	return out
}

func lookupAnalyzer(name string) (*analysis.Analyzer, bool) {
	c, ok := analyzers.Lookup(name)
	return c.Analyzer, ok
}

// setOptions sets each option on the flag of the same name of its check's
// Analyzer.Flags, as the command line's -CHECK.OPTION=VALUE does.
func setOptions(lookup func(string) (*analysis.Analyzer, bool), options map[string]map[string]json.RawMessage) error {
	for _, check := range slices.Sorted(maps.Keys(options)) {
		a, ok := lookup(check)
		if !ok {
			return fmt.Errorf("options for unknown check %q (checks: %s)", check, strings.Join(analyzers.Names(), ", "))
		}
		for _, name := range slices.Sorted(maps.Keys(options[check])) {
			f := a.Flags.Lookup(name)
			if f == nil {
				return fmt.Errorf("check %s has no option %q%s", check, name, optionList(a))
			}
			value, err := optionValue(options[check][name])
			if err != nil {
				return fmt.Errorf("option %s.%s: %w", check, name, err)
			}
			if err := f.Value.Set(value); err != nil {
				return fmt.Errorf("option %s.%s: %w", check, name, err)
			}
		}
	}
	return nil
}

// optionValue turns a setting into the string a flag parses: strings as they
// are, numbers and booleans as written, lists joined with commas.
func optionValue(raw json.RawMessage) (string, error) {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return "", fmt.Errorf("no value given")
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		parts := make([]string, len(list))
		for i, item := range list {
			v, err := optionValue(item)
			if err != nil {
				return "", err
			}
			parts[i] = v
		}
		return strings.Join(parts, ","), nil
	}
	var scalar any
	if err := json.Unmarshal(raw, &scalar); err != nil {
		return "", fmt.Errorf("decode value: %w", err)
	}
	switch scalar.(type) {
	case bool, float64:
		return string(raw), nil
	}
	return "", fmt.Errorf("want a string, number, boolean or list, not %s", raw)
}

func optionList(a *analysis.Analyzer) string {
	var names []string
	a.Flags.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if len(names) == 0 {
		return " (it has none)"
	}
	return " (options: " + strings.Join(names, ", ") + ")"
}
