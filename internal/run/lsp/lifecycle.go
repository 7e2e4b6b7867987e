package lsp

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/sourcegraph/jsonrpc2"

	"github.com/mapguard/mapguard/internal/run/driver"
	"github.com/mapguard/mapguard/internal/run/incremental"
)

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
	ws, err := incremental.New(incremental.Config{Analyzers: set.analyzers, Tests: set.tests, Env: s.cfg.Env, FactCache: driver.FactCacheDir()})
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
