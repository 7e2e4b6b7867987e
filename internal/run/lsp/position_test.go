package lsp

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/analyzers"
	"github.com/mapguard/mapguard/analyzers/poolcopy"
	"github.com/mapguard/mapguard/internal/run/driver"
)

func TestToPositionCountsUTF16Units(t *testing.T) {
	content := []byte("package p\n\tx := \"é𝄞\"; y\r\nlast")
	for _, tc := range []struct {
		line, col int
		want      Position
	}{
		{1, 1, Position{0, 0}},
		{2, 1, Position{1, 0}},
		{2, 2, Position{1, 1}},                           // after the tab
		{2, 1 + len("\tx := \"é𝄞\"; "), Position{1, 13}}, // é is 1 unit, 𝄞 2
		{2, 100, Position{1, 15}},                        // past the end of the line: its end (before \r counts as text)
		{3, 3, Position{2, 2}},
		{9, 4, Position{8, 3}}, // no such line: the byte column stands in
	} {
		if got := toPosition(content, tc.line, tc.col); got != tc.want {
			t.Errorf("toPosition(%d:%d) = %+v, want %+v", tc.line, tc.col, got, tc.want)
		}
	}
	if got := toPosition(nil, 3, 7); got != (Position{2, 6}) {
		t.Errorf("without content: %+v", got)
	}
}

func TestOffsetAndChanges(t *testing.T) {
	content := []byte("ab\nx𝄞y\n")
	for _, tc := range []struct {
		pos  Position
		want int
	}{
		{Position{0, 0}, 0},
		{Position{0, 9}, 2}, // clamped to the end of the line
		{Position{1, 1}, 4},
		{Position{1, 3}, 8}, // after the surrogate pair
		{Position{1, 4}, 9},
		{Position{5, 0}, len(content)},
	} {
		if got := offset(content, tc.pos); got != tc.want {
			t.Errorf("offset(%+v) = %d, want %d", tc.pos, got, tc.want)
		}
	}
	// Incremental changes, as clients that ignore the full-sync request
	// send them.
	text := content
	text = applyChange(text, TextDocumentContentChangeEvent{Range: &Range{Position{1, 1}, Position{1, 3}}, Text: "é"})
	text = applyChange(text, TextDocumentContentChangeEvent{Range: &Range{Position{0, 2}, Position{0, 2}}, Text: "c"})
	if string(text) != "abc\nxéy\n" {
		t.Errorf("after changes: %q", text)
	}
	if got := applyChange(text, TextDocumentContentChangeEvent{Text: "new"}); string(got) != "new" {
		t.Errorf("full change: %q", got)
	}
}

func TestSettingsMirrorTheCommandLine(t *testing.T) {
	names := func(as []*analysis.Analyzer) string {
		var out []string
		for _, a := range as {
			out = append(out, a.Name)
		}
		return strings.Join(out, ",")
	}
	want := func(args ...string) string {
		o, err := driver.ParseOptions(args)
		if err != nil {
			t.Fatal(err)
		}
		as, err := o.Analyzers()
		if err != nil {
			t.Fatal(err)
		}
		return names(as)
	}
	first := analyzers.Names()[0]
	for _, tc := range []struct {
		args []string
		init string
		want string
	}{
		{nil, ``, want()},
		{nil, `null`, want()},
		{nil, `{"checks": {"` + first + `": true}}`, want("-" + first)},
		{[]string{"-" + first}, `{}`, want("-" + first)},
		{nil, `{"tests": false, "onChange": false, "changeDelay": "1s"}`, want()},
	} {
		s, err := parseSettings(tc.args, []byte(tc.init), (*driver.Options).Analyzers)
		if err != nil {
			t.Errorf("%v %s: %v", tc.args, tc.init, err)
			continue
		}
		if got := names(s.analyzers); got != tc.want {
			t.Errorf("%v %s: checks %s, want %s", tc.args, tc.init, got, tc.want)
		}
	}
	s, err := parseSettings(nil, []byte(`{"tests": false, "onChange": false, "changeDelay": "1s"}`), (*driver.Options).Analyzers)
	if err != nil || s.tests || s.onChange || s.changeDelay.String() != "1s" {
		t.Errorf("settings %+v, %v", s, err)
	}
	for _, tc := range []struct {
		args []string
		init string
	}{
		{nil, `{"checks": {"nosuchcheck": true}}`},
		{nil, `{"enable": ["nosuchcheck"]}`},
		{nil, `{"flags": {"nosuchcheck.flag": 1}}`},
		{nil, `{"check": {}}`}, // a typo is not silently ignored
		{nil, `{"changeDelay": 5}`},
		{nil, `[]`},
		{[]string{"./..."}, ``},
		{[]string{"-json"}, ``},
		{[]string{"-" + first + "=false"}, `{"checks": {}}`}, // every check off when it is the only one
	} {
		if s, err := parseSettings(tc.args, []byte(tc.init), (*driver.Options).Analyzers); err == nil {
			if len(analyzers.Names()) > 1 && len(tc.args) == 1 && strings.HasSuffix(tc.args[0], "=false") {
				continue // other checks remain
			}
			t.Errorf("%v %s: accepted (%s)", tc.args, tc.init, names(s.analyzers))
		}
	}
}

// TestPoolcopyLeavesCopylocksToGopls: gopls reports copylocks' findings in
// the same editor, so poolcopy leaves them to it by default; the client can
// still ask for them.
func TestPoolcopyLeavesCopylocksToGopls(t *testing.T) {
	for _, tc := range []struct {
		args []string
		init string
		want string
	}{
		{nil, ``, "true"},
		{nil, `{"flags": {"poolcopy.withcopylocks": false}}`, "false"},
		{[]string{"-poolcopy.withcopylocks=false"}, ``, "false"},
	} {
		if _, err := parseSettings(tc.args, []byte(tc.init), (*driver.Options).Analyzers); err != nil {
			t.Fatalf("%v %s: %v", tc.args, tc.init, err)
		}
		if got := poolcopy.Analyzer.Flags.Lookup("withcopylocks").Value.String(); got != tc.want {
			t.Errorf("%v %s: withcopylocks=%s, want %s", tc.args, tc.init, got, tc.want)
		}
	}
}
