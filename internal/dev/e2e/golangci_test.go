package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// golangciVersion is the golangci-lint release the plugin is built for; it
// must match .golangci-plugin.yml and pin the same golang.org/x/tools as
// go.mod.
const golangciVersion = "v2.15.0"

const golangciModule = "github.com/golangci/golangci-lint/v2"

// TestGolangciLintPlugin builds golangci-lint with the mapguard plugin the
// way users do (go install golangci-lint, then golangci-lint custom with
// .golangci-plugin.yml copied to .custom-gcl.yml), with git kept off the
// network, and runs the result on testdata/e2e/golangci.
func TestGolangciLintPlugin(t *testing.T) {
	if testing.Short() {
		t.Skip("builds golangci-lint twice: minutes on a cold build cache")
	}
	requireTool(t, "git")
	requireTool(t, "go")
	bin := buildCustomGolangciLint(t)
	fixture := filepath.Join(repoRoot(t), "testdata", "e2e", "golangci")
	lint := command{
		dir: fixture,
		env: []string{
			"GOLANGCI_LINT_CACHE=" + t.TempDir(),
			"GOPROXY=off", "GOFLAGS=-mod=mod",
		},
		timeout: 5 * time.Minute,
	}

	t.Run("reports findings with positions", func(t *testing.T) {
		r := lint.run(t, bin, "run", "./...")
		if r.code != 1 {
			t.Errorf("exit %d, want 1 (issues found)\n%s", r.code, r.output())
		}
		for _, want := range []string{
			"store/store.go:16:22: syncmarshal: json.Marshal encodes field Sessions.ByID (sync.Map) as {}: its entries are not serialized (mapguard)",
			// Found through a fact exported by another package.
			"store/store.go:20:27: syncmarshal: json.Encoder.Encode (via Write) encodes *sync.Map as {}: its entries are not serialized (mapguard)",
			// golangci-lint shows a related position as an issue of its own.
			"store/store.go:12:2: syncmarshal(related information): field ByID (sync.Map) is declared here (mapguard)",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("output lacks %q:\n%s", want, r.output())
			}
		}
		// Status() carries a //mapguard:ignore; the clean package has nothing.
		if n := strings.Count(r.stdout, "(mapguard)"); n != 3 {
			t.Errorf("%d mapguard issues, want 3:\n%s", n, r.output())
		}
	})

	t.Run("disabled check stays silent", func(t *testing.T) {
		r := lint.run(t, bin, "run", "-c", "disabled.golangci.yml", "./...")
		if r.code != 0 || strings.Contains(r.output(), "syncmarshal") {
			t.Errorf("exit %d with syncmarshal disabled, want 0 and no finding:\n%s", r.code, r.output())
		}
	})

	t.Run("bad settings are an error", func(t *testing.T) {
		cfg := filepath.Join(t.TempDir(), "typo.golangci.yml")
		writeFiles(t, filepath.Dir(cfg), map[string]string{filepath.Base(cfg): strings.ReplaceAll(
			readFile(t, filepath.Join(fixture, "disabled.golangci.yml")), "disable: [syncmarshal]", "disable: [syncmarshall]")})
		r := lint.run(t, bin, "run", "-c", cfg, "./...")
		if r.code == 0 || r.code == 1 || !strings.Contains(r.output(), `unknown check "syncmarshall"`) {
			t.Errorf("a misspelt check in the settings: exit %d, want a configuration error naming it:\n%s", r.code, r.output())
		}
	})

	t.Run("the command golangci-lint-langserver runs", func(t *testing.T) {
		// golangci-lint-langserver runs its configured command from the
		// workspace root with the directory of the open file appended,
		// and turns each issue whose file is the open one into an LSP
		// diagnostic at (Line-1, Column-1).
		file := filepath.Join(fixture, "store", "store.go")
		r := lint.run(t, bin, "run", "--output.json.path=stdout", "--show-stats=false",
			"--issues-exit-code=1", "--path-mode=abs", filepath.Dir(file)+string(filepath.Separator))
		if r.code != 1 {
			t.Errorf("exit %d, want 1: the langserver reads issues only when the command fails\n%s", r.code, r.output())
		}
		var out struct {
			Issues []struct {
				FromLinter, Text string
				Pos              struct {
					Filename     string
					Line, Column int
				}
			}
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatalf("stdout is not golangci-lint's JSON: %v\n%s", err, r.output())
		}
		found := false
		for _, is := range out.Issues {
			if is.FromLinter != "mapguard" {
				t.Errorf("issue from %s, want only mapguard: %+v", is.FromLinter, is)
			}
			if is.Pos.Filename == file && is.Pos.Line == 16 && is.Pos.Column == 22 &&
				is.Text == "syncmarshal: json.Marshal encodes field Sessions.ByID (sync.Map) as {}: its entries are not serialized" {
				found = true
			}
		}
		if !found {
			t.Errorf("no mapguard issue at %s:16:22 in:\n%s", file, r.stdout)
		}
	})

	t.Run("the command VS Code runs", func(t *testing.T) {
		// With go.lintTool "golangci-lint-v2", the Go extension runs the
		// binary in the package's directory with these flags and reads
		// file:line:col lines from stdout.
		vscode := lint
		vscode.dir = filepath.Join(fixture, "store")
		r := vscode.run(t, bin, "run", "--issues-exit-code=0", "--output.text.print-issued-lines=false",
			"--show-stats=false", "--output.text.path=stdout", "--path-mode=abs")
		want := filepath.Join(fixture, "store", "store.go") + ":16:22: syncmarshal: json.Marshal encodes field Sessions.ByID (sync.Map) as {}: its entries are not serialized (mapguard)\n"
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("exit %d, want 0 and the line %q:\n%s", r.code, want, r.output())
		}
	})

	t.Run("fast-only drops the plugin", func(t *testing.T) {
		// docs/integrations.md warns editor users against --fast-only:
		// this keeps that warning true.
		r := lint.run(t, bin, "run", "--fast-only", "./...")
		if strings.Contains(r.output(), "syncmarshal") {
			t.Errorf("--fast-only ran mapguard; update docs/integrations.md:\n%s", r.output())
		}
	})
}

// buildCustomGolangciLint installs golangci-lint and builds the custom
// binary with `golangci-lint custom`, with a .custom-gcl.yml that is a copy
// of .golangci-plugin.yml in a snapshot of this repository. golangci-lint
// custom clones golangci-lint with git; git is pointed at a local bare
// repository made from the module cache (golangci-lint passes the
// GIT_CONFIG_COUNT/KEY/VALUE variables through), and only file:// is allowed.
func buildCustomGolangciLint(t *testing.T) string {
	t.Helper()
	work := t.TempDir()
	goCmd := command{dir: work, timeout: 20 * time.Minute}

	start := time.Now()
	var mod struct{ Dir string }
	out := goCmd.mustRun(t, "go", "mod", "download", "-json", golangciModule+"@"+golangciVersion)
	if err := json.Unmarshal([]byte(out), &mod); err != nil || mod.Dir == "" {
		t.Fatalf("go mod download: %v\n%s", err, out)
	}
	gobin := filepath.Join(work, "bin")
	// -trimpath, for both builds, keeps the build cache independent of the
	// temporary directories: the second build reuses the first one's
	// packages, and a later run reuses both.
	goCmd.env = []string{"GOBIN=" + gobin, "GOFLAGS=-trimpath"}
	goCmd.mustRun(t, "go", "install", golangciModule+"/cmd/golangci-lint@"+golangciVersion)
	t.Logf("go install golangci-lint %s: %s", golangciVersion, time.Since(start).Round(time.Second))

	src := filepath.Join(work, "golangci-lint-src")
	copyTree(t, mod.Dir, src)
	gitCommitAll(t, src)
	git := command{dir: work, env: gitEnv}
	git.mustRun(t, "git", "-C", src, "tag", golangciVersion)
	bare := filepath.Join(work, "golangci-lint.git")
	git.mustRun(t, "git", "clone", "-q", "--bare", src, bare)

	repo := snapshot(t)
	writeFiles(t, repo, map[string]string{".custom-gcl.yml": readFile(t, filepath.Join(repo, ".golangci-plugin.yml"))})
	tmp := filepath.Join(work, "tmp")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	custom := command{
		dir: repo,
		env: []string{
			"GIT_CONFIG_COUNT=1",
			"GIT_CONFIG_KEY_0=url.file://" + filepath.ToSlash(bare) + ".insteadOf",
			"GIT_CONFIG_VALUE_0=https://github.com/golangci/golangci-lint.git",
			"GIT_ALLOW_PROTOCOL=file",
			"TMPDIR=" + tmp, // golangci-lint custom clones and builds there
			"GOFLAGS=-trimpath",
		},
		timeout: 20 * time.Minute,
	}
	custom.mustRun(t, filepath.Join(gobin, "golangci-lint"), "custom", "-v")
	t.Logf("golangci-lint custom: %s", time.Since(start).Round(time.Second))

	bin := filepath.Join(repo, "bin", "golangci-lint-mapguard")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("golangci-lint custom did not write the binary .golangci-plugin.yml names: %v", err)
	}
	return bin
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
