package incremental

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// run type-checks and analyzes work (dependencies first), in parallel as
// far as the import graph allows. Cancelling ctx stops it before the next
// package starts; finished packages stay checked.
func (w *Workspace) run(ctx context.Context, work []*pkg, roots map[*pkg]bool, overlay map[string][]byte, progress Progress) error {
	if len(work) == 0 {
		return ctx.Err()
	}
	done := make(map[*pkg]chan struct{}, len(work))
	for _, p := range work {
		done[p] = make(chan struct{})
	}
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var finished atomic.Int32
	var wg sync.WaitGroup
	for _, p := range work {
		deps := w.deps(p)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(done[p])
			for _, dep := range deps {
				if ch := done[dep]; ch != nil {
					select {
					case <-ch:
					case <-ctx.Done():
						return
					}
				}
				if !dep.checked {
					return // cancelled below us
				}
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			if ctx.Err() != nil {
				return
			}
			w.checkPackage(p, roots[p] || p.module != nil && p.module.Main, overlay)
			if progress != nil {
				progress(int(finished.Add(1)), len(work))
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// checkPackage parses, type-checks and analyzes p, whose dependencies are
// checked. full runs every enabled check; otherwise only those exchanging
// facts (and their prerequisites) run, as the importers need.
func (w *Workspace) checkPackage(p *pkg, full bool, overlay map[string][]byte) {
	p.errors = slices.Clone(p.listErrors)
	p.stamps = make(map[string]stamp)
	p.headers = make(map[string]string)
	p.facts = make(map[*analysis.Analyzer]*factSet)
	p.factKey, p.cached = "", false
	p.failed = make(map[*analysis.Analyzer]error)
	p.findings = nil
	p.sources = nil
	p.parsed = nil
	defer func() {
		// A panic in the type checker or a check that is not guarded
		// fails this package alone.
		if r := recover(); r != nil {
			msg := fmt.Sprintf("internal error checking %s: %v", p.id, r)
			if os.Getenv("MAPGUARD_DEBUG") != "" {
				msg += "\n" + string(debug.Stack())
			}
			p.errors = append(p.errors, packages.Error{Pos: "-", Msg: msg, Kind: packages.UnknownError})
			p.illTyped = true
			p.findings = nil
			for _, a := range w.full {
				p.failed[a] = fmt.Errorf("%s", msg)
			}
		}
		w.typesMu.Lock()
		w.byTypes[p.types] = p
		w.typesMu.Unlock()
		p.checked, p.full = true, full
	}()

	if p.path == "unsafe" {
		p.types = types.Unsafe
		return
	}
	if full {
		p.sources = make(map[string][]byte)
	}
	for _, name := range p.goFiles {
		if !slices.Contains(p.compiled, name) {
			if _, st, err := read(name, overlay); err == nil {
				p.stamps[name] = st
			}
		}
	}
	var files []*ast.File
	for _, name := range p.compiled {
		content, st, err := read(name, overlay)
		if err != nil {
			p.errors = append(p.errors, packages.Error{Pos: name, Msg: err.Error(), Kind: packages.ListError})
			continue
		}
		p.stamps[name] = st
		if full {
			p.sources[name] = content
		}
		f, err := parser.ParseFile(w.fset, name, content, parser.AllErrors|parser.ParseComments|parser.SkipObjectResolution)
		if f != nil {
			files = append(files, f)
			p.headers[name] = fileHeader(f)
			p.parsed = append(p.parsed, w.fset.File(f.FileStart))
		}
		if list, ok := err.(scanner.ErrorList); ok {
			for _, e := range list {
				p.errors = append(p.errors, packages.Error{Pos: e.Pos.String(), Msg: e.Msg, Kind: packages.ParseError})
			}
		} else if err != nil {
			p.errors = append(p.errors, packages.Error{Pos: name, Msg: err.Error(), Kind: packages.ParseError})
		}
	}

	info := &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
	}
	var typeErrors []types.Error
	conf := &types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if path == "unsafe" {
				return types.Unsafe, nil
			}
			id, ok := p.imports[path]
			if !ok {
				return nil, fmt.Errorf("no package for import %q (run go mod tidy?)", path)
			}
			dep := w.pkgs[id]
			if dep == nil || dep.types == nil {
				return nil, fmt.Errorf("could not import %s", path)
			}
			return dep.types, nil
		}),
		Sizes: p.sizes,
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				typeErrors = append(typeErrors, te)
				p.errors = append(p.errors, packages.Error{Pos: te.Fset.Position(te.Pos).String(), Msg: te.Msg, Kind: packages.TypeError})
			}
		},
	}
	if p.module != nil && p.module.GoVersion != "" {
		conf.GoVersion = "go" + p.module.GoVersion
	}
	tpkg := types.NewPackage(p.path, p.name)
	if err := types.NewChecker(conf, w.fset, tpkg, info).Files(files); err != nil && len(p.errors) == 0 {
		p.errors = append(p.errors, packages.Error{Pos: "-", Msg: err.Error(), Kind: packages.TypeError})
	}
	p.types = tpkg
	p.illTyped = len(p.errors) > 0
	for _, dep := range w.deps(p) {
		p.illTyped = p.illTyped || dep.illTyped
	}

	set := w.factsOnly
	if full {
		set = w.full
	} else if p.factKey = w.factKey(p); p.factKey != "" && w.facts.load(p.factKey, p, set) {
		p.cached = true
		return
	}
	results := make(map[*analysis.Analyzer]any)
	for _, a := range set {
		if err := w.prerequisitesFailed(p, a); err != nil {
			p.failed[a] = err
			continue
		}
		pass := &passState{w: w, p: p, a: a, facts: &factSet{}, files: files, info: info, typeErrors: typeErrors, overlay: overlay}
		result, diags, err := pass.run(results)
		p.facts[a] = pass.facts
		if err != nil {
			p.failed[a] = err
			continue
		}
		results[a] = result
		if full && w.enabled[a] {
			for _, d := range diags {
				p.findings = append(p.findings, w.finding(a, d))
			}
		}
	}
	if p.factKey != "" && len(p.failed) == 0 {
		w.facts.store(p.factKey, p, set)
	}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// prerequisitesFailed says why a cannot run on p: p does not type-check,
// a check a requires failed on p, or a failed on a dependency whose facts
// it needs.
func (w *Workspace) prerequisitesFailed(p *pkg, a *analysis.Analyzer) error {
	if p.illTyped && !a.RunDespiteErrors {
		return fmt.Errorf("analysis skipped due to errors in package")
	}
	for _, req := range a.Requires {
		if p.failed[req] != nil {
			return fmt.Errorf("failed prerequisites: %s@%s", req.Name, p.id)
		}
	}
	if len(a.FactTypes) > 0 {
		for _, dep := range w.deps(p) {
			if dep.failed[a] != nil {
				return fmt.Errorf("failed prerequisites: %s@%s", a.Name, dep.id)
			}
		}
	}
	return nil
}

// finding resolves the positions of d, reported by a.
func (w *Workspace) finding(a *analysis.Analyzer, d analysis.Diagnostic) Finding {
	f := Finding{
		Check:   a.Name,
		URL:     resolveURL(a, d),
		Pos:     w.position(d.Pos),
		Message: d.Message,
	}
	f.End = f.Pos
	if d.End.IsValid() && d.End >= d.Pos {
		f.End = w.position(d.End)
	}
	for _, r := range d.Related {
		rel := Related{Pos: w.position(r.Pos), Message: r.Message}
		rel.End = rel.Pos
		if r.End.IsValid() && r.End >= r.Pos {
			rel.End = w.position(r.End)
		}
		f.Related = append(f.Related, rel)
	}
	for _, sf := range d.SuggestedFixes {
		if fix, ok := w.fix(sf); ok {
			f.Fixes = append(f.Fixes, fix)
		}
	}
	return f
}

// fix converts a suggested fix, dropping one whose edits are malformed or
// fall outside the source files (cgo's output, say).
func (w *Workspace) fix(sf analysis.SuggestedFix) (Fix, bool) {
	fix := Fix{Message: sf.Message}
	for _, e := range sf.TextEdits {
		file := w.fset.File(e.Pos)
		end := e.End
		if !end.IsValid() {
			end = e.Pos
		}
		if file == nil || end < e.Pos || w.fset.File(end) != file && int(end) > file.Base()+file.Size() {
			return Fix{}, false
		}
		start := w.fset.PositionFor(e.Pos, false)
		if len(w.byFile[start.Filename]) == 0 {
			return Fix{}, false
		}
		fix.Edits = append(fix.Edits, Edit{Pos: start, End: w.fset.PositionFor(end, false), NewText: string(e.NewText)})
	}
	return fix, len(fix.Edits) > 0
}

// position resolves pos in the source file: line directives are followed
// only out of files the go command generated.
func (w *Workspace) position(pos token.Pos) token.Position {
	p := w.fset.PositionFor(pos, false)
	if p.Filename != "" && len(w.byFile[p.Filename]) == 0 {
		if adjusted := w.fset.PositionFor(pos, true); len(w.byFile[adjusted.Filename]) > 0 {
			return adjusted
		}
	}
	return p
}

// resolveURL returns the documentation address of d: its own URL resolved
// against its check's, or the check's.
func resolveURL(a *analysis.Analyzer, d analysis.Diagnostic) string {
	if d.URL == "" {
		return a.URL
	}
	base, err := url.Parse(a.URL)
	ref, err2 := url.Parse(d.URL)
	if err != nil || err2 != nil {
		return a.URL
	}
	return base.ResolveReference(ref).String()
}

// source returns the content of name as checked: from the overlay, from a
// root package's check, or from disk.
func (w *Workspace) source(name string, roots map[*pkg]bool, overlay map[string][]byte) []byte {
	if content, ok := overlay[name]; ok {
		return content
	}
	for p := range roots {
		if content, ok := p.sources[name]; ok {
			return content
		}
	}
	content, _, err := read(name, nil)
	if err != nil {
		return nil
	}
	return content
}
