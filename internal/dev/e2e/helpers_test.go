package e2e

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// requireTool returns the path of the named program. When it is missing,
// the test is skipped, or fails when MAPGUARD_CI is set.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		skipOrFail(t, "%s is not installed: %v", name, err)
	}
	return path
}

// skipOrFail skips the test, or fails it under CI, where every integration
// must be tested for real.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("MAPGUARD_CI") != "" {
		t.Fatalf("MAPGUARD_CI is set, so this test may not skip: "+format, args...)
	}
	t.Skipf(format, args...)
}

// repoRoot returns the root of the mapguard module.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod at the repository root: %v", err)
	}
	return root
}

type result struct {
	code           int
	stdout, stderr string
}

func (r result) output() string { return r.stdout + r.stderr }

// command describes one run of an external program.
type command struct {
	dir     string
	env     []string // KEY=VALUE settings over the test's environment
	timeout time.Duration
}

// run runs name with args and returns its exit code and output; failing to
// start it, or a timeout, fails the test.
func (c command) run(t *testing.T, name string, args ...string) result {
	t.Helper()
	timeout := c.timeout
	if timeout == 0 {
		timeout = 5 * time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = c.dir
	cmd.Env = environ(c.env...)
	cmd.WaitDelay = 10 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("%s %s: no result after %s\n%s", name, strings.Join(args, " "), timeout, r.output())
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return r
}

// mustRun is run for steps that must succeed.
func (c command) mustRun(t *testing.T, name string, args ...string) string {
	t.Helper()
	r := c.run(t, name, args...)
	if r.code != 0 {
		t.Fatalf("%s %s (in %s): exit %d\n%s", name, strings.Join(args, " "), c.dir, r.code, r.output())
	}
	return r.stdout
}

// environ returns the test's environment with the given settings applied,
// and without the GIT_ variables a git hook may have set (GIT_DIR,
// GIT_INDEX_FILE), which would point git at the wrong repository.
func environ(settings ...string) []string {
	set := make(map[string]bool)
	for _, kv := range settings {
		k, _, _ := strings.Cut(kv, "=")
		set[k] = true
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if set[k] || strings.HasPrefix(k, "GIT_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, settings...)
}

// gitEnv makes commits reproducible and independent of the user's git
// configuration.
var gitEnv = []string{
	"GIT_AUTHOR_NAME=mapguard test", "GIT_AUTHOR_EMAIL=test@mapguard.invalid",
	"GIT_COMMITTER_NAME=mapguard test", "GIT_COMMITTER_EMAIL=test@mapguard.invalid",
	"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
}

// gitCommitAll makes dir a git repository whose one commit holds its files.
func gitCommitAll(t *testing.T, dir string) {
	t.Helper()
	git := command{dir: dir, env: gitEnv}
	git.mustRun(t, "git", "init", "-q", "-b", "main")
	git.mustRun(t, "git", "add", "-A")
	git.mustRun(t, "git", "commit", "-q", "--no-verify", "-m", "snapshot")
}

// snapshot copies the files of the mapguard repository as they are in the
// working tree (tracked and new files, without those .gitignore excludes)
// to a new directory, so that tests build exactly the code under test and
// write nothing into the repository.
func snapshot(t *testing.T) string {
	t.Helper()
	root := repoRoot(t)
	list := command{dir: root}.mustRun(t, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	dst := filepath.Join(t.TempDir(), "mapguard")
	for _, rel := range strings.Split(strings.TrimSuffix(list, "\x00"), "\x00") {
		if rel == "" {
			continue
		}
		if err := copyFile(filepath.Join(root, rel), filepath.Join(dst, rel)); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue // deleted in the working tree
			}
			t.Fatal(err)
		}
	}
	return dst
}

// copyTree copies the regular files under src to dst, writable.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		return copyFile(path, filepath.Join(dst, rel))
	})
	if err != nil {
		t.Fatalf("copy %s: %v", src, err)
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, info.Mode().Perm()|0o200)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

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
