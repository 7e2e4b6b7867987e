package lsp

import (
	"context"
	"fmt"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"github.com/mapguard/mapguard/internal/run/incremental"
)

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

// snapshot is the state of the open documents a check runs on.
type snapshot struct {
	files    []string
	overlay  map[string][]byte
	versions map[string]int32
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
		fmt.Fprintf(s.cfg.Stderr, "mapguard lsp: checked %d files: %d directories loaded, %d packages checked (%d of them from the facts cache), %d findings in %v\n",
			len(snap.files), rep.Loaded, rep.Checked, rep.FromCache, len(rep.Findings), rep.Elapsed.Round(time.Millisecond))
	}
	return rep, err
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
