package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/mapguard/mapguard/internal/run/lsp/lsptest"
)

// The store of these tests: the finding's line starts with non-ASCII text,
// so its byte column and its UTF-16 column differ ("é" is 2 bytes and 1
// unit, "𝄞" 4 bytes and 2 units).
const (
	lspStoreBuggy = `package store

import (
	"encoding/json"
	"sync"
)

type Store struct {
	Items sync.Map
}

func (s *Store) Save() ([]byte, error) {
	_ = "état 𝄞"; return json.Marshal(s)
}
`
	lspStoreFixed = `package store

import (
	"encoding/json"
	"sync"
)

type Store struct {
	Items sync.Map
}

func (s *Store) Save() ([]byte, error) {
	snapshot := make(map[string]any)
	s.Items.Range(func(k, v any) bool { snapshot[k.(string)] = v; return true })
	return json.Marshal(snapshot)
}
`
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// utf16Col is the UTF-16 length of the text before the first occurrence of
// needle on line (0-based) of content.
func utf16Col(t *testing.T, content string, line int, needle string) int {
	t.Helper()
	text := strings.Split(content, "\n")[line]
	i := strings.Index(text, needle)
	if i < 0 {
		t.Fatalf("line %d lacks %q", line, needle)
	}
	return len(utf16.Encode([]rune(text[:i])))
}

func TestLSPSession(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"go.mod":         "module example.com/lsp\n\ngo 1.26\n",
		"store/store.go": lspStoreBuggy,
	})
	storePath := filepath.Join(dir, "store", "store.go")
	storeURI := lsptest.FileURI(storePath)
	c := startLSP(t, dir, nil)

	// Before initialize, requests are refused.
	if r := c.Call("textDocument/codeAction", map[string]any{}); r.Error == nil || r.Error.Code != -32002 {
		t.Errorf("request before initialize: %+v, want error -32002", r)
	}

	// Only syncmarshal, selected as -syncmarshal would: the checks other
	// helpers add must not change what this session expects.
	r := c.Initialize(lsptest.FileURI(dir), map[string]any{"changeDelay": "50ms", "checks": map[string]bool{"syncmarshal": true}}, false)
	if r.Error != nil {
		t.Fatalf("initialize: %+v", r.Error)
	}
	var init struct {
		Capabilities struct {
			PositionEncoding   string
			TextDocumentSync   struct{ OpenClose bool }
			CodeActionProvider struct{ CodeActionKinds []string }
		}
		ServerInfo struct{ Name string }
	}
	if err := json.Unmarshal(r.Result, &init); err != nil || init.Capabilities.PositionEncoding != "utf-16" ||
		!init.Capabilities.TextDocumentSync.OpenClose || init.ServerInfo.Name != "mapguard" ||
		len(init.Capabilities.CodeActionProvider.CodeActionKinds) != 1 {
		t.Errorf("initialize result %s (%v)", r.Result, err)
	}

	// didOpen a file with a bug: one diagnostic, with the exact range.
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": storeURI, "languageId": "go", "version": 1, "text": lspStoreBuggy,
	}})
	pub := c.Diagnostics(storeURI, 1)
	if len(pub.Diagnostics) != 1 {
		t.Fatalf("diagnostics after didOpen: %+v", pub)
	}
	d := pub.Diagnostics[0]
	start := utf16Col(t, lspStoreBuggy, 12, "s)")
	if d.Range != (lsptest.Range{Start: lsptest.Position{Line: 12, Character: start}, End: lsptest.Position{Line: 12, Character: start + 1}}) {
		t.Errorf("range %+v, want line 12, characters %d-%d (UTF-16)", d.Range, start, start+1)
	}
	if d.Code != "syncmarshal" || d.Source != "mapguard" || d.Severity != 2 ||
		d.CodeDescription == nil || d.CodeDescription.Href != "https://github.com/mapguard/mapguard/blob/main/docs/checks/syncmarshal.md" ||
		!strings.HasPrefix(d.Message, "json.Marshal encodes field Store.Items (sync.Map) as {}") {
		t.Errorf("diagnostic %+v", d)
	}
	if len(d.RelatedInformation) == 0 || d.RelatedInformation[0].Location.URI != storeURI ||
		d.RelatedInformation[0].Location.Range.Start.Line != 8 || !strings.Contains(d.RelatedInformation[0].Message, "declared here") {
		t.Errorf("related information %+v, want the field declaration on line 8", d.RelatedInformation)
	}

	// codeAction on the finding: syncmarshal offers no fix, so no quick
	// fix (TestLSPQuickFixesOfRegisteredChecks covers the checks that do).
	ca := c.Call("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": storeURI},
		"range":        d.Range,
		"context":      map[string]any{"diagnostics": []any{}},
	})
	if ca.Error != nil || strings.TrimSpace(string(ca.Result)) != "[]" {
		t.Errorf("codeAction: %s %+v, want []", ca.Result, ca.Error)
	}

	// The fix typed and saved: the diagnostics are cleared.
	c.Notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": storeURI, "version": 2},
		"contentChanges": []any{map[string]any{"text": lspStoreFixed}},
	})
	if err := os.WriteFile(storePath, []byte(lspStoreFixed), 0o644); err != nil {
		t.Fatal(err)
	}
	c.Notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": storeURI}})
	if pub := c.Diagnostics(storeURI, 2); len(pub.Diagnostics) != 0 {
		t.Errorf("diagnostics after the fix: %+v, want none", pub.Diagnostics)
	}

	// Malformed input gets errors, and the server goes on serving.
	c.WriteRaw(`{"jsonrpc":"2.0","id":`) // not JSON
	if r := lsptest.ToResponse(c.Await("the parse error", func(m lsptest.Message) bool { return m["error"] != nil && string(m["id"]) == "null" })); r.Error.Code != -32700 {
		t.Errorf("malformed JSON: %+v, want -32700", r.Error)
	}
	c.WriteRaw(`{"jsonrpc":"2.0","id":900}`) // neither request nor response
	if r := lsptest.ToResponse(c.Await("the invalid request error", func(m lsptest.Message) bool { return string(m["id"]) == "900" })); r.Error == nil || r.Error.Code != -32600 {
		t.Errorf("message without method: %+v, want -32600", r.Error)
	}
	c.Notify("$/unknownNotification", map[string]any{}) // ignored
	if r := c.Call("workspace/noSuchMethod", map[string]any{}); r.Error == nil || r.Error.Code != -32601 {
		t.Errorf("unknown method: %+v, want -32601", r.Error)
	}
	if r := c.Call("textDocument/codeAction", "not an object"); r.Error == nil || r.Error.Code != -32600 && r.Error.Code != -32602 {
		t.Errorf("codeAction with bad params: %+v, want an error", r.Error)
	}

	// Code that does not type-check: a log message, no diagnostics, no crash.
	broken := strings.Replace(lspStoreFixed, "return json.Marshal(snapshot)", "return json.Marshal(undefinedThing)", 1)
	c.Notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": storeURI, "version": 3},
		"contentChanges": []any{map[string]any{"text": broken}},
	})
	if pub := c.Diagnostics(storeURI, 3); len(pub.Diagnostics) != 0 {
		t.Errorf("diagnostics of code that does not type-check: %+v", pub.Diagnostics)
	}
	c.Logged("undefined: undefinedThing")

	// Back to the bug, unsaved: the diagnostic is back, through the overlay.
	c.Notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": storeURI, "version": 4},
		"contentChanges": []any{map[string]any{"text": lspStoreBuggy}},
	})
	if pub := c.Diagnostics(storeURI, 4); len(pub.Diagnostics) != 1 {
		t.Errorf("diagnostics of the unsaved buggy buffer: %+v", pub.Diagnostics)
	}

	// The server still answers; then it shuts down cleanly.
	if r := c.Call("shutdown", nil); r.Error != nil || string(r.Result) != "null" {
		t.Errorf("shutdown: %s %+v", r.Result, r.Error)
	}
	if r := c.Call("textDocument/codeAction", map[string]any{}); r.Error == nil || r.Error.Code != -32600 {
		t.Errorf("request after shutdown: %+v, want -32600", r.Error)
	}
	c.Notify("exit", nil)
	if code := c.exited(); code != 0 {
		t.Errorf("exit code after shutdown and exit: %d, want 0", code)
	}
	noCrash(t, result{stderr: c.stderr.String()})
}

func TestLSPExitWithoutShutdownIs1(t *testing.T) {
	c := startLSP(t, t.TempDir(), nil)
	if r := c.Initialize("", nil, false); r.Error != nil {
		t.Fatal(r.Error)
	}
	c.Notify("exit", nil)
	if code := c.exited(); code != 1 {
		t.Errorf("exit code without shutdown: %d, want 1", code)
	}
	c = startLSP(t, t.TempDir(), nil)
	c.stdin.Close()
	if code := c.exited(); code != 1 {
		t.Errorf("exit code when stdin ends: %d, want 1", code)
	}
}

func TestLSPBadOptionsFailInitialize(t *testing.T) {
	c := startLSP(t, t.TempDir(), nil)
	for _, opts := range []any{
		map[string]any{"checks": map[string]any{"nosuchcheck": true}},
		map[string]any{"nosuchoption": 1},
		map[string]any{"changeDelay": "soon"},
	} {
		r := c.Initialize("", opts, false)
		if r.Error == nil || r.Error.Code != -32602 || !strings.Contains(r.Error.Message, "mapguard") {
			t.Errorf("initialize with %v: %+v, want an invalid params error", opts, r.Error)
		}
	}
}

func TestLSPFilesOutsideAModule(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"x/x.go": lspStoreBuggy})
	path := filepath.Join(dir, "x", "x.go")
	c := startLSP(t, dir, []string{"GO111MODULE=on"})
	if r := c.Initialize(lsptest.FileURI(dir), nil, false); r.Error != nil {
		t.Fatal(r.Error)
	}
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": lsptest.FileURI(path), "languageId": "go", "version": 1, "text": lspStoreBuggy,
	}})
	if pub := c.Diagnostics(lsptest.FileURI(path), 1); len(pub.Diagnostics) != 0 {
		t.Errorf("diagnostics outside a module: %+v", pub.Diagnostics)
	}
	c.Logged("is not checked")
	if r := c.Call("shutdown", nil); r.Error != nil {
		t.Errorf("shutdown: %+v", r.Error)
	}
	c.Notify("exit", nil)
	if code := c.exited(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

func TestLSPCommandLine(t *testing.T) {
	r := mapguard(t, t.TempDir(), "lsp", "-nosuchflag")
	if r.code != 2 || !strings.Contains(r.stderr, "nosuchflag") {
		t.Errorf("bad flag: exit %d, stderr %q; want 2 and the flag named", r.code, r.stderr)
	}
	r = mapguard(t, t.TempDir(), "lsp", "./...")
	if r.code != 2 || !strings.Contains(r.stderr, "takes no packages") {
		t.Errorf("packages: exit %d, stderr %q", r.code, r.stderr)
	}
	r = mapguard(t, t.TempDir(), "lsp", "-help")
	if r.code != 0 || !strings.Contains(r.stdout, "usage: mapguard lsp") || !strings.Contains(r.stdout, "docs/editors.md") {
		t.Errorf("-help: exit %d, stdout %q", r.code, r.stdout)
	}
}
