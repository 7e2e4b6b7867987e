package main_test

import (
	"bytes"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/mapguard/mapguard/internal/run/lsp/lsptest"
)

// server is "mapguard lsp" running as a process, with an lsptest client
// on its stdin and stdout.
type server struct {
	*lsptest.Client
	t      *testing.T
	stdin  interface{ Close() error }
	stderr *lockedBuffer
	done   chan struct{} // closed when the process has exited
	exit   int
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

// startLSP runs "mapguard lsp args..." in dir with env added.
func startLSP(t *testing.T, dir string, env []string, args ...string) *server {
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
	s := &server{t: t, stdin: stdin, stderr: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s.Client = lsptest.New(t, stdout, stdin, s.done)
	go func() {
		err := cmd.Wait()
		if exit, ok := err.(*exec.ExitError); ok {
			s.exit = exit.ExitCode()
		} else if err != nil {
			s.exit = -1
		}
		close(s.done)
	}()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			_ = cmd.Process.Kill()
			<-s.done
		}
		if t.Failed() {
			t.Logf("server stderr:\n%s", s.stderr.String())
		}
	})
	return s
}

// exited waits for the process to end and returns its exit code.
func (s *server) exited() int {
	s.t.Helper()
	select {
	case <-s.done:
		return s.exit
	case <-time.After(lsptest.Timeout):
		s.t.Fatalf("the server did not exit within %v", lsptest.Timeout)
		return -1
	}
}
