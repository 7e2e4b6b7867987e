package main_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/format"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/tools/txtar"

	"github.com/mapguard/mapguard/analyzers"
	"github.com/mapguard/mapguard/internal/run/lsp/lsptest"
)

// TestLSPQuickFixesOfRegisteredChecks applies, through the binary's
// textDocument/codeAction, the suggested fixes of every registered check
// that has them, and compares the result with the check's own .golden
// files (the expectations of its analysistest.RunWithSuggestedFixes test).
// A check's testdata is a GOPATH tree (testdata/src/<pkg>), so the server
// runs in GOPATH mode on a copy of it.
func TestLSPQuickFixesOfRegisteredChecks(t *testing.T) {
	goldens := goldenFiles(t)
	if len(goldens) == 0 {
		t.Fatal("no .golden file under analyzers/*/testdata: the checks' fixes are gone, or this test no longer finds them")
	}
	for _, golden := range goldens {
		t.Run(golden.check+"/"+filepath.Base(golden.source), func(t *testing.T) {
			gopath := t.TempDir()
			if err := os.CopyFS(gopath, os.DirFS(golden.testdata)); err != nil {
				t.Fatal(err)
			}
			rel, err := filepath.Rel(golden.testdata, golden.source)
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(gopath, rel)
			text, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(golden.source + ".golden")
			if err != nil {
				t.Fatal(err)
			}
			s := startLSP(t, filepath.Dir(file), []string{"GO111MODULE=off", "GOPATH=" + gopath, "GOFLAGS="}, "-"+golden.check)
			if r := s.Initialize(lsptest.FileURI(filepath.Dir(file)), nil, true); r.Error != nil {
				t.Fatal(r.Error)
			}
			uri := lsptest.FileURI(file)
			s.Open(uri, 1, string(text))
			pub := s.Diagnostics(uri, 1)
			r := s.Call("textDocument/codeAction", map[string]any{
				"textDocument": map[string]any{"uri": uri},
				"range":        lsptest.Range{End: lsptest.Position{Line: strings.Count(string(text), "\n") + 1}},
				"context":      map[string]any{"diagnostics": pub.Diagnostics},
			})
			var actions []struct {
				Title string
				Edit  struct{ Changes map[string][]fixEdit }
			}
			if r.Error != nil || json.Unmarshal(r.Result, &actions) != nil {
				t.Fatalf("codeAction: %s %+v", r.Result, r.Error)
			}
			if len(actions) == 0 {
				// A golden file equal to its source pins that no fix is offered.
				if gofmt(want) != gofmt(text) {
					t.Fatalf("%s has a golden file with changes but the server offers no quick fix (diagnostics: %+v)", rel, pub.Diagnostics)
				}
				return
			}
			apply := func(title string) string {
				var edits []fixEdit
				for _, a := range actions {
					if title == "" || a.Title == title {
						edits = append(edits, a.Edit.Changes[uri]...)
					}
				}
				out, err := applyEdits(text, edits)
				if err != nil {
					t.Errorf("fixes %q: %v", title, err)
				}
				return gofmt(out)
			}
			if ar := txtar.Parse(want); len(ar.Files) > 0 {
				for _, section := range ar.Files {
					if got := apply(section.Name); got != gofmt(section.Data) {
						t.Errorf("after the %q fixes:\n%s\nwant:\n%s", section.Name, got, section.Data)
					}
				}
				return
			}
			if got := apply(""); got != gofmt(want) {
				t.Errorf("after every fix:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

type goldenFile struct {
	check    string
	testdata string // the check's testdata directory (a GOPATH)
	source   string // the file the golden file is the fixed version of
}

// goldenFiles returns the golden files of registered checks.
func goldenFiles(t *testing.T) []goldenFile {
	t.Helper()
	var out []goldenFile
	for _, check := range analyzers.Names() {
		testdata, err := filepath.Abs(filepath.Join("..", "..", "analyzers", check, "testdata"))
		if err != nil {
			t.Fatal(err)
		}
		err = filepath.WalkDir(testdata, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if source, ok := strings.CutSuffix(path, ".golden"); ok && !d.IsDir() {
				out = append(out, goldenFile{check: check, testdata: testdata, source: source})
			}
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	return out
}

type fixEdit struct {
	Range   lsptest.Range
	NewText string
}

// applyEdits applies LSP edits to text, merging identical ones as
// analysistest does.
func applyEdits(text []byte, edits []fixEdit) ([]byte, error) {
	type span struct {
		start, end int
		text       string
	}
	var spans []span
	seen := make(map[span]bool)
	for _, e := range edits {
		s := span{byteOffset(text, e.Range.Start), byteOffset(text, e.Range.End), e.NewText}
		if !seen[s] {
			seen[s] = true
			spans = append(spans, s)
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var out bytes.Buffer
	last := 0
	for _, s := range spans {
		if s.start < last {
			return nil, errConflict
		}
		out.Write(text[last:s.start])
		out.WriteString(s.text)
		last = s.end
	}
	out.Write(text[last:])
	return out.Bytes(), nil
}

var errConflict = errors.New("overlapping edits")

// byteOffset converts an LSP position (UTF-16 units) to a byte offset, by
// other means than the server's.
func byteOffset(text []byte, p lsptest.Position) int {
	lines := bytes.SplitAfter(text, []byte("\n"))
	off := 0
	for i := 0; i < p.Line && i < len(lines); i++ {
		off += len(lines[i])
	}
	if p.Line >= len(lines) {
		return len(text)
	}
	line := string(lines[p.Line])
	units := 0
	for i, r := range line {
		if units >= p.Character {
			return off + i
		}
		units += len(utf16.Encode([]rune{r}))
	}
	return off + len(line)
}

func gofmt(src []byte) string {
	if out, err := format.Source(src); err == nil {
		return string(out)
	}
	return string(src)
}
