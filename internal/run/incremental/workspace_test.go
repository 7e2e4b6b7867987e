package incremental

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/analyzers/syncmarshal"
)

// writeModule writes files (relative path → content) under a new temporary
// directory and returns it.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const (
	gomod    = "module example.com/m\n\ngo 1.26\n"
	wrapper  = "package wrap\n\nimport (\n\t\"encoding/json\"\n\t\"io\"\n)\n\nfunc Write(w io.Writer, v any) error { return json.NewEncoder(w).Encode(v) }\n"
	harmless = "package wrap\n\nimport (\n\t\"encoding/json\"\n\t\"io\"\n)\n\nfunc Write(w io.Writer, v any) error { _ = json.Valid; _, err := io.WriteString(w, \"{}\"); return err }\n"
	store    = `package store

import (
	"encoding/json"
	"io"
	"sync"

	"example.com/m/wrap"
)

type Store struct {
	Items sync.Map
}

func (s *Store) Save() ([]byte, error) {
	return json.Marshal(s)
}

func (s *Store) Dump(w io.Writer) error {
	return wrap.Write(w, &s.Items)
}
`
)

func newWorkspace(t *testing.T) *Workspace {
	t.Helper()
	w, err := New(Config{Analyzers: []*analysis.Analyzer{syncmarshal.Analyzer}, Tests: true, Env: append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod")})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func check(t *testing.T, w *Workspace, files []string, overlay map[string][]byte) *Report {
	t.Helper()
	rep, err := w.Check(context.Background(), files, overlay, nil)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	return rep
}

func messages(rep *Report) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, fmt.Sprintf("%s:%d:%d: %s", filepath.Base(f.Pos.Filename), f.Pos.Line, f.Pos.Column, f.Message))
	}
	return out
}

func TestFindingsAndIncrementalRechecks(t *testing.T) {
	dir := writeModule(t, map[string]string{"go.mod": gomod, "wrap/wrap.go": wrapper, "store/store.go": store})
	w := newWorkspace(t)
	storeFile := filepath.Join(dir, "store", "store.go")

	rep := check(t, w, []string{storeFile}, nil)
	got := messages(rep)
	want := []string{
		"store.go:16:22: json.Marshal encodes field Store.Items (sync.Map) as {}: its entries are not serialized",
		"store.go:20:23: json.Encoder.Encode (via Write) encodes *sync.Map as {}: its entries are not serialized",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("findings:\n%s\nwant:\n%s\nproblems: %v", strings.Join(got, "\n"), strings.Join(want, "\n"), rep.Problems)
	}
	f := rep.Findings[0]
	if f.Check != "syncmarshal" || f.URL != syncmarshal.Analyzer.URL || len(f.Related) == 0 {
		t.Errorf("finding = %+v", f)
	}
	if rep.Loaded != 1 || rep.Checked < 10 {
		t.Errorf("first check: loaded %d, checked %d packages; want 1 load and the dependencies", rep.Loaded, rep.Checked)
	}
	if rep.Sources[storeFile] == nil {
		t.Errorf("no source kept for %s", storeFile)
	}

	// Nothing changed: nothing is loaded or checked again.
	rep = check(t, w, []string{storeFile}, nil)
	if rep.Loaded != 0 || rep.Checked != 0 || len(rep.Findings) != 2 {
		t.Errorf("unchanged re-check: loaded %d, checked %d, %d findings", rep.Loaded, rep.Checked, len(rep.Findings))
	}

	// An unsaved fix of the first bug: only the store package is checked.
	fixed := strings.Replace(store, "json.Marshal(s)", "json.Marshal(len(\"ünïcode\"))", 1)
	rep = check(t, w, []string{storeFile}, map[string][]byte{storeFile: []byte(fixed)})
	if rep.Loaded != 0 || rep.Checked != 1 || len(rep.Findings) != 1 {
		t.Errorf("after an edit: loaded %d, checked %d, findings %v; want 0, 1 and the second finding", rep.Loaded, rep.Checked, messages(rep))
	}

	// A change in the wrapper package (on disk) reaches its importer through
	// facts: the second finding goes too.
	if err := os.WriteFile(filepath.Join(dir, "wrap", "wrap.go"), []byte(harmless), 0o644); err != nil {
		t.Fatal(err)
	}
	rep = check(t, w, []string{storeFile}, map[string][]byte{storeFile: []byte(fixed)})
	if rep.Checked != 2 || len(rep.Findings) != 0 {
		t.Errorf("after changing the wrapper: checked %d, findings %v; want 2 and none", rep.Checked, messages(rep))
	}

	// A new import needs the package graph again.
	withImport := strings.Replace(store, "\"io\"\n", "\"io\"\n\t\"strings\"\n", 1) + "\nvar _ = strings.ToUpper\n"
	rep = check(t, w, []string{storeFile}, map[string][]byte{storeFile: []byte(withImport)})
	if rep.Loaded != 1 || len(rep.Findings) != 1 || len(rep.Problems) != 0 {
		t.Errorf("after adding an import: loaded %d, findings %v, problems %v; want a load and the first finding", rep.Loaded, messages(rep), rep.Problems)
	}
}

func TestTypeErrorsAreProblemsNotFindings(t *testing.T) {
	dir := writeModule(t, map[string]string{"go.mod": gomod, "wrap/wrap.go": wrapper, "store/store.go": store})
	w := newWorkspace(t)
	storeFile := filepath.Join(dir, "store", "store.go")
	broken := strings.Replace(store, "return json.Marshal(s)", "return json.Marshal(undefinedThing)", 1)
	rep := check(t, w, []string{storeFile}, map[string][]byte{storeFile: []byte(broken)})
	if len(rep.Findings) != 0 || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], "does not type-check") || !strings.Contains(rep.Problems[0], "undefined: undefinedThing") {
		t.Errorf("findings %v, problems %q", messages(rep), rep.Problems)
	}
	// A broken dependency is named too.
	wrapFile := filepath.Join(dir, "wrap", "wrap.go")
	rep = check(t, w, []string{storeFile}, map[string][]byte{wrapFile: []byte(wrapper + "\nvar x int = \"\"\n")})
	if len(rep.Findings) != 0 || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], "its dependency example.com/m/wrap does not type-check") {
		t.Errorf("findings %v, problems %q", messages(rep), rep.Problems)
	}
	// Fixed again: the findings are back.
	rep = check(t, w, []string{storeFile}, nil)
	if len(rep.Findings) != 2 || len(rep.Problems) != 0 {
		t.Errorf("findings %v, problems %q", messages(rep), rep.Problems)
	}
}

func TestFilesOutsideAnyPackage(t *testing.T) {
	dir := writeModule(t, map[string]string{
		"go.mod":         gomod,
		"p/ignored.go":   "//go:build never\n\npackage p\n",
		"p/p.go":         "package p\n",
		"nomod/x/x.go":   "package x\n",
		"nomod/x/README": "",
	})
	// Outside any module: a directory without go.mod above it.
	outside := writeModule(t, map[string]string{"x/x.go": "package x\n"})
	w := newWorkspace(t)
	ignored := filepath.Join(dir, "p", "ignored.go")
	stray := filepath.Join(outside, "x", "x.go")
	rep := check(t, w, []string{ignored, stray}, nil)
	if why := rep.Unowned[ignored]; !strings.Contains(why, "build constraints") {
		t.Errorf("ignored file: %q", why)
	}
	if why := rep.Unowned[stray]; why == "" {
		t.Errorf("file outside a module: no reason given; problems %q", rep.Problems)
	}
	if len(rep.Findings) != 0 {
		t.Errorf("findings %v", messages(rep))
	}
}

func TestCancelledCheckKeepsWhatWasDone(t *testing.T) {
	dir := writeModule(t, map[string]string{"go.mod": gomod, "wrap/wrap.go": wrapper, "store/store.go": store})
	w := newWorkspace(t)
	storeFile := filepath.Join(dir, "store", "store.go")
	ctx, cancel := context.WithCancel(context.Background())
	var progressed atomic.Int32
	_, err := w.Check(ctx, []string{storeFile}, nil, func(done, total int) {
		progressed.Store(int32(done))
		if done == 5 {
			cancel()
		}
	})
	if err == nil {
		t.Fatal("a cancelled check returned no error")
	}
	rep := check(t, w, []string{storeFile}, nil)
	if len(rep.Findings) != 2 {
		t.Errorf("after a cancelled check: findings %v", messages(rep))
	}
	if rep.Checked == 0 || progressed.Load() < 5 {
		t.Errorf("checked %d after %d", rep.Checked, progressed.Load())
	}
}

func TestGoModChangesReload(t *testing.T) {
	// Range over an int needs go1.22: under go 1.21 the package does not
	// type-check.
	src := strings.Replace(store, "return json.Marshal(s)", "for range 3 {\n\t}\n\treturn json.Marshal(s)", 1)
	dir := writeModule(t, map[string]string{"go.mod": "module example.com/m\n\ngo 1.21\n", "wrap/wrap.go": wrapper, "store/store.go": src})
	w := newWorkspace(t)
	storeFile := filepath.Join(dir, "store", "store.go")
	rep := check(t, w, []string{storeFile}, nil)
	if len(rep.Findings) != 0 || len(rep.Problems) == 0 || !strings.Contains(rep.Problems[0], "go1.22") {
		t.Fatalf("under go 1.21: findings %v, problems %q", messages(rep), rep.Problems)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	rep = check(t, w, []string{storeFile}, nil)
	if rep.Loaded != 1 || len(rep.Findings) != 2 || len(rep.Problems) != 0 {
		t.Errorf("after go.mod moved to go 1.26: loaded %d, findings %v, problems %q", rep.Loaded, messages(rep), rep.Problems)
	}
}

func TestTestFilesAreCheckedInTheirVariant(t *testing.T) {
	const internalTest = "package store\n\nimport (\n\t\"encoding/json\"\n\t\"sync\"\n\t\"testing\"\n)\n\nfunc TestSave(t *testing.T) {\n\tvar m sync.Map\n\t_, _ = json.Marshal(&m)\n}\n"
	const externalTest = "package store_test\n\nimport (\n\t\"encoding/json\"\n\t\"testing\"\n\n\t\"example.com/m/store\"\n)\n\nfunc TestDump(t *testing.T) {\n\tvar s store.Store\n\t_, _ = json.Marshal(&s.Items)\n}\n"
	dir := writeModule(t, map[string]string{
		"go.mod": gomod, "wrap/wrap.go": wrapper, "store/store.go": store,
		"store/store_test.go": internalTest, "store/ext_test.go": externalTest,
	})
	internal := filepath.Join(dir, "store", "store_test.go")
	external := filepath.Join(dir, "store", "ext_test.go")
	w := newWorkspace(t)
	rep := check(t, w, []string{internal, external}, nil)
	var inTests []string
	for _, f := range rep.Findings {
		if strings.HasSuffix(f.Pos.Filename, "_test.go") {
			inTests = append(inTests, fmt.Sprintf("%s:%d", filepath.Base(f.Pos.Filename), f.Pos.Line))
		}
	}
	if strings.Join(inTests, " ") != "ext_test.go:12 store_test.go:11" || len(rep.Findings) != 4 {
		t.Errorf("findings %v (in tests: %v); want both test files' and, through the test variant, store.go's two", messages(rep), inTests)
	}

	noTests, err := New(Config{Analyzers: w.cfg.Analyzers, Tests: false, Env: w.cfg.Env})
	if err != nil {
		t.Fatal(err)
	}
	rep = check(t, noTests, []string{internal}, nil)
	if len(rep.Findings) != 0 || !strings.Contains(rep.Unowned[internal], "test files are not checked") {
		t.Errorf("without tests: findings %v, reason %q", messages(rep), rep.Unowned[internal])
	}
}

func TestTypingInThePackageClause(t *testing.T) {
	dir := writeModule(t, map[string]string{"go.mod": gomod, "wrap/wrap.go": wrapper, "store/store.go": store})
	w := newWorkspace(t)
	storeFile := filepath.Join(dir, "store", "store.go")
	check(t, w, []string{storeFile}, nil)
	for _, text := range []string{strings.Replace(store, "package store", "packag", 1), strings.Replace(store, "package store", "package", 1), ""} {
		rep := check(t, w, []string{storeFile}, map[string][]byte{storeFile: []byte(text)})
		if len(rep.Findings) != 0 || len(rep.Problems) == 0 {
			t.Errorf("%.20q: findings %v, problems %q", text, messages(rep), rep.Problems)
		}
	}
	if rep := check(t, w, []string{storeFile}, nil); len(rep.Findings) != 2 || len(rep.Problems) != 0 {
		t.Errorf("back to the file on disk: findings %v, problems %q", messages(rep), rep.Problems)
	}
}

func TestNewFileInADependency(t *testing.T) {
	// store calls wrap.Write2, which a file added to wrap later declares.
	src := strings.Replace(store, "wrap.Write(w, &s.Items)", "wrap.Write2(w, &s.Items)", 1)
	dir := writeModule(t, map[string]string{"go.mod": gomod, "wrap/wrap.go": wrapper, "store/store.go": src})
	w := newWorkspace(t)
	storeFile := filepath.Join(dir, "store", "store.go")
	rep := check(t, w, []string{storeFile}, nil)
	if len(rep.Problems) == 0 || !strings.Contains(rep.Problems[0], "Write2") {
		t.Fatalf("problems %q, want undefined wrap.Write2", rep.Problems)
	}
	write2 := "package wrap\n\nimport \"io\"\n\nfunc Write2(w io.Writer, v any) error { return Write(w, v) }\n"
	if err := os.WriteFile(filepath.Join(dir, "wrap", "write2.go"), []byte(write2), 0o644); err != nil {
		t.Fatal(err)
	}
	rep = check(t, w, []string{storeFile}, nil)
	if len(rep.Problems) != 0 || len(rep.Findings) != 2 {
		t.Errorf("after adding wrap/write2.go: problems %q, findings %v", rep.Problems, messages(rep))
	}
}
