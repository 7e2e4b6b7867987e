package docgen_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mapguard/mapguard/analyzers"
	"github.com/mapguard/mapguard/internal/dev/docgen"
)

var update = flag.Bool("update", false, "rewrite the generated docs")

const root = "../../.."

func TestGeneratedDocsAreCurrent(t *testing.T) {
	for name, want := range docgen.Files() {
		file := filepath.Join(root, name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(file)
		if err != nil {
			t.Errorf("%s is missing: run go generate ./...", name)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./...", name)
		}
	}
}

func TestNoStaleCheckPages(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join(root, "docs", "checks", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		name := strings.TrimSuffix(filepath.Base(p), ".md")
		if _, ok := analyzers.Lookup(name); !ok {
			t.Errorf("docs/checks/%s.md documents no registered check: delete it", name)
		}
	}
}

func TestREADMEListsEveryCheck(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range analyzers.Names() {
		link := "(docs/checks/" + name + ".md)"
		if !bytes.Contains(readme, []byte(link)) {
			t.Errorf("README.md does not link %s from its table of checks", link)
		}
	}
}
