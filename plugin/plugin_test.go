package plugin

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/analyzers"
	"github.com/mapguard/mapguard/analyzers/poolcopy"
)

// settings builds what golangci-lint hands New: the YAML settings map as
// viper decodes it.
func settings(t *testing.T, yamlish string) any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(yamlish), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func names(as []*analysis.Analyzer) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out
}

func build(t *testing.T, raw any) ([]*analysis.Analyzer, error) {
	t.Helper()
	newPlugin, err := register.GetPlugin("mapguard")
	if err != nil {
		t.Fatalf("the package does not register mapguard: %v", err)
	}
	p, err := newPlugin(raw)
	if err != nil {
		return nil, err
	}
	if mode := p.GetLoadMode(); mode != register.LoadModeTypesInfo {
		t.Errorf("load mode %q, want %q", mode, register.LoadModeTypesInfo)
	}
	return p.BuildAnalyzers()
}

func TestNoSettingsRunsTheDefaultChecks(t *testing.T) {
	want, err := analyzers.Select(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []any{nil, map[string]any{}} {
		got, err := build(t, raw)
		if err != nil {
			t.Fatalf("settings %v: %v", raw, err)
		}
		if !slices.Equal(names(got), names(want)) {
			t.Errorf("settings %v: checks %v, want the defaults %v", raw, names(got), names(want))
		}
		if !slices.Contains(names(got), "syncmarshal") {
			t.Errorf("settings %v: syncmarshal is not among %v", raw, names(got))
		}
	}
}

func TestDisableDropsTheCheck(t *testing.T) {
	got, err := build(t, settings(t, `{"disable": ["syncmarshal"]}`))
	if err != nil {
		t.Fatal(err)
	}
	want, err := analyzers.Select(map[string]bool{"syncmarshal": false}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(names(got), "syncmarshal") || !slices.Equal(names(got), names(want)) {
		t.Errorf("checks %v, want %v", names(got), names(want))
	}
}

func TestEnableAddsOptInChecks(t *testing.T) {
	optIn := 0
	for _, c := range analyzers.All() {
		if !c.OptIn {
			continue
		}
		optIn++
		got, err := build(t, map[string]any{"enable": []any{c.Analyzer.Name}})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(names(got), c.Analyzer.Name) {
			t.Errorf("enable: [%s] gives %v", c.Analyzer.Name, names(got))
		}
	}
	if optIn == 0 {
		t.Skip("no check is opt-in today: nothing for enable to add")
	}
}

func TestBadSettingsAreErrors(t *testing.T) {
	for _, tc := range []struct{ settings, want string }{
		{`{"enabled": ["syncmarshal"]}`, `unknown field "enabled"`},
		{`{"enable": ["nosuchcheck"]}`, `unknown check "nosuchcheck"`},
		{`{"disable": ["nosuchcheck"]}`, `unknown check "nosuchcheck"`},
		{`{"options": {"nosuchcheck": {"x": 1}}}`, `options for unknown check "nosuchcheck"`},
		{`{"options": {"syncmarshal": {"nosuchoption": 1}}}`, `check syncmarshal has no option "nosuchoption"`},
		{`{"enable": "syncmarshal"}`, `cannot unmarshal string`},
	} {
		_, err := build(t, settings(t, tc.settings))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("settings %s: error %v, want one containing %q", tc.settings, err, tc.want)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "mapguard settings: ") {
			t.Errorf("error %q does not say it is about mapguard's settings", err)
		}
	}
}

func TestOptionsSetTheChecksFlags(t *testing.T) {
	a := &analysis.Analyzer{Name: "tuned", Doc: "tuned: has options"}
	name := a.Flags.String("name", "", "a string")
	depth := a.Flags.Int("depth", 1, "an int")
	strict := a.Flags.Bool("strict", false, "a bool")
	types := a.Flags.String("types", "", "a comma-separated list")
	lookup := func(n string) (*analysis.Analyzer, bool) { return a, n == "tuned" }

	s, err := register.DecodeSettings[Settings](settings(t,
		`{"options": {"tuned": {"name": "x y", "depth": 1000000, "strict": true, "types": ["sync.Map", "list.List"]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := setOptions(lookup, s.Options); err != nil {
		t.Fatal(err)
	}
	if *name != "x y" || *depth != 1000000 || !*strict || *types != "sync.Map,list.List" {
		t.Errorf("flags name=%q depth=%d strict=%v types=%q", *name, *depth, *strict, *types)
	}

	for _, tc := range []struct{ settings, want string }{
		{`{"options": {"tuned": {"depth": "deep"}}}`, `option tuned.depth: parse error`},
		{`{"options": {"tuned": {"depth": null}}}`, `option tuned.depth: no value given`},
		{`{"options": {"tuned": {"name": {"a": 1}}}}`, `want a string, number, boolean or list`},
		{`{"options": {"tuned": {"color": "red"}}}`, `check tuned has no option "color" (options: depth, name, strict, types)`},
	} {
		s, err := register.DecodeSettings[Settings](settings(t, tc.settings))
		if err != nil {
			t.Fatal(err)
		}
		err = setOptions(lookup, s.Options)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("settings %s: error %v, want one containing %q", tc.settings, err, tc.want)
		}
	}
}

// golangci-lint's govet runs copylocks: poolcopy leaves it the copies it
// reports, unless the settings say otherwise.
func TestPoolcopyLeavesCopylocksItsCopies(t *testing.T) {
	f := poolcopy.Analyzer.Flags.Lookup(poolcopy.WithCopylocks)
	if f == nil {
		t.Fatalf("poolcopy has no %s flag", poolcopy.WithCopylocks)
	}
	t.Cleanup(func() { _ = f.Value.Set(f.DefValue) })
	for _, tc := range []struct{ settings, want string }{
		{`{}`, "true"},
		{`{"options": {"poolcopy": {"withcopylocks": false}}}`, "false"},
		{`{"options": {"poolcopy": {"withcopylocks": true}}}`, "true"},
	} {
		if _, err := build(t, settings(t, tc.settings)); err != nil {
			t.Fatalf("settings %s: %v", tc.settings, err)
		}
		if got := f.Value.String(); got != tc.want {
			t.Errorf("settings %s: poolcopy.%s = %s, want %s", tc.settings, poolcopy.WithCopylocks, got, tc.want)
		}
	}
}
