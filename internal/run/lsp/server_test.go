package lsp

import (
	"context"
	"encoding/json"
	"go/ast"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/analyzers/syncmarshal"
	"github.com/mapguard/mapguard/internal/run/driver"
	"github.com/mapguard/mapguard/internal/run/lsp/lsptest"
)

// These tests run the server in process over pipes, with a test-only check
// that offers a suggested fix (the registry's checks may offer none), to
// cover quick fixes, progress, debouncing and the protocol's corners.

// legacycall reports calls of a function named legacy and offers to call
// modern instead.
var legacycall = &analysis.Analyzer{
	Name: "legacycall",
	Doc:  "legacycall: report calls of legacy (test only)",
	URL:  "https://example.com/legacycall",
	Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "legacy" {
					pass.Report(analysis.Diagnostic{
						Pos: id.Pos(), End: id.End(), Message: "legacy loses data: call modern",
						SuggestedFixes: []analysis.SuggestedFix{{
							Message:   "call modern instead",
							TextEdits: []analysis.TextEdit{{Pos: id.Pos(), End: id.End(), NewText: []byte("modern")}},
						}},
					})
				}
				return true
			})
		}
		return nil, nil
	},
}

const legacySrc = `package p

func legacy() {}
func modern() {}

func use() {
	_ = "größe 𝄞"; legacy()
}
`

type session struct {
	*lsptest.Client
	dir  string
	done chan struct{}
	code int
}

// serve runs Serve on pipes, on a new module holding files.
func serve(t *testing.T, files map[string]string, cfg Config) *session {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module example.com/p\n\ngo 1.26\n"
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if cfg.Checks == nil {
		cfg.Checks = func(*driver.Options) ([]*analysis.Analyzer, error) {
			return []*analysis.Analyzer{legacycall, syncmarshal.Analyzer}, nil
		}
	}
	cfg.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod")
	clientIn, serverOut := io.Pipe()
	serverIn, clientOut := io.Pipe()
	s := &session{dir: dir, done: make(chan struct{})}
	go func() {
		s.code = Serve(context.Background(), serverIn, serverOut, cfg)
		serverOut.Close()
		close(s.done)
	}()
	s.Client = lsptest.New(t, clientIn, clientOut, s.done)
	t.Cleanup(func() {
		clientOut.Close()
		select {
		case <-s.done:
		case <-time.After(lsptest.Timeout):
			t.Errorf("the server did not end when its input did")
		}
	})
	return s
}

func (s *session) uri(name string) string { return lsptest.FileURI(filepath.Join(s.dir, name)) }

func TestQuickFixes(t *testing.T) {
	for _, versioned := range []bool{true, false} {
		s := serve(t, map[string]string{"p.go": legacySrc}, Config{})
		if r := s.Initialize(s.uri(""), nil, !versioned); r.Error != nil {
			t.Fatal(r.Error)
		}
		uri := s.uri("p.go")
		s.Open(uri, 1, legacySrc)
		pub := s.Diagnostics(uri, 1)
		if len(pub.Diagnostics) != 1 {
			t.Fatalf("diagnostics %+v", pub)
		}
		d := pub.Diagnostics[0]
		line := strings.Split(legacySrc, "\n")[6]
		start := len(utf16.Encode([]rune(line[:strings.Index(line, "legacy")])))
		want := lsptest.Range{Start: lsptest.Position{Line: 6, Character: start}, End: lsptest.Position{Line: 6, Character: start + len("legacy")}}
		if d.Range != want || d.Code != "legacycall" || d.CodeDescription == nil || d.CodeDescription.Href != "https://example.com/legacycall" {
			t.Errorf("diagnostic %+v, want range %+v", d, want)
		}

		// A cursor inside the finding gets its fix.
		cursor := lsptest.Position{Line: 6, Character: start + 2}
		r := s.Call("textDocument/codeAction", map[string]any{
			"textDocument": map[string]any{"uri": uri},
			"range":        lsptest.Range{Start: cursor, End: cursor},
			"context":      map[string]any{"diagnostics": []any{d}, "only": []string{"quickfix"}},
		})
		var actions []struct {
			Title, Kind string
			IsPreferred bool
			Diagnostics []lsptest.Diagnostic
			Edit        struct {
				Changes         map[string][]textEdit
				DocumentChanges []struct {
					TextDocument struct {
						URI     string
						Version *int
					}
					Edits []textEdit
				}
			}
		}
		if r.Error != nil || json.Unmarshal(r.Result, &actions) != nil || len(actions) != 1 {
			t.Fatalf("codeAction: %s %+v", r.Result, r.Error)
		}
		a := actions[0]
		if a.Title != "call modern instead" || a.Kind != "quickfix" || !a.IsPreferred || len(a.Diagnostics) != 1 || a.Diagnostics[0].Code != "legacycall" {
			t.Errorf("action %+v", a)
		}
		var edits []textEdit
		if versioned {
			if len(a.Edit.DocumentChanges) != 1 || a.Edit.DocumentChanges[0].TextDocument.URI != uri ||
				a.Edit.DocumentChanges[0].TextDocument.Version == nil || *a.Edit.DocumentChanges[0].TextDocument.Version != 1 {
				t.Fatalf("edit %+v, want a versioned edit of %s", a.Edit, uri)
			}
			edits = a.Edit.DocumentChanges[0].Edits
		} else {
			if a.Edit.DocumentChanges != nil || len(a.Edit.Changes[uri]) == 0 {
				t.Fatalf("edit %+v, want plain changes (the client lacks documentChanges)", a.Edit)
			}
			edits = a.Edit.Changes[uri]
		}
		if len(edits) != 1 || edits[0].Range != want || edits[0].NewText != "modern" {
			t.Errorf("edits %+v", edits)
		}

		// Outside the finding, or for other kinds, nothing.
		for _, params := range []map[string]any{
			{"range": lsptest.Range{}, "context": map[string]any{"diagnostics": []any{}}},
			{"range": d.Range, "context": map[string]any{"diagnostics": []any{}, "only": []string{"refactor"}}},
		} {
			params["textDocument"] = map[string]any{"uri": uri}
			if r := s.Call("textDocument/codeAction", params); string(r.Result) != "[]" {
				t.Errorf("codeAction %v: %s", params, r.Result)
			}
		}
	}
}

type textEdit struct {
	Range   lsptest.Range
	NewText string
}

func TestCodeActionWaitsForTheLatestEdit(t *testing.T) {
	s := serve(t, map[string]string{"p.go": legacySrc}, Config{})
	if r := s.Initialize(s.uri(""), map[string]any{"changeDelay": "10s"}, false); r.Error != nil {
		t.Fatal(r.Error)
	}
	uri := s.uri("p.go")
	s.Open(uri, 1, legacySrc)
	s.Diagnostics(uri, 1)
	// The buffer gets a second call; the check would wait 10 s for typing
	// to pause, but the code action asks for it now.
	edited := strings.Replace(legacySrc, "legacy()\n}", "legacy()\n\tlegacy()\n}", 1)
	s.Change(uri, 2, edited)
	start := time.Now()
	r := s.Call("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": uri},
		"range":        lsptest.Range{Start: lsptest.Position{Line: 7}, End: lsptest.Position{Line: 7, Character: 20}},
		"context":      map[string]any{"diagnostics": []any{}},
	})
	var actions []struct{ Title string }
	if r.Error != nil || json.Unmarshal(r.Result, &actions) != nil || len(actions) != 1 {
		t.Errorf("codeAction on the line added by the unsaved edit: %s %+v", r.Result, r.Error)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("codeAction waited %v: it should start the pending check at once", waited)
	}
	if pub := s.Diagnostics(uri, 2); len(pub.Diagnostics) != 2 {
		t.Errorf("diagnostics of version 2: %+v", pub.Diagnostics)
	}
}

func TestTypingIsDebounced(t *testing.T) {
	s := serve(t, map[string]string{"p.go": legacySrc}, Config{})
	if r := s.Initialize(s.uri(""), map[string]any{"changeDelay": "1s"}, false); r.Error != nil {
		t.Fatal(r.Error)
	}
	uri := s.uri("p.go")
	s.Open(uri, 1, legacySrc)
	s.Diagnostics(uri, 1)
	text := legacySrc
	for v := 2; v <= 6; v++ {
		text += "\n// typing\n"
		s.Change(uri, v, text)
		time.Sleep(100 * time.Millisecond) // a check would finish in this time
	}
	if pub := s.Diagnostics(uri, 6); len(pub.Diagnostics) != 1 {
		t.Errorf("diagnostics of the last version: %+v", pub.Diagnostics)
	}
	for _, m := range s.Received() {
		if m.Method() == "textDocument/publishDiagnostics" {
			t.Errorf("a check ran while typing: %s", m["params"])
		}
	}
	// Closing the file clears its diagnostics.
	s.Notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": uri}})
	s.Await("the diagnostics cleared on close", func(m lsptest.Message) bool {
		var p lsptest.Published
		return m.Method() == "textDocument/publishDiagnostics" && json.Unmarshal(m["params"], &p) == nil &&
			p.URI == uri && p.Version == nil && len(p.Diagnostics) == 0
	})
}

func TestProgressOnlyWhenAdvertised(t *testing.T) {
	for _, advertised := range []bool{true, false} {
		s := serve(t, map[string]string{"p.go": legacySrc}, Config{progressThreshold: 1})
		if r := s.Initialize(s.uri(""), nil, !advertised); r.Error != nil {
			t.Fatal(r.Error)
		}
		uri := s.uri("p.go")
		s.Open(uri, 1, legacySrc)
		s.Diagnostics(uri, 1)
		var kinds []string
		created := false
		for _, m := range s.Received() {
			switch m.Method() {
			case "window/workDoneProgress/create":
				created = true
			case "$/progress":
				var p struct{ Value struct{ Kind string } }
				_ = json.Unmarshal(m["params"], &p)
				kinds = append(kinds, p.Value.Kind)
			}
		}
		got := strings.Join(kinds, " ")
		if advertised && (!created || !strings.HasPrefix(got, "begin report") || !strings.HasSuffix(got, "end")) {
			t.Errorf("progress: created %v, kinds %q; want begin, reports, end", created, got)
		}
		if !advertised && (created || got != "") {
			t.Errorf("progress sent to a client that did not advertise it: %v %q", created, got)
		}
	}
}

func TestMalformedMessagesAreAnswered(t *testing.T) {
	s := serve(t, map[string]string{"p.go": legacySrc}, Config{})
	for _, tc := range []struct {
		raw  string
		id   string
		code int
	}{
		{"Content-Length: 5\r\n\r\n[1,2]", "null", CodeInvalidRequest},
		{"Content-Type: text/plain\r\n\r\n", "null", CodeParseError},
		{"Content-Length: many\r\n\r\n", "null", CodeParseError},
		{"nonsense\r\n\r\n", "null", CodeParseError},
		{frame(`{"jsonrpc":"2.0","id":3,"method":`), "null", CodeParseError},
		{frame(`"just a string"`), "null", CodeInvalidRequest},
		{frame(`{"jsonrpc":"1.0","id":4,"method":"initialize"}`), "4", CodeInvalidRequest},
		{frame(`{"jsonrpc":"2.0","id":{"a":1},"method":"initialize"}`), "null", CodeInvalidRequest},
		{frame(`{"jsonrpc":"2.0","id":1.5,"method":"initialize"}`), "null", CodeInvalidRequest},
		{frame(`{"jsonrpc":"2.0","id":5,"method":7}`), "5", CodeInvalidRequest},
		{frame(`{"jsonrpc":"2.0","id":6,"method":"initialize","params":"x"}`), "6", CodeInvalidRequest},
		{frame(`{"jsonrpc":"2.0","id":7}`), "7", CodeInvalidRequest},
		{frame(`{"jsonrpc":"2.0","id":8,"method":"initialize","params":{"capabilities":[]}}`), "8", CodeInvalidParams},
	} {
		s.WriteBytes(tc.raw)
		m := s.Await("the answer to "+tc.raw, func(m lsptest.Message) bool { return m["error"] != nil })
		if r := lsptest.ToResponse(m); string(r.ID) != tc.id || r.Error.Code != tc.code {
			t.Errorf("%q: answered id %s, %+v; want id %s, code %d", tc.raw, r.ID, r.Error, tc.id, tc.code)
		}
	}
	// The server still serves.
	if r := s.Initialize(s.uri(""), nil, false); r.Error != nil {
		t.Fatalf("initialize after malformed messages: %+v", r.Error)
	}
	if r := s.Call("shutdown", nil); r.Error != nil {
		t.Fatal(r.Error)
	}
	s.Notify("exit", nil)
	<-s.done
	if s.code != 0 {
		t.Errorf("exit code %d", s.code)
	}
}

func frame(body string) string {
	return "Content-Length: " + itoa(len(body)) + "\r\n\r\n" + body
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestChangesOnDiskReachOpenFiles(t *testing.T) {
	const wrap = "package wrap\n\nimport (\n\t\"encoding/json\"\n\t\"io\"\n)\n\nfunc Write(w io.Writer, v any) error { return json.NewEncoder(w).Encode(v) }\n"
	const store = "package store\n\nimport (\n\t\"io\"\n\t\"sync\"\n\n\t\"example.com/p/wrap\"\n)\n\ntype Store struct{ Items sync.Map }\n\nfunc (s *Store) Dump(w io.Writer) error { return wrap.Write(w, &s.Items) }\n"
	s := serve(t, map[string]string{"wrap/wrap.go": wrap, "store/store.go": store}, Config{})
	if r := s.Initialize(s.uri(""), nil, false); r.Error != nil {
		t.Fatal(r.Error)
	}
	s.Await("the file watchers' registration", func(m lsptest.Message) bool {
		return m.Method() == "client/registerCapability" && strings.Contains(string(m["params"]), "**/*.go")
	})
	uri := s.uri("store/store.go")
	s.Open(uri, 1, store)
	if pub := s.Diagnostics(uri, 1); len(pub.Diagnostics) != 1 {
		t.Fatalf("diagnostics %+v", pub.Diagnostics)
	}
	// The wrapper stops encoding, on disk (a checkout, say): the finding in
	// the open file, which depends on the wrapper's facts, goes.
	harmless := strings.Replace(wrap, "return json.NewEncoder(w).Encode(v)", "_ = json.Valid; _, err := io.WriteString(w, \"{}\"); return err", 1)
	if err := os.WriteFile(filepath.Join(s.dir, "wrap", "wrap.go"), []byte(harmless), 0o644); err != nil {
		t.Fatal(err)
	}
	s.Notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": s.uri("wrap/wrap.go"), "type": 2}}})
	if pub := s.Diagnostics(uri, 1); len(pub.Diagnostics) != 0 {
		t.Errorf("diagnostics after the dependency changed on disk: %+v", pub.Diagnostics)
	}
}

func TestAPanickingCheckIsLoggedAndTheServerGoesOn(t *testing.T) {
	panicky := &analysis.Analyzer{
		Name: "panicky",
		Doc:  "panicky: panic on every package (test only)",
		Run:  func(*analysis.Pass) (any, error) { panic("boom") },
	}
	s := serve(t, map[string]string{"p.go": legacySrc}, Config{Checks: func(*driver.Options) ([]*analysis.Analyzer, error) {
		return []*analysis.Analyzer{panicky, legacycall}, nil
	}})
	if r := s.Initialize(s.uri(""), nil, false); r.Error != nil {
		t.Fatal(r.Error)
	}
	uri := s.uri("p.go")
	s.Open(uri, 1, legacySrc)
	if pub := s.Diagnostics(uri, 1); len(pub.Diagnostics) != 1 || pub.Diagnostics[0].Code != "legacycall" {
		t.Errorf("the other check's diagnostics: %+v", pub.Diagnostics)
	}
	s.Logged("check panicky failed on package example.com/p: internal error: check panicky panicked")
	if r := s.Call("shutdown", nil); r.Error != nil {
		t.Errorf("shutdown after a panic: %+v", r.Error)
	}
}
