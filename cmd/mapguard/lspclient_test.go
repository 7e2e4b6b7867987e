package main_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// lspClient drives "mapguard lsp" over its stdin and stdout as an editor
// does. Every wait has a deadline, so a server that stops answering fails
// the test instead of hanging it.
type lspClient struct {
	t      *testing.T
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr *lockedBuffer
	done   chan struct{} // closed when the process has exited
	exit   int

	mu       sync.Mutex
	received []map[string]json.RawMessage // every message from the server, in order
	arrived  chan struct{}                // signalled on each message
	nextID   int
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor bounds every wait of these tests; first loads of std
// dependencies on a busy 2-core machine take a while.
const waitFor = 120 * time.Second

func startLSP(t *testing.T, dir string, env []string, args ...string) *lspClient {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"lsp"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GOCACHE="+gocache, "GOPROXY=off", "GOFLAGS=-mod=mod"), env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &lspClient{t: t, cmd: cmd, stdin: stdin, stderr: &lockedBuffer{}, done: make(chan struct{}), arrived: make(chan struct{}, 1)}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go c.readLoop(stdout)
	go func() {
		err := cmd.Wait()
		if exit, ok := err.(*exec.ExitError); ok {
			c.exit = exit.ExitCode()
		} else if err != nil {
			c.exit = -1
		}
		close(c.done)
	}()
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			_ = cmd.Process.Kill()
			<-c.done
		}
		if t.Failed() {
			t.Logf("server stderr:\n%s", c.stderr.String())
		}
	})
	return c
}

func (c *lspClient) readLoop(stdout io.Reader) {
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
		var msg map[string]json.RawMessage
		if err := json.Unmarshal(body, &msg); err != nil {
			c.t.Errorf("server sent invalid JSON %q: %v", body, err)
			continue
		}
		// Answer the server's own requests (progress tokens).
		if _, hasMethod := msg["method"]; hasMethod && msg["id"] != nil {
			c.writeRaw(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"result":null}`, msg["id"]))
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

func (c *lspClient) writeRaw(body string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := fmt.Fprintf(c.stdin, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		c.t.Errorf("writing to the server: %v", err)
	}
}

func (c *lspClient) notify(method string, params any) {
	c.t.Helper()
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
	if err != nil {
		c.t.Fatal(err)
	}
	c.writeRaw(string(body))
}

// request sends a request and returns its id.
func (c *lspClient) request(method string, params any) int {
	c.t.Helper()
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.mu.Unlock()
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	if err != nil {
		c.t.Fatal(err)
	}
	c.writeRaw(string(body))
	return id
}

// call sends a request and waits for its response.
func (c *lspClient) call(method string, params any) response {
	c.t.Helper()
	id := c.request(method, params)
	msg := c.await(fmt.Sprintf("the response to %s", method), func(m map[string]json.RawMessage) bool {
		return string(m["id"]) == strconv.Itoa(id) && m["method"] == nil
	})
	return toResponse(msg)
}

type response struct {
	ID     json.RawMessage
	Result json.RawMessage
	Error  *struct {
		Code    int
		Message string
	}
}

func toResponse(m map[string]json.RawMessage) response {
	var r response
	r.ID, r.Result = m["id"], m["result"]
	if m["error"] != nil {
		_ = json.Unmarshal(m["error"], &r.Error)
	}
	return r
}

// await returns the first message, received or to come, that matches and
// was not returned by an earlier await.
func (c *lspClient) await(what string, match func(map[string]json.RawMessage) bool) map[string]json.RawMessage {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	for {
		c.mu.Lock()
		for i, m := range c.received {
			if m != nil && match(m) {
				c.received[i] = nil // consumed
				c.mu.Unlock()
				return m
			}
		}
		c.mu.Unlock()
		select {
		case <-c.arrived:
		case <-c.done:
			c.t.Fatalf("the server exited (code %d) while waiting for %s", c.exit, what)
		case <-ctx.Done():
			c.t.Fatalf("no %s within %v", what, waitFor)
		}
	}
}

type publishedDiagnostics struct {
	URI         string
	Version     *int
	Diagnostics []struct {
		Range           lspRange
		Severity        int
		Code            string
		Source          string
		Message         string
		CodeDescription *struct{ Href string }
		// relatedInformation
		RelatedInformation []struct {
			Location struct {
				URI   string
				Range lspRange
			}
			Message string
		}
	}
}

type lspPosition struct{ Line, Character int }
type lspRange struct{ Start, End lspPosition }

// diagnostics waits for the diagnostics of uri published for version.
func (c *lspClient) diagnostics(uri string, version int) publishedDiagnostics {
	c.t.Helper()
	var p publishedDiagnostics
	c.await(fmt.Sprintf("diagnostics for %s version %d", uri, version), func(m map[string]json.RawMessage) bool {
		if string(m["method"]) != `"textDocument/publishDiagnostics"` {
			return false
		}
		var got publishedDiagnostics
		if json.Unmarshal(m["params"], &got) != nil || got.URI != uri || got.Version == nil || *got.Version != version {
			return false
		}
		p = got
		return true
	})
	return p
}

// logged waits for a window/logMessage containing text.
func (c *lspClient) logged(text string) string {
	c.t.Helper()
	var msg string
	c.await(fmt.Sprintf("a log message with %q", text), func(m map[string]json.RawMessage) bool {
		if string(m["method"]) != `"window/logMessage"` {
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

// exited waits for the process to end and returns its exit code.
func (c *lspClient) exited() int {
	c.t.Helper()
	select {
	case <-c.done:
		return c.exit
	case <-time.After(waitFor):
		c.t.Fatalf("the server did not exit within %v", waitFor)
		return -1
	}
}

func (c *lspClient) initialize(rootURI string, options any) response {
	c.t.Helper()
	r := c.call("initialize", map[string]any{
		"processId": os.Getpid(),
		"rootUri":   rootURI,
		"capabilities": map[string]any{
			"window":    map[string]any{"workDoneProgress": true},
			"workspace": map[string]any{"workspaceEdit": map[string]any{"documentChanges": true}},
		},
		"initializationOptions": options,
	})
	if r.Error == nil {
		c.notify("initialized", map[string]any{})
	}
	return r
}

func fileURI(path string) string { return "file://" + path }
