// Package lsp is mapguard's language server: "mapguard lsp" speaks the
// Language Server Protocol on stdin and stdout, next to gopls, and shows
// the findings of mapguard's checks as diagnostics of the files an editor
// opens, with their suggested fixes as quick fixes.
//
// Findings come from the same registry, selection and check options as the
// command line. Packages are loaded once and kept (see
// internal/run/incremental): a save or an edit re-checks only the package
// that changed and, through facts, its importers among the open files.
//
// The files by role: server.go the connection, the Server and the dispatch
// of messages (Handle); lifecycle.go initialize and shutdown; documents.go
// the open buffers; checks.go when and how checks run (schedule, worker,
// settle, check, progress); diagnostics.go findings turned into published
// diagnostics; codeactions.go the quick fixes; options.go the client's
// settings; protocol.go, position.go and stream.go the wire.
package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/sourcegraph/jsonrpc2"
	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/internal/analysis/budget"
	"github.com/mapguard/mapguard/internal/run/driver"
	"github.com/mapguard/mapguard/internal/run/incremental"
)

// Config is how Serve runs.
type Config struct {
	// Args are the flags given to "mapguard lsp" (the CLI's -NAME,
	// -enable, -test and check flags).
	Args []string
	// Stderr receives the server's own log (nil: discarded).
	Stderr io.Writer
	// Checks selects the analyzers from parsed options (nil: the registry,
	// as the CLI selects them).
	Checks func(*driver.Options) ([]*analysis.Analyzer, error)
	// Env is the go command's environment (nil: this process's).
	Env []string

	progressThreshold int // 0: progressThreshold
}

// Main runs the server on stdin and stdout and returns the exit code.
func Main(args []string) int {
	// Bad flags are a usage error at once, as on the command line, rather
	// than a failed initialize later.
	if _, err := parseSettings(args, nil, (*driver.Options).Analyzers); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(os.Stdout, usage)
			return driver.ExitClean
		}
		fmt.Fprintf(os.Stderr, "mapguard lsp: %v\nrun 'mapguard lsp -help' for usage\n", err)
		return driver.ExitUsage
	}
	// stdout carries the protocol alone: anything else printed there would
	// corrupt it, so the rest of the program sees stderr as stdout.
	out := os.Stdout
	os.Stdout = os.Stderr
	return Serve(context.Background(), os.Stdin, out, Config{Args: args, Stderr: os.Stderr})
}

const usage = `usage: mapguard lsp [flags]

Serves the Language Server Protocol on stdin and stdout, beside gopls: the
findings of mapguard's checks become diagnostics of the files the editor
opens, their suggested fixes quick fixes. The flags are the command line's
check options (-NAME, -NAME=false, -enable=NAME, -test=false, -NAME.FLAG=V;
see mapguard -help); the client's initializationOptions may set them too.
Editor set-up: https://github.com/mapguard/mapguard/blob/main/docs/editors.md
`

// Serve serves one client on in and out until it exits or in ends, and
// returns the exit code the specification asks for: 0 after shutdown, 1
// otherwise.
func Serve(ctx context.Context, in io.Reader, out io.Writer, cfg Config) int {
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	if cfg.Checks == nil {
		cfg.Checks = (*driver.Options).Analyzers
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s := &Server{
		cfg:       cfg,
		docs:      make(map[string]*document),
		published: make(map[string]*published),
		inflight:  make(map[jsonrpc2.ID]context.CancelFunc),
		logged:    make(map[string]bool),
		wake:      make(chan struct{}, 1),
		idle:      make(chan struct{}),
		exited:    make(chan struct{}),
	}
	close(s.idle)
	var closer io.Closer
	if c, ok := in.(io.Closer); ok {
		closer = c
	}
	st := newStream(in, out, closer)
	s.conn = jsonrpc2.NewConn(ctx, st, s, jsonrpc2.SetLogger(logger{cfg.Stderr}))
	close(st.start) // the connection starts reading before NewConn returns
	defer s.conn.Close()
	// Code a check skips for its time budget is told to the client once,
	// not printed on stderr where no one reads it.
	prev := budget.SetHandler(func(sk budget.Skip) { s.logOnce(MessageWarning, sk.String()) })
	defer budget.SetHandler(prev)
	go s.worker(ctx)
	select {
	case <-s.exited:
	case <-s.conn.DisconnectNotify():
	case <-ctx.Done():
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == stateShutdown {
		return 0
	}
	return 1
}

type logger struct{ w io.Writer }

func (l logger) Printf(format string, args ...any) {
	fmt.Fprintf(l.w, "mapguard lsp: "+format, args...)
}

const (
	stateNew = iota
	stateInitialized
	stateShutdown
)

// A Server serves one client.
type Server struct {
	cfg  Config
	conn *jsonrpc2.Conn

	mu        sync.Mutex
	state     int
	settings  *settings
	caps      ClientCapabilities
	ws        *incremental.Workspace
	docs      map[string]*document  // open documents by path
	published map[string]*published // what was last published, by path
	inflight  map[jsonrpc2.ID]context.CancelFunc
	logged    map[string]bool // problems already logged
	exitOnce  sync.Once
	exited    chan struct{}

	// Scheduling of checks, run one at a time by worker.
	wake      chan struct{}
	dirty     bool      // a check is wanted
	due       time.Time // not before
	cancelRun context.CancelFunc
	idle      chan struct{} // closed while no check is wanted or running
}

// Handle implements jsonrpc2.Handler. It runs on the connection's reading
// goroutine, so that notifications apply in order; requests that may wait
// run on their own goroutine.
func (s *Server) Handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) {
	defer func() {
		if r := recover(); r != nil {
			s.internalError(ctx, req, r)
		}
	}()
	s.mu.Lock()
	state := s.state
	s.mu.Unlock()

	switch {
	case req.Method == "exit":
		s.exitOnce.Do(func() { close(s.exited) })
		return
	case state == stateNew && req.Method != "initialize":
		if !req.Notif {
			s.replyError(ctx, req, CodeServerNotInitialized, "the server is not initialized yet")
		}
		return
	case state == stateShutdown:
		if !req.Notif {
			s.replyError(ctx, req, CodeInvalidRequest, "the server is shutting down")
		}
		return
	}

	switch req.Method {
	case "initialize":
		if state != stateNew {
			s.replyError(ctx, req, CodeInvalidRequest, "initialize was already called")
			return
		}
		s.initialize(ctx, req)
	case "initialized":
		s.watchFiles()
	case "workspace/didChangeWatchedFiles":
		// Files on disk are compared with what was checked before each
		// check; a change (a git checkout, say) only needs one. A short
		// delay gathers the burst of notifications.
		s.mu.Lock()
		if len(s.docs) > 0 {
			s.schedule(watchedDelay, false)
		}
		s.mu.Unlock()
	case "workspace/didChangeConfiguration":
		// Options are read once, at initialize.
	case "shutdown":
		s.shutdown(ctx, req)
	case "textDocument/didOpen":
		var p DidOpenTextDocumentParams
		if s.params(ctx, req, &p) {
			s.didOpen(p)
		}
	case "textDocument/didChange":
		var p DidChangeTextDocumentParams
		if s.params(ctx, req, &p) {
			s.didChange(p)
		}
	case "textDocument/didSave":
		var p DidSaveTextDocumentParams
		if s.params(ctx, req, &p) {
			s.didSave(p)
		}
	case "textDocument/didClose":
		var p DidCloseTextDocumentParams
		if s.params(ctx, req, &p) {
			s.didClose(p)
		}
	case "textDocument/codeAction":
		var p CodeActionParams
		if s.params(ctx, req, &p) {
			s.async(ctx, req, func(ctx context.Context) (any, error) { return s.codeAction(ctx, p) })
		}
	case "$/cancelRequest":
		var p CancelParams
		if json.Unmarshal(paramsOf(req), &p) == nil {
			s.cancelRequest(p)
		}
	default:
		if !req.Notif {
			s.replyError(ctx, req, CodeMethodNotFound, "mapguard does not handle "+req.Method)
		}
		// Unknown notifications ($/setTrace, ...) are ignored.
	}
}

func paramsOf(req *jsonrpc2.Request) []byte {
	if req.Params == nil {
		return nil
	}
	return *req.Params
}

// params decodes the parameters of req into v, answering InvalidParams
// (or logging, for a notification) when they do not fit.
func (s *Server) params(ctx context.Context, req *jsonrpc2.Request, v any) bool {
	err := json.Unmarshal(paramsOf(req), v)
	if err == nil {
		return true
	}
	msg := fmt.Sprintf("invalid params for %s: %v", req.Method, err)
	if req.Notif {
		s.logMessage(MessageError, msg)
	} else {
		s.replyError(ctx, req, CodeInvalidParams, msg)
	}
	return false
}

func (s *Server) replyError(ctx context.Context, req *jsonrpc2.Request, code int, msg string) {
	_ = s.conn.ReplyWithError(ctx, req.ID, &jsonrpc2.Error{Code: int64(code), Message: msg})
}

func (s *Server) internalError(ctx context.Context, req *jsonrpc2.Request, r any) {
	defer func() { _ = recover() }() // reporting must not fail the connection
	msg := fmt.Sprintf("internal error handling %s: %v", req.Method, r)
	fmt.Fprintf(s.cfg.Stderr, "mapguard lsp: %s\n%s", msg, debug.Stack())
	s.logMessage(MessageError, msg)
	if !req.Notif {
		s.replyError(ctx, req, CodeInternalError, msg)
	}
}

// async answers req from f on a goroutine of its own, which
// $/cancelRequest can cancel.
func (s *Server) async(ctx context.Context, req *jsonrpc2.Request, f func(context.Context) (any, error)) {
	ctx, cancel := context.WithCancel(ctx)
	s.mu.Lock()
	s.inflight[req.ID] = cancel
	s.mu.Unlock()
	go func() {
		defer func() {
			s.mu.Lock()
			delete(s.inflight, req.ID)
			s.mu.Unlock()
			cancel()
			if r := recover(); r != nil {
				s.internalError(ctx, req, r)
			}
		}()
		result, err := f(ctx)
		switch {
		case ctx.Err() != nil && err != nil:
			s.replyError(ctx, req, CodeRequestCancelled, "request cancelled")
		case err != nil:
			s.replyError(ctx, req, CodeInternalError, err.Error())
		default:
			_ = s.conn.Reply(ctx, req.ID, result)
		}
	}()
}

func (s *Server) cancelRequest(p CancelParams) {
	var id jsonrpc2.ID
	var str string
	var num uint64
	switch {
	case json.Unmarshal(p.ID, &num) == nil:
		id = jsonrpc2.ID{Num: num}
	case json.Unmarshal(p.ID, &str) == nil:
		id = jsonrpc2.ID{Str: str, IsString: true}
	default:
		return
	}
	s.mu.Lock()
	cancel := s.inflight[id]
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

func (s *Server) notify(method string, params any) {
	if err := s.conn.Notify(context.Background(), method, params); err != nil {
		fmt.Fprintf(s.cfg.Stderr, "mapguard lsp: %s: %v\n", method, err)
	}
}

func (s *Server) logMessage(typ int, msg string) {
	s.notify("window/logMessage", LogMessageParams{Type: typ, Message: msg})
}

func (s *Server) logOnce(typ int, msg string) {
	s.mu.Lock()
	seen := s.logged[msg]
	s.logged[msg] = true
	s.mu.Unlock()
	if !seen {
		s.logMessage(typ, msg)
	}
}
