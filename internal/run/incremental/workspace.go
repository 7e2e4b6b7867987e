// Package incremental keeps Go packages loaded, type-checked and analyzed
// between runs of mapguard's checks, so that an editor's change re-checks
// only the package that changed and the packages that import it.
//
// The checks exchange facts across packages: a check that exports facts
// must have run on every dependency of a package before it runs on the
// package itself. The standalone driver does all of that from scratch on
// each run. Here the go command is asked only for the package graph (file
// lists and imports); each package is then parsed and type-checked against
// the kept types of its dependencies and analyzed once. Its types, facts and
// findings stay until one of its files or one of its dependencies changes;
// its syntax trees and type information are dropped after analysis, since
// nothing downstream needs them.
package incremental

import (
	"context"
	"fmt"
	"go/token"
	"go/types"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// Config is what a Workspace runs and how it asks the go command.
type Config struct {
	// Analyzers are the enabled checks; their findings are reported.
	Analyzers []*analysis.Analyzer
	// Tests includes test files and the test variants of packages.
	Tests bool
	// Env is the go command's environment (nil: this process's).
	Env []string
	// FactCache is a directory where the facts of the standard library's
	// and the module cache's packages are kept between sessions (see
	// factcache.go); "" keeps none.
	FactCache string
}

// A Workspace holds every package loaded so far and what was learnt about
// it. Its methods may be called from several goroutines; Check calls run
// one at a time.
type Workspace struct {
	cfg       Config
	enabled   map[*analysis.Analyzer]bool
	full      []*analysis.Analyzer // enabled checks and what they require, prerequisites first
	factsOnly []*analysis.Analyzer // what runs on dependencies: checks with facts and their prerequisites

	mu     sync.Mutex // held by Check
	fset   *token.FileSet
	pkgs   map[string]*pkg   // by go/packages ID
	byFile map[string][]*pkg // source file → packages holding it
	// dirs are the directories whose packages were loaded, with their
	// modification time then (a new or removed file changes it).
	dirs map[string]time.Time
	// depDirs are the directories of other packages that may change (not
	// the standard library's or the module cache's), with their
	// modification time when loaded.
	depDirs map[string]time.Time
	// dirRoots are the packages each directory's load returned.
	dirRoots map[string][]string
	// modFiles are the go.mod and go.sum files of the loads, as they were
	// then: a change reloads the module's directories.
	modFiles map[string]fileState

	readOnly []string // GOROOT and GOMODCACHE: their files do not change
	facts    *factCache

	typesMu sync.Mutex
	byTypes map[*types.Package]*pkg // checked packages, by their types
}

// New returns an empty workspace for cfg.
func New(cfg Config) (*Workspace, error) {
	if len(cfg.Analyzers) == 0 {
		return nil, fmt.Errorf("no checks enabled")
	}
	if err := analysis.Validate(cfg.Analyzers); err != nil {
		return nil, fmt.Errorf("invalid checks: %w", err)
	}
	w := &Workspace{
		cfg:      cfg,
		enabled:  make(map[*analysis.Analyzer]bool),
		fset:     token.NewFileSet(),
		pkgs:     make(map[string]*pkg),
		byFile:   make(map[string][]*pkg),
		dirs:     make(map[string]time.Time),
		dirRoots: make(map[string][]string),
		depDirs:  make(map[string]time.Time),
		modFiles: make(map[string]fileState),
		byTypes:  make(map[*types.Package]*pkg),
		readOnly: readOnlyRoots(cfg.Env),
	}
	for _, a := range cfg.Analyzers {
		w.enabled[a] = true
	}
	w.full = closure(cfg.Analyzers)
	var withFacts []*analysis.Analyzer
	for _, a := range w.full {
		if len(a.FactTypes) > 0 {
			withFacts = append(withFacts, a)
		}
	}
	w.factsOnly = closure(withFacts)
	w.facts = openFactCache(cfg.FactCache, w.factsOnly)
	return w, nil
}

// closure returns as and everything they require, each analyzer after its
// prerequisites.
func closure(as []*analysis.Analyzer) []*analysis.Analyzer {
	var order []*analysis.Analyzer
	seen := make(map[*analysis.Analyzer]bool)
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, req := range a.Requires {
			visit(req)
		}
		order = append(order, a)
	}
	for _, a := range as {
		visit(a)
	}
	return order
}

// A Finding is one diagnostic of an enabled check on a checked package.
// Positions are in source files (line directives are followed only out of
// files the go command generated, such as cgo's).
type Finding struct {
	Check   string
	URL     string // the check's documentation, or the diagnostic's own
	Pos     token.Position
	End     token.Position
	Message string
	Related []Related
	Fixes   []Fix
}

// Related is one related position of a finding.
type Related struct {
	Pos, End token.Position
	Message  string
}

// A Fix is one suggested fix: edits to apply together.
type Fix struct {
	Message string
	Edits   []Edit
}

// An Edit replaces the text between Pos and End (byte offsets in the file
// as it was checked) with NewText.
type Edit struct {
	Pos, End token.Position
	NewText  string
}

// A Report is what a Check found.
type Report struct {
	// Findings of the packages holding the requested files, without
	// duplicates (a file may be in a package and its test variant), in
	// file and position order.
	Findings []Finding
	// Problems say why some findings may be missing: packages that did not
	// load or type-check, checks that failed. One line each.
	Problems []string
	// Unowned maps requested files that no package holds to the reason.
	Unowned map[string]string
	// Sources holds the content, as checked, of every file that a finding
	// position refers to, for converting byte columns.
	Sources map[string][]byte
	// Loaded counts the directories whose package graph this Check
	// (re)loaded from the go command, Checked the packages it type-checked
	// and analyzed (or, FromCache of them, took the facts of from the facts
	// cache); Elapsed is its duration.
	Loaded, Checked, FromCache int
	Elapsed                    time.Duration
}

// Progress is told how many of the packages a Check must (re)check are done.
type Progress func(done, total int)

// Check brings the packages holding files up to date with overlay (the
// content of unsaved editor buffers, by absolute path; other files are read
// from disk) and returns their findings. It loads the package graph from the
// go command only for files it has not seen yet or whose imports, package
// clause or build constraints changed. Cancelling ctx stops it between
// packages; what was finished is kept.
func (w *Workspace) Check(ctx context.Context, files []string, overlay map[string][]byte, progress Progress) (*Report, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	start := time.Now()
	rep := &Report{Unowned: make(map[string]string), Sources: make(map[string][]byte)}

	reload := w.refresh(overlay)
	for _, f := range files {
		dir := filepath.Dir(f)
		if _, loaded := w.dirs[dir]; !loaded || len(w.byFile[f]) == 0 {
			reload[dir] = true
		}
	}
	if len(reload) > 0 {
		// A load is not cancelled: a newer change would need it again.
		rep.Problems = append(rep.Problems, w.load(context.WithoutCancel(ctx), slices.Sorted(maps.Keys(reload)), overlay)...)
		rep.Loaded = len(reload)
	}

	roots := make(map[*pkg]bool)
	for _, f := range files {
		ps := w.rootsFor(f)
		if len(ps) == 0 {
			rep.Unowned[f] = w.whyUnowned(f)
		}
		for _, p := range ps {
			roots[p] = true
		}
	}
	for p := range roots {
		if p.checked && !p.full {
			// It was analyzed only as a dependency, for facts.
			w.invalidate(p)
		}
	}
	work := w.plan(roots)
	if err := w.run(ctx, work, roots, overlay, progress); err != nil {
		return nil, err
	}
	rep.Checked = len(work)
	for _, p := range work {
		if p.cached {
			rep.FromCache++
		}
	}
	w.collect(rep, roots, overlay)
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// rootsFor returns the packages to analyze for file: the package holding
// it, or for a test file the test variant holding it.
func (w *Workspace) rootsFor(file string) []*pkg {
	holders := w.byFile[file]
	for _, p := range holders {
		if !p.isTestVariant() {
			return []*pkg{p}
		}
	}
	return holders
}

func (w *Workspace) whyUnowned(file string) string {
	dir := filepath.Dir(file)
	for _, id := range w.dirRoots[dir] {
		p := w.pkgs[id]
		if p == nil {
			continue
		}
		if slices.Contains(p.ignored, file) {
			return "build constraints exclude it from package " + p.path
		}
		if len(p.listErrors) > 0 {
			return p.listErrors[0].Msg
		}
	}
	if strings.HasSuffix(file, "_test.go") && !w.cfg.Tests {
		return "it is a test file and test files are not checked (tests option is off)"
	}
	return "no package holds it (is it in a Go module?)"
}

// plan returns the packages to type-check and analyze for roots: those not
// checked yet among roots and their dependencies, dependencies first.
func (w *Workspace) plan(roots map[*pkg]bool) []*pkg {
	var order []*pkg
	seen := make(map[*pkg]bool)
	var visit func(p *pkg)
	visit = func(p *pkg) {
		if seen[p] {
			return
		}
		seen[p] = true
		if p.checked {
			return // and so are its dependencies
		}
		for _, dep := range w.deps(p) {
			visit(dep)
		}
		order = append(order, p)
	}
	for _, p := range sortedPkgs(roots) {
		visit(p)
	}
	return order
}

func sortedPkgs(set map[*pkg]bool) []*pkg {
	ps := slices.Collect(maps.Keys(set))
	sort.Slice(ps, func(i, j int) bool { return ps[i].id < ps[j].id })
	return ps
}

// deps returns the packages p imports that are known.
func (w *Workspace) deps(p *pkg) []*pkg {
	var out []*pkg
	for _, path := range slices.Sorted(maps.Keys(p.imports)) {
		if dep := w.pkgs[p.imports[path]]; dep != nil {
			out = append(out, dep)
		}
	}
	return out
}

// invalidate forgets what was learnt about ps and about every package that
// imports them, directly or not: their types refer to the old ones.
func (w *Workspace) invalidate(ps ...*pkg) {
	var importers map[string][]*pkg
	stack := slices.Clone(ps)
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !p.checked {
			continue // nor are its importers
		}
		w.forget(p)
		if importers == nil {
			importers = make(map[string][]*pkg)
			for _, q := range w.pkgs {
				for _, id := range q.imports {
					importers[id] = append(importers[id], q)
				}
			}
		}
		stack = append(stack, importers[p.id]...)
	}
}

func (w *Workspace) forget(p *pkg) {
	w.typesMu.Lock()
	delete(w.byTypes, p.types)
	w.typesMu.Unlock()
	p.checked, p.full = false, false
	p.types = nil
	p.facts = nil
	p.failed = nil
	p.findings = nil
	p.sources = nil
	// Nothing refers to the positions of the old syntax any more: findings
	// hold resolved positions, and the old types are dropped.
	for _, f := range p.parsed {
		w.fset.RemoveFile(f)
	}
	p.parsed = nil
}

// owner returns the checked package whose types are tp.
func (w *Workspace) owner(tp *types.Package) *pkg {
	w.typesMu.Lock()
	defer w.typesMu.Unlock()
	return w.byTypes[tp]
}

// collect fills rep with the findings and problems of roots.
func (w *Workspace) collect(rep *Report, roots map[*pkg]bool, overlay map[string][]byte) {
	type key struct {
		check, msg string
		pos, end   token.Position
	}
	seen := make(map[key]bool)
	for _, p := range sortedPkgs(roots) {
		for _, f := range p.findings {
			k := key{f.Check, f.Message, f.Pos, f.End}
			if seen[k] {
				continue
			}
			seen[k] = true
			rep.Findings = append(rep.Findings, f)
		}
		rep.Problems = append(rep.Problems, w.problems(p)...)
	}
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		a, b := rep.Findings[i], rep.Findings[j]
		if a.Pos.Filename != b.Pos.Filename {
			return a.Pos.Filename < b.Pos.Filename
		}
		if a.Pos.Offset != b.Pos.Offset {
			return a.Pos.Offset < b.Pos.Offset
		}
		return a.Check < b.Check
	})
	need := func(pos token.Position) {
		name := pos.Filename
		if name == "" || rep.Sources[name] != nil {
			return
		}
		if src := w.source(name, roots, overlay); src != nil {
			rep.Sources[name] = src
		}
	}
	for _, f := range rep.Findings {
		need(f.Pos)
		for _, r := range f.Related {
			need(r.Pos)
		}
		for _, fix := range f.Fixes {
			for _, e := range fix.Edits {
				need(e.Pos)
			}
		}
	}
	slices.Sort(rep.Problems)
	rep.Problems = slices.Compact(rep.Problems)
}

// problems explains in one line each why p's findings may be incomplete.
func (w *Workspace) problems(p *pkg) []string {
	var out []string
	if len(p.errors) > 0 {
		what := "does not type-check"
		for _, e := range p.errors {
			switch e.Kind {
			case packages.ParseError:
				what = "has syntax errors"
			case packages.ListError, packages.UnknownError:
				what = "cannot be loaded"
			}
		}
		out = append(out, fmt.Sprintf("package %s %s, so it is not checked: %s", p.path, what, firstErrors(p.errors)))
	} else if p.illTyped {
		if dep := w.illTypedDep(p); dep != nil {
			out = append(out, fmt.Sprintf("package %s is not checked: its dependency %s does not type-check: %s", p.path, dep.path, firstErrors(dep.errors)))
		}
	}
	for _, a := range w.full {
		err := p.failed[a]
		if err == nil || !w.enabled[a] || p.illTyped {
			continue
		}
		out = append(out, fmt.Sprintf("check %s failed on package %s: %v", a.Name, p.path, err))
	}
	return out
}

// illTypedDep returns the first dependency of p, depth first, that has
// errors of its own.
func (w *Workspace) illTypedDep(p *pkg) *pkg {
	seen := make(map[*pkg]bool)
	var find func(q *pkg) *pkg
	find = func(q *pkg) *pkg {
		for _, dep := range w.deps(q) {
			if seen[dep] || !dep.illTyped {
				continue
			}
			seen[dep] = true
			if len(dep.errors) > 0 {
				return dep
			}
			if d := find(dep); d != nil {
				return d
			}
		}
		return nil
	}
	return find(p)
}

func firstErrors(errs []packages.Error) string {
	const max = 3
	var msgs []string
	for i, e := range errs {
		if i == max {
			msgs = append(msgs, fmt.Sprintf("and %d more", len(errs)-max))
			break
		}
		msgs = append(msgs, e.Error())
	}
	return strings.Join(msgs, "; ")
}
