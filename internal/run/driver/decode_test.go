package driver

import (
	"strings"
	"testing"
)

// TestDecodeResultsSkipsUnitcheckerJSON: a unit checked in the tool process
// go vet starts prints its result, and unitchecker then prints its own JSON
// for a named package into the same output (an object keyed by package ID,
// "{}" when empty, even for a package whose ID is "id"). Only the results
// are read.
func TestDecodeResultsSkipsUnitcheckerJSON(t *testing.T) {
	out := `{"id":"b","importPath":"b","analyzers":[{"name":"lostwrite","diagnostics":[{"message":"m","pos":{"file":"b.go","line":1,"column":2},"end":{"file":"b.go","line":1,"column":2}}]}]}
{
	"b": {
		"lostwrite": [{"posn": "b.go:1:2", "message": "m"}]
	}
}
{"id":"a","importPath":"a","vetxOnly":true,"factsOnly":true}
{}
{"id": {"unsavedload": {"error": "boom"}}}
{"id":"id","importPath":"id"}
`
	units, err := decodeResults(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, u := range units {
		ids = append(ids, u.ID)
	}
	if got := strings.Join(ids, " "); got != "a b id" {
		t.Fatalf("decoded units %q, want \"a b id\"", got)
	}
	if b := units[1]; len(b.Analyzers) != 1 || len(b.Analyzers[0].Diagnostics) != 1 || b.Analyzers[0].Diagnostics[0].Message != "m" {
		t.Errorf("unit b decoded as %+v", b)
	}
	if !units[0].FactsOnly {
		t.Errorf("unit a lost factsOnly: %+v", units[0])
	}
}
