// Package lsp is mapguard's language server: "mapguard lsp" speaks the
// Language Server Protocol on stdin and stdout, next to gopls, and shows
// the findings of mapguard's checks as diagnostics of the files an editor
// opens, with their suggested fixes as quick fixes.
//
// Findings come from the same registry, selection and check options as the
// command line. Packages are loaded once and kept (see
// internal/run/incremental): a save or an edit re-checks only the package
// that changed and, through facts, its importers among the open files.
package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
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

type document struct {
	uri     DocumentURI
	version int32
	text    []byte
}

// published is what the client was last told about one file: its
// diagnostics and, for each, the quick fixes.
type published struct {
	uri     DocumentURI
	version *int32
	diags   []Diagnostic
	fixes   [][]CodeAction
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

func (s *Server) initialize(ctx context.Context, req *jsonrpc2.Request) {
	var p InitializeParams
	if !s.params(ctx, req, &p) {
		return
	}
	set, err := parseSettings(s.cfg.Args, p.InitializationOptions, s.cfg.Checks)
	if err != nil {
		s.replyError(ctx, req, CodeInvalidParams, "mapguard: "+err.Error())
		return
	}
	ws, err := incremental.New(incremental.Config{Analyzers: set.analyzers, Tests: set.tests, Env: s.cfg.Env})
	if err != nil {
		s.replyError(ctx, req, CodeInvalidParams, "mapguard: "+err.Error())
		return
	}
	s.mu.Lock()
	s.settings, s.caps, s.ws, s.state = set, p.Capabilities, ws, stateInitialized
	s.mu.Unlock()
	change := SyncFull
	_ = s.conn.Reply(ctx, req.ID, InitializeResult{
		Capabilities: ServerCapabilities{
			PositionEncoding:   "utf-16",
			TextDocumentSync:   TextDocumentSyncOptions{OpenClose: true, Change: change, Save: SaveOptions{IncludeText: false}},
			CodeActionProvider: CodeActionOptions{CodeActionKinds: []string{CodeActionQuickFix}},
		},
		ServerInfo: ServerInfo{Name: "mapguard", Version: version()},
	})
}

func version() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		return info.Main.Version
	}
	return ""
}

// watchedDelay gathers the notifications of a burst of file changes.
const watchedDelay = 200 * time.Millisecond

// watchFiles asks the client to report changes of Go files and module files
// made outside the editor, when it can register watchers dynamically.
func (s *Server) watchFiles() {
	s.mu.Lock()
	can := s.caps.Workspace.DidChangeWatchedFiles.DynamicRegistration
	s.mu.Unlock()
	if !can {
		return
	}
	params := RegistrationParams{Registrations: []Registration{{
		ID:     "mapguard-watched-files",
		Method: "workspace/didChangeWatchedFiles",
		RegisterOptions: DidChangeWatchedFilesRegistrationOptions{Watchers: []FileSystemWatcher{
			{GlobPattern: "**/*.go"}, {GlobPattern: "**/go.mod"}, {GlobPattern: "**/go.sum"}, {GlobPattern: "**/go.work"},
		}},
	}}}
	// The answer arrives on the reading goroutine, which runs this
	// handler: wait for it elsewhere.
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.conn.Call(ctx, "client/registerCapability", params, nil); err != nil {
			fmt.Fprintf(s.cfg.Stderr, "mapguard lsp: registering file watchers: %v\n", err)
		}
	}()
}

func (s *Server) shutdown(ctx context.Context, req *jsonrpc2.Request) {
	s.mu.Lock()
	s.state = stateShutdown
	if s.cancelRun != nil {
		s.cancelRun()
	}
	for _, cancel := range s.inflight {
		cancel()
	}
	s.mu.Unlock()
	_ = s.conn.Reply(ctx, req.ID, nil)
}

// path returns the file path of a file URI, or "" for other schemes.
func path(uri DocumentURI) string {
	u, err := url.Parse(string(uri))
	if err != nil || u.Scheme != "file" || u.Path == "" {
		return ""
	}
	p := u.Path
	if len(p) >= 3 && p[0] == '/' && p[2] == ':' {
		p = p[1:] // file:///C:/x on Windows
	}
	return filepath.Clean(filepath.FromSlash(p))
}

// uriFor returns the URI of path: the client's own for an open document.
func (s *Server) uriFor(p string) DocumentURI {
	if d := s.docs[p]; d != nil {
		return d.uri
	}
	slashed := filepath.ToSlash(p)
	if !strings.HasPrefix(slashed, "/") {
		slashed = "/" + slashed
	}
	return DocumentURI((&url.URL{Scheme: "file", Path: slashed}).String())
}

func (s *Server) didOpen(p DidOpenTextDocumentParams) {
	name := path(p.TextDocument.URI)
	if name == "" {
		s.logOnce(MessageInfo, fmt.Sprintf("mapguard checks files only, not %s", p.TextDocument.URI))
		return
	}
	if !strings.HasSuffix(name, ".go") {
		return // go.mod and the like: not ours to check
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs[name] = &document{uri: p.TextDocument.URI, version: p.TextDocument.Version, text: []byte(p.TextDocument.Text)}
	s.schedule(0, false)
}

func (s *Server) didChange(p DidChangeTextDocumentParams) {
	name := path(p.TextDocument.URI)
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docs[name]
	if d == nil {
		return
	}
	for _, c := range p.ContentChanges {
		d.text = applyChange(d.text, c)
	}
	d.version = p.TextDocument.Version
	if s.settings.onChange {
		s.schedule(s.settings.changeDelay, true)
	}
}

func (s *Server) didSave(p DidSaveTextDocumentParams) {
	name := path(p.TextDocument.URI)
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.docs[name]; d != nil && p.Text != nil {
		d.text = []byte(*p.Text)
	}
	s.schedule(0, false)
}

func (s *Server) didClose(p DidCloseTextDocumentParams) {
	name := path(p.TextDocument.URI)
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.docs, name)
	s.schedule(0, false)
}

// schedule asks for a check after delay. stale says that a buffer changed:
// the running check, if any, works on old text and is cancelled, and a
// pending check waits for typing to pause (delay from now). Otherwise
// (open, save, close, files changed on disk) the running check goes on,
// its results still valid for what it checks, and the next check starts
// after it, no later than delay from now. s.mu is held.
func (s *Server) schedule(delay time.Duration, stale bool) {
	due := time.Now().Add(delay)
	if !s.dirty || stale || due.Before(s.due) {
		s.due = due
	}
	if !s.dirty {
		s.dirty = true
		if s.cancelRun == nil {
			s.idle = make(chan struct{})
		}
	}
	if stale && s.cancelRun != nil {
		s.cancelRun()
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// worker runs the checks that schedule asks for, one at a time, and
// publishes what they find.
func (s *Server) worker(ctx context.Context) {
	for {
		s.mu.Lock()
		for !s.dirty || time.Now().Before(s.due) {
			var timer <-chan time.Time
			if s.dirty {
				timer = time.After(time.Until(s.due))
			}
			s.mu.Unlock()
			select {
			case <-s.wake:
			case <-timer:
			case <-ctx.Done():
				return
			}
			s.mu.Lock()
		}
		if s.state != stateInitialized {
			s.dirty = false
			close(s.idle)
			s.mu.Unlock()
			continue
		}
		s.dirty = false
		runCtx, cancel := context.WithCancel(ctx)
		s.cancelRun = cancel
		snap := s.snapshot()
		s.mu.Unlock()

		rep, err := s.check(runCtx, snap)

		s.mu.Lock()
		cancel()
		s.cancelRun = nil
		var notes []func()
		if err == nil {
			notes = s.publish(rep, snap)
		}
		if !s.dirty {
			close(s.idle)
		}
		s.mu.Unlock()
		for _, note := range notes {
			note()
		}
	}
}

// snapshot is the state of the open documents a check runs on.
type snapshot struct {
	files    []string
	overlay  map[string][]byte
	versions map[string]int32
}

func (s *Server) snapshot() snapshot {
	snap := snapshot{overlay: make(map[string][]byte), versions: make(map[string]int32)}
	for name, d := range s.docs {
		snap.files = append(snap.files, name)
		snap.overlay[name] = d.text
		snap.versions[name] = d.version
	}
	sort.Strings(snap.files)
	return snap
}

// check runs the workspace check, reporting progress when it has many
// packages to check and the client can show it.
func (s *Server) check(ctx context.Context, snap snapshot) (rep *incremental.Report, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v", r)
			fmt.Fprintf(s.cfg.Stderr, "mapguard lsp: %v\n%s", err, debug.Stack())
			s.logMessage(MessageError, err.Error())
		}
	}()
	if len(snap.files) == 0 {
		return &incremental.Report{}, nil // all closed: only clearing to do
	}
	pr := &progress{s: s, enabled: s.caps.Window.WorkDoneProgress, threshold: s.cfg.progressThreshold}
	if pr.threshold == 0 {
		pr.threshold = progressThreshold
	}
	defer pr.end()
	rep, err = s.ws.Check(ctx, snap.files, snap.overlay, pr.report)
	if err == nil {
		fmt.Fprintf(s.cfg.Stderr, "mapguard lsp: checked %d files: %d directories loaded, %d packages checked, %d findings in %v\n",
			len(snap.files), rep.Loaded, rep.Checked, len(rep.Findings), rep.Elapsed.Round(time.Millisecond))
	}
	return rep, err
}

// publish records the diagnostics of rep and returns the notifications that
// tell the client: for every file with findings, every open file, and every
// file that had findings before (now none). s.mu is held.
func (s *Server) publish(rep *incremental.Report, snap snapshot) []func() {
	next := make(map[string]*published)
	entry := func(name string) *published {
		if next[name] == nil {
			next[name] = &published{uri: s.uriFor(name), diags: []Diagnostic{}}
			if v, ok := snap.versions[name]; ok {
				next[name].version = &v
			}
		}
		return next[name]
	}
	for _, name := range snap.files {
		entry(name)
	}
	for _, f := range rep.Findings {
		if f.Pos.Filename == "" {
			continue // no position to show it at
		}
		diag, fixes := s.convert(f, rep.Sources, snap)
		e := entry(f.Pos.Filename)
		e.diags = append(e.diags, diag)
		e.fixes = append(e.fixes, fixes)
	}
	for name, old := range s.published {
		if next[name] == nil && len(old.diags) > 0 {
			entry(name)
		}
	}
	var notes []func()
	for _, name := range slices.Sorted(maps.Keys(next)) {
		e := next[name]
		if old := s.published[name]; old != nil && sameVersion(old.version, e.version) && reflect.DeepEqual(old.diags, e.diags) {
			continue // the client has these already
		}
		params := PublishDiagnosticsParams{URI: e.uri, Version: e.version, Diagnostics: e.diags}
		notes = append(notes, func() { s.notify("textDocument/publishDiagnostics", params) })
	}
	s.published = next

	var problems []string
	for _, p := range rep.Problems {
		if !s.logged[p] {
			s.logged[p] = true
			problems = append(problems, p)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(rep.Unowned)) {
		msg := fmt.Sprintf("%s is not checked: %s", name, rep.Unowned[name])
		if !s.logged[msg] {
			s.logged[msg] = true
			problems = append(problems, msg)
		}
	}
	for _, p := range problems {
		notes = append(notes, func() { s.logMessage(MessageWarning, "mapguard: "+p) })
	}
	return notes
}

func sameVersion(a, b *int32) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// convert turns a finding into a diagnostic and its fixes into quick fixes.
func (s *Server) convert(f incremental.Finding, sources map[string][]byte, snap snapshot) (Diagnostic, []CodeAction) {
	rng := func(start, end token.Position) Range {
		return Range{
			Start: toPosition(sources[start.Filename], start.Line, start.Column),
			End:   toPosition(sources[end.Filename], end.Line, end.Column),
		}
	}
	d := Diagnostic{
		Range:    rng(f.Pos, f.End),
		Severity: SeverityWarning,
		Code:     f.Check,
		Source:   "mapguard",
		Message:  f.Message,
	}
	if f.URL != "" {
		d.CodeDescription = &CodeDescription{Href: f.URL}
	}
	for _, r := range f.Related {
		d.RelatedInformation = append(d.RelatedInformation, DiagnosticRelatedInformation{
			Location: Location{URI: s.uriFor(r.Pos.Filename), Range: rng(r.Pos, r.End)},
			Message:  r.Message,
		})
	}
	var actions []CodeAction
	for _, fix := range f.Fixes {
		byFile := make(map[string][]TextEdit)
		for _, e := range fix.Edits {
			byFile[e.Pos.Filename] = append(byFile[e.Pos.Filename], TextEdit{Range: rng(e.Pos, e.End), NewText: e.NewText})
		}
		edit := &WorkspaceEdit{}
		for _, name := range slices.Sorted(maps.Keys(byFile)) {
			if s.caps.Workspace.WorkspaceEdit.DocumentChanges {
				id := OptionalVersionedTextDocumentIdentifier{URI: s.uriFor(name)}
				if v, ok := snap.versions[name]; ok {
					id.Version = &v
				}
				edit.DocumentChanges = append(edit.DocumentChanges, TextDocumentEdit{TextDocument: id, Edits: byFile[name]})
			} else {
				if edit.Changes == nil {
					edit.Changes = make(map[DocumentURI][]TextEdit)
				}
				edit.Changes[s.uriFor(name)] = byFile[name]
			}
		}
		actions = append(actions, CodeAction{
			Title:       fix.Message,
			Kind:        CodeActionQuickFix,
			Diagnostics: []Diagnostic{d},
			IsPreferred: len(f.Fixes) == 1,
			Edit:        edit,
		})
	}
	return d, actions
}

// codeAction returns the quick fixes of the findings in the requested
// range, once the checks of the latest edits are done.
func (s *Server) codeAction(ctx context.Context, p CodeActionParams) (any, error) {
	actions := []CodeAction{}
	if !wantsQuickFix(p.Context.Only) {
		return actions, nil
	}
	name := path(p.TextDocument.URI)
	if err := s.settle(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pub := s.published[name]
	if pub == nil {
		return actions, nil
	}
	if d := s.docs[name]; d != nil && pub.version != nil && *pub.version != d.version {
		return actions, nil // the findings are of another version of the buffer
	}
	for i, d := range pub.diags {
		if overlaps(d.Range, p.Range) {
			actions = append(actions, pub.fixes[i]...)
		}
	}
	return actions, nil
}

// wantsQuickFix reports whether a code action request filtered by only
// accepts quick fixes.
func wantsQuickFix(only []string) bool {
	if len(only) == 0 {
		return true
	}
	for _, kind := range only {
		if kind == "" || kind == CodeActionQuickFix || strings.HasPrefix(CodeActionQuickFix, kind+".") {
			return true
		}
	}
	return false
}

// settle waits until no check is wanted or running, starting a check that
// waits for typing to pause at once.
func (s *Server) settle(ctx context.Context) error {
	s.mu.Lock()
	if s.dirty && time.Now().Before(s.due) {
		s.due = time.Now()
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
	idle := s.idle
	s.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func overlaps(a, b Range) bool {
	return !before(a.End, b.Start) && !before(b.End, a.Start)
}

func before(p, q Position) bool {
	return p.Line < q.Line || p.Line == q.Line && p.Character < q.Character
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

// progress reports a check's progress with $/progress, when the client
// advertised window.workDoneProgress and the check has many packages to
// load: the first check of a file in a large module.
type progress struct {
	s         *Server
	enabled   bool
	threshold int

	mu      sync.Mutex
	token   string
	begun   bool
	last    uint32
	refused bool
}

// progressThreshold is the number of packages to check from which a check
// reports its progress.
const progressThreshold = 50

func (p *progress) report(done, total int) {
	if !p.enabled || total < p.threshold {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.refused {
		return
	}
	if !p.begun {
		p.token = fmt.Sprintf("mapguard-%d", time.Now().UnixNano())
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := p.s.conn.Call(ctx, "window/workDoneProgress/create", WorkDoneProgressCreateParams{Token: p.token}, nil); err != nil {
			p.refused = true
			return
		}
		p.begun = true
		p.s.notify("$/progress", ProgressParams{Token: p.token, Value: WorkDoneProgressBegin{
			Kind: "begin", Title: "mapguard", Message: fmt.Sprintf("checking %d packages", total),
		}})
	}
	pct := uint32(done * 100 / total)
	if pct >= p.last+5 || done == total {
		p.last = pct
		p.s.notify("$/progress", ProgressParams{Token: p.token, Value: WorkDoneProgressReport{
			Kind: "report", Message: fmt.Sprintf("%d/%d packages", done, total), Percentage: pct,
		}})
	}
}

func (p *progress) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.begun {
		p.s.notify("$/progress", ProgressParams{Token: p.token, Value: WorkDoneProgressEnd{Kind: "end"}})
	}
}
