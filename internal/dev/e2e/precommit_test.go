package e2e

import (
	"strings"
	"testing"
	"time"
)

// The consumer repositories the hooks run on: one with a bug, one without.
var (
	buggyModule = map[string]string{
		"go.mod": "module example.com/consumer\n\ngo 1.26\n",
		"cache/cache.go": `package cache

import (
	"encoding/json"
	"sync"
)

// Cache keeps sessions by ID.
type Cache struct {
	Sessions sync.Map
}

// Snapshot is meant to persist the cache.
func (c *Cache) Snapshot() ([]byte, error) {
	return json.Marshal(c)
}
`,
	}
	cleanModule = map[string]string{
		"go.mod": "module example.com/consumer\n\ngo 1.26\n",
		"cache/cache.go": `package cache

import (
	"encoding/json"
	"sync"
)

// Cache keeps sessions by ID.
type Cache struct {
	mu       sync.Mutex
	Sessions map[string]string
}

// Snapshot persists the cache.
func (c *Cache) Snapshot() ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return json.Marshal(c.Sessions)
}
`,
	}
)

const (
	finding    = "json.Marshal encodes field Cache.Sessions (sync.Map) as {}: its entries are not serialized"
	findingPos = "cache/cache.go:15:22: "
)

// TestPreCommitHooks runs the hooks of .pre-commit-hooks.yaml with the real
// pre-commit, offline: pre-commit builds mapguard from a snapshot of this
// repository with go install (GOPROXY=off, the module cache shared through
// GOMODCACHE, since pre-commit points GOPATH at its own directory).
func TestPreCommitHooks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds mapguard in five pre-commit environments")
	}
	precommit := requireTool(t, "pre-commit")
	requireTool(t, "git")
	requireTool(t, "go")
	hooks := snapshot(t)
	gitCommitAll(t, hooks)
	modcache := strings.TrimSpace(command{}.mustRun(t, "go", "env", "GOMODCACHE"))
	env := append([]string{
		"GOMODCACHE=" + modcache, "GOPROXY=off", "GOFLAGS=-mod=mod",
		"PRE_COMMIT_HOME=" + t.TempDir(), "TMPDIR=" + t.TempDir(),
		"PRE_COMMIT_COLOR=never",
	}, gitEnv...)

	consumer := func(t *testing.T, files map[string]string) command {
		dir := t.TempDir()
		writeFiles(t, dir, files)
		gitCommitAll(t, dir)
		return command{dir: dir, env: env, timeout: 10 * time.Minute}
	}

	for _, hook := range []string{"mapguard", "mapguard-vet"} {
		t.Run(hook+" fails on a bug", func(t *testing.T) {
			r := consumer(t, buggyModule).run(t, precommit, "try-repo", hooks, hook, "--all-files")
			if r.code != 1 {
				t.Errorf("exit %d, want 1 (a hook failed)\n%s", r.code, r.output())
			}
			if !strings.Contains(r.output(), findingPos+finding) || !strings.Contains(r.output(), "Failed") {
				t.Errorf("output lacks the failure and %q:\n%s", findingPos+finding, r.output())
			}
		})
		t.Run(hook+" passes on clean code", func(t *testing.T) {
			r := consumer(t, cleanModule).run(t, precommit, "try-repo", hooks, hook, "--all-files")
			if r.code != 0 || !strings.Contains(r.output(), "Passed") {
				t.Errorf("exit %d, want 0 and Passed\n%s", r.code, r.output())
			}
		})
	}

	t.Run("installed hook stops the commit", func(t *testing.T) {
		// A consumer as docs/integrations.md shows: a .pre-commit-config.yaml
		// naming the hook repository and revision, and pre-commit install.
		rev := strings.TrimSpace(command{dir: hooks, env: gitEnv}.mustRun(t, "git", "rev-parse", "HEAD"))
		repo := consumer(t, map[string]string{
			".pre-commit-config.yaml": "repos:\n  - repo: " + hooks + "\n    rev: " + rev + "\n    hooks:\n      - id: mapguard\n",
			"go.mod":                  cleanModule["go.mod"],
		})
		repo.mustRun(t, precommit, "install")
		writeFiles(t, repo.dir, map[string]string{"cache/cache.go": buggyModule["cache/cache.go"]})
		repo.mustRun(t, "git", "add", "-A")
		r := repo.run(t, "git", "commit", "-m", "add the bug")
		if r.code == 0 || !strings.Contains(r.output(), findingPos+finding) {
			t.Errorf("git commit: exit %d, want a failure showing %q\n%s", r.code, findingPos+finding, r.output())
		}
		writeFiles(t, repo.dir, map[string]string{"cache/cache.go": cleanModule["cache/cache.go"]})
		repo.mustRun(t, "git", "add", "-A")
		if r := repo.run(t, "git", "commit", "-m", "fix the bug"); r.code != 0 {
			t.Errorf("git commit of the fix: exit %d\n%s", r.code, r.output())
		}
		if log := repo.mustRun(t, "git", "log", "--format=%s"); strings.Contains(log, "add the bug") {
			t.Errorf("the buggy commit was made:\n%s", log)
		}
	})
}
