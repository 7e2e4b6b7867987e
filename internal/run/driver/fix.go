package driver

import (
	"fmt"
	"go/format"
	"io"
	"os"
	"sort"

	"github.com/aymanbagabas/go-udiff"
)

// applyFixes applies the first suggested fix of every finding that has one,
// skipping a fix that overlaps one already taken, and writes the files (or,
// with diff, prints a unified diff). It returns the findings left unfixed.
func applyFixes(findings []Finding, diff bool, stdout, stderr io.Writer) ([]Finding, error) {
	files := make(map[string][]udiff.Edit)
	var unfixed []Finding
	applied := 0
	for _, f := range findings {
		if len(f.Fixes) == 0 {
			unfixed = append(unfixed, f)
			continue
		}
		byFile := make(map[string][]udiff.Edit)
		for _, e := range f.Fixes[0].Edits {
			// Edits have real file offsets, not positions moved by //line.
			byFile[e.File] = append(byFile[e.File], udiff.Edit{Start: e.Start, End: e.End, New: e.New})
		}
		if conflicts(files, byFile) {
			fmt.Fprintf(stderr, "mapguard: %s: fix not applied: it overlaps another fix; run -fix again\n", f.Pos)
			unfixed = append(unfixed, f)
			continue
		}
		for name, edits := range byFile {
			files[name] = append(files[name], edits...)
		}
		applied++
	}

	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		old, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("apply fixes: %w", err)
		}
		edits := dedupe(files[name])
		out, err := udiff.Apply(string(old), edits)
		if err != nil {
			return nil, fmt.Errorf("apply fixes to %s: %w", name, err)
		}
		fixed := []byte(out)
		if formatted, err := format.Source(fixed); err == nil {
			fixed = formatted
		}
		if diff {
			fmt.Fprint(stdout, udiff.Unified(relPath(name), relPath(name), string(old), string(fixed)))
			continue
		}
		if err := os.WriteFile(name, fixed, 0o644); err != nil {
			return nil, fmt.Errorf("apply fixes: %w", err)
		}
	}
	if !diff && applied > 0 {
		fmt.Fprintf(stderr, "mapguard: applied %d fixes to %d files\n", applied, len(files))
	}
	if diff {
		// The diff is the report: the fixed findings still count.
		return findings, nil
	}
	return unfixed, nil
}

// conflicts reports whether any new edit overlaps an edit already accepted
// for the same file (identical edits, as from a package and its test
// variant, do not conflict).
func conflicts(files, byFile map[string][]udiff.Edit) bool {
	for name, edits := range byFile {
		for _, e := range edits {
			for _, a := range files[name] {
				if e == a {
					continue
				}
				if e.Start < a.End && a.Start < e.End || e.Start == a.Start && e.End == a.End {
					return true
				}
				if e.Start == e.End && e.Start == a.Start && a.Start == a.End {
					return true // two insertions at one offset: order unknown
				}
			}
		}
	}
	return false
}

func dedupe(edits []udiff.Edit) []udiff.Edit {
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].Start < edits[j].Start })
	var out []udiff.Edit
	for _, e := range edits {
		if n := len(out); n > 0 && out[n-1] == e {
			continue
		}
		out = append(out, e)
	}
	return out
}
