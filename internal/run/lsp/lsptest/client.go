// Package lsptest is a small Language Server Protocol client for tests: it
// talks to a server as an editor does, records everything the server
// sends, and bounds every wait so that a server that stops answering fails
// the test instead of hanging it.
package lsptest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Timeout bounds every wait; first loads of standard-library dependencies
// on a busy 2-core machine take a while.
const Timeout = 120 * time.Second

// A Client is one editor session with a server.
type Client struct {
	t    testing.TB
	w    io.Writer
	gone <-chan struct{} // closed when the server is gone

	mu       sync.Mutex
	writeMu  sync.Mutex
	received []Message // every message from the server not yet awaited, in order
	arrived  chan struct{}
	nextID   int
}

// A Message is one JSON-RPC message from the server, by member.
type Message map[string]json.RawMessage

// Method returns the message's method, or "" for a response.
func (m Message) Method() string {
	var s string
	_ = json.Unmarshal(m["method"], &s)
	return s
}

// New starts reading the server's messages from r; requests go to w. gone
// is closed when the server has exited.
func New(t testing.TB, r io.Reader, w io.Writer, gone <-chan struct{}) *Client {
	c := &Client{t: t, w: w, gone: gone, arrived: make(chan struct{}, 1)}
	go c.readLoop(r)
	return c
}

func (c *Client) readLoop(stdout io.Reader) {
	r := bufio.NewReader(stdout)
	for {
		length := -1
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\r\n")
			if line == "" {
				break
			}
			if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
				length, _ = strconv.Atoi(v)
			}
		}
		if length < 0 {
			c.t.Errorf("server sent a message without Content-Length")
			return
		}
		body := make([]byte, length)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		var msg Message
		if err := json.Unmarshal(body, &msg); err != nil {
			c.t.Errorf("server sent invalid JSON %q: %v", body, err)
			continue
		}
		// Accept the server's own requests (progress tokens). The answer
		// is written from another goroutine: the pipes are unbuffered,
		// and the server may itself be blocked writing to this loop
		// (a reply to shutdown), which would then never read it.
		if msg["method"] != nil && msg["id"] != nil {
			go c.answer(msg["id"])
		}
		c.mu.Lock()
		c.received = append(c.received, msg)
		c.mu.Unlock()
		select {
		case c.arrived <- struct{}{}:
		default:
		}
	}
}

// answer accepts a request of the server's. A write that fails because the
// server is ending (it closes its input before it is gone) is no error.
func (c *Client) answer(id json.RawMessage) {
	body := `{"jsonrpc":"2.0","id":` + string(id) + `,"result":null}`
	c.writeMu.Lock()
	_, err := fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n%s", len(body), body)
	c.writeMu.Unlock()
	if err == nil {
		return
	}
	select {
	case <-c.gone:
	case <-time.After(Timeout):
		c.t.Errorf("answering the server's request %s: %v", id, err)
	}
}

// WriteRaw sends body as one message, whatever it holds.
func (c *Client) WriteRaw(body string) {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if _, err := fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		c.t.Errorf("writing to the server: %v", err)
	}
}

// WriteBytes sends raw bytes, framing included.
func (c *Client) WriteBytes(b string) {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if _, err := io.WriteString(c.w, b); err != nil {
		c.t.Errorf("writing to the server: %v", err)
	}
}

// Notify sends a notification.
func (c *Client) Notify(method string, params any) {
	c.t.Helper()
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
	if err != nil {
		c.t.Fatal(err)
	}
	c.WriteRaw(string(body))
}

// Request sends a request and returns its id.
func (c *Client) Request(method string, params any) int {
	c.t.Helper()
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.mu.Unlock()
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	if err != nil {
		c.t.Fatal(err)
	}
	c.WriteRaw(string(body))
	return id
}

// Call sends a request and waits for its response.
func (c *Client) Call(method string, params any) Response {
	c.t.Helper()
	return c.Response(c.Request(method, params))
}

// Response waits for the response to request id.
func (c *Client) Response(id int) Response {
	c.t.Helper()
	return ToResponse(c.Await(fmt.Sprintf("the response to request %d", id), func(m Message) bool {
		return string(m["id"]) == strconv.Itoa(id) && m["method"] == nil
	}))
}

// Response is a response from the server.
type Response struct {
	ID     json.RawMessage
	Result json.RawMessage
	Error  *struct {
		Code    int
		Message string
	}
}

// ToResponse decodes a response message.
func ToResponse(m Message) Response {
	var r Response
	r.ID, r.Result = m["id"], m["result"]
	if m["error"] != nil {
		_ = json.Unmarshal(m["error"], &r.Error)
	}
	return r
}

// Await returns the first message, received or to come, that matches and
// that no earlier Await returned.
func (c *Client) Await(what string, match func(Message) bool) Message {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	for {
		c.mu.Lock()
		for i, m := range c.received {
			if match(m) {
				c.received = append(c.received[:i:i], c.received[i+1:]...)
				c.mu.Unlock()
				return m
			}
		}
		c.mu.Unlock()
		select {
		case <-c.arrived:
		case <-c.gone:
			// Drain what arrived before the end.
			select {
			case <-c.arrived:
				continue
			case <-time.After(100 * time.Millisecond):
			}
			c.t.Fatalf("the server is gone while waiting for %s", what)
		case <-ctx.Done():
			c.t.Fatalf("no %s within %v", what, Timeout)
		}
	}
}

// Received returns the messages received and not awaited so far.
func (c *Client) Received() []Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Message(nil), c.received...)
}

// Published is the params of textDocument/publishDiagnostics.
type Published struct {
	URI         string
	Version     *int
	Diagnostics []Diagnostic
}

// Diagnostic is one published diagnostic.
type Diagnostic struct {
	Range              Range
	Severity           int
	Code               string
	Source             string
	Message            string
	CodeDescription    *struct{ Href string }
	RelatedInformation []struct {
		Location struct {
			URI   string
			Range Range
		}
		Message string
	}
}

// Position and Range are LSP positions (UTF-16) and ranges.
type Position struct{ Line, Character int }
type Range struct{ Start, End Position }

// Diagnostics waits for the diagnostics of uri published for version.
func (c *Client) Diagnostics(uri string, version int) Published {
	c.t.Helper()
	var p Published
	c.Await(fmt.Sprintf("diagnostics for %s version %d", uri, version), func(m Message) bool {
		if m.Method() != "textDocument/publishDiagnostics" {
			return false
		}
		var got Published
		if json.Unmarshal(m["params"], &got) != nil || got.URI != uri || got.Version == nil || *got.Version != version {
			return false
		}
		p = got
		return true
	})
	return p
}

// Logged waits for a window/logMessage containing text.
func (c *Client) Logged(text string) string {
	c.t.Helper()
	var msg string
	c.Await(fmt.Sprintf("a log message with %q", text), func(m Message) bool {
		if m.Method() != "window/logMessage" {
			return false
		}
		var p struct{ Message string }
		if json.Unmarshal(m["params"], &p) != nil || !strings.Contains(p.Message, text) {
			return false
		}
		msg = p.Message
		return true
	})
	return msg
}

// Initialize sends initialize, and initialized when it succeeds. The
// client advertises work-done progress, versioned document edits and
// dynamic file watchers unless plain is set.
func (c *Client) Initialize(rootURI string, options any, plain bool) Response {
	c.t.Helper()
	caps := map[string]any{
		"window": map[string]any{"workDoneProgress": true},
		"workspace": map[string]any{
			"workspaceEdit":         map[string]any{"documentChanges": true},
			"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true},
		},
	}
	if plain {
		caps = map[string]any{}
	}
	r := c.Call("initialize", map[string]any{
		"processId":             nil,
		"rootUri":               rootURI,
		"capabilities":          caps,
		"initializationOptions": options,
	})
	if r.Error == nil {
		c.Notify("initialized", map[string]any{})
	}
	return r
}

// Open sends didOpen for a Go file.
func (c *Client) Open(uri string, version int, text string) {
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "go", "version": version, "text": text,
	}})
}

// Change sends didChange with the whole new text.
func (c *Client) Change(uri string, version int, text string) {
	c.Notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": version},
		"contentChanges": []any{map[string]any{"text": text}},
	})
}

// Save sends didSave.
func (c *Client) Save(uri string) {
	c.Notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": uri}})
}

// FileURI returns the file URI of an absolute path (without characters
// that need escaping).
func FileURI(path string) string { return "file://" + path }
