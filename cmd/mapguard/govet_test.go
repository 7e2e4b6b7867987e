package main_test

import (
	"strings"
	"testing"
)

// go vet's own analyzers run in mapguard's pass: by default through go vet
// (which mapguard replaces as its vet tool), with -govet standalone, and
// their flags still work.

const (
	printfFinding = "logs/logs.go:8:14: fmt.Printf format %d has arg n of wrong type string"
	emitfFinding  = "logs/logs.go:18:9: example.com/govet/logs.Emitf format %d has arg n of wrong type string"
)

func TestGoVetAnalyzersThroughGoVet(t *testing.T) {
	for _, tc := range []struct {
		args          []string
		code          int
		want, wantNot []string
	}{
		{[]string{"./..."}, 1, []string{printfFinding}, []string{emitfFinding}},
		{[]string{"-printf.funcs=Emitf", "./..."}, 1, []string{printfFinding, emitfFinding}, nil},
		{[]string{"-govet=false", "./..."}, 0, nil, []string{printfFinding, emitfFinding}},
		// -NAME selection covers go vet's analyzers as it does in go vet.
		{[]string{"-syncmarshal", "./..."}, 0, nil, []string{printfFinding}},
	} {
		r := runIn(t, module("govet"), "go", append([]string{"vet", "-vettool=" + binary}, tc.args...)...)
		noCrash(t, r)
		if r.code != tc.code {
			t.Errorf("go vet %v: exit %d, want %d\n%s", tc.args, r.code, tc.code, r.stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("go vet %v: output lacks %q:\n%s", tc.args, w, r.stderr)
			}
		}
		for _, w := range tc.wantNot {
			if strings.Contains(r.stderr, w) {
				t.Errorf("go vet %v: output has %q:\n%s", tc.args, w, r.stderr)
			}
		}
	}
}

func TestGoVetAnalyzersStandalone(t *testing.T) {
	r := mapguard(t, module("govet"), "./...")
	noCrash(t, r)
	if r.code != 0 || r.stderr != "" {
		t.Errorf("default run: exit %d, stderr:\n%s\nwant 0 and silence (go vet's analyzers are off standalone)", r.code, r.stderr)
	}
	r = mapguard(t, module("govet"), "-govet", "-printf.funcs=Emitf", "./...")
	noCrash(t, r)
	want := printfFinding + " (printf)\n" + emitfFinding + " (printf)\n"
	if r.code != 3 || r.stderr != want {
		t.Errorf("-govet: exit %d, stderr:\n%s\nwant 3 and\n%s", r.code, r.stderr, want)
	}
	r = mapguard(t, module("govet"), "-help")
	if !strings.Contains(r.stdout, "-govet") {
		t.Errorf("-help does not mention -govet:\n%s", r.stdout)
	}
}
