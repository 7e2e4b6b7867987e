package incremental

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// A pkg is one package of the graph the go command reported (a test
// variant is a package of its own), and what its last check learnt.
type pkg struct {
	// From the go command.
	id, path, name string
	dir            string   // the package's directory
	goFiles        []string // the source files
	compiled       []string // what is parsed: goFiles, or cgo's output for them
	other, ignored []string
	imports        map[string]string // import path → package ID
	module         *packages.Module
	sizes          types.Sizes
	listErrors     []packages.Error
	signature      string // all of the above, to tell a changed package on reload

	// From the last check; valid while checked.
	checked  bool
	full     bool // every enabled check ran, not only those with facts
	stamps   map[string]stamp
	headers  map[string]string // file → header (see fileHeader)
	types    *types.Package
	illTyped bool             // it or a dependency has errors
	errors   []packages.Error // its own: listing, parsing, type-checking
	facts    map[*analysis.Analyzer]*factSet
	factKey  string // in the facts cache; "" when not kept there
	cached   bool   // facts taken from the facts cache, not analyzed
	failed   map[*analysis.Analyzer]error
	findings []Finding
	sources  map[string][]byte // content of the files as checked (full checks only)
	parsed   []*token.File     // in the workspace's file set, removed when p is forgotten
}

func (p *pkg) isTestVariant() bool {
	return strings.Contains(p.id, " [") || strings.HasSuffix(p.id, ".test")
}

// immutable reports whether p's files cannot change under us: those of
// the Go distribution and of the module cache.
func (w *Workspace) immutable(p *pkg) bool {
	if len(w.readOnly) == 0 {
		// Without the go command's answer: the standard library, and
		// modules that are neither the main one nor replaced.
		if p.module == nil {
			first, _, _ := strings.Cut(p.path, "/")
			return !strings.Contains(first, ".")
		}
		return !p.module.Main && p.module.Replace == nil
	}
	for _, prefix := range w.readOnly {
		if strings.HasPrefix(p.dir, prefix) {
			return true
		}
	}
	return false
}

// readOnlyRoots returns the directories of the Go distribution and of the
// module cache (with a trailing separator), or nil if the go command does
// not say.
func readOnlyRoots(env []string) []string {
	cmd := exec.Command("go", "env", "GOROOT", "GOMODCACHE")
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return nil
	}
	var roots []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line = strings.TrimSpace(line); filepath.IsAbs(line) {
			roots = append(roots, filepath.Clean(line)+string(filepath.Separator))
		}
	}
	return roots
}

// A stamp identifies the content of a file as checked.
type stamp struct {
	overlay bool
	size    int64
	mtime   time.Time
	hash    [sha256.Size]byte
}

// read returns the content of name from overlay or disk and its stamp.
func read(name string, overlay map[string][]byte) ([]byte, stamp, error) {
	if content, ok := overlay[name]; ok {
		return content, stamp{overlay: true, size: int64(len(content)), hash: sha256.Sum256(content)}, nil
	}
	info, err := os.Stat(name)
	if err != nil {
		return nil, stamp{}, err
	}
	content, err := os.ReadFile(name)
	if err != nil {
		return nil, stamp{}, err
	}
	return content, stamp{size: info.Size(), mtime: info.ModTime(), hash: sha256.Sum256(content)}, nil
}

// changed reports whether name's content differs from the stamp, and
// returns the new content (nil if the file is gone).
func changed(name string, old stamp, overlay map[string][]byte) (bool, []byte) {
	if !old.overlay {
		if _, open := overlay[name]; !open {
			info, err := os.Stat(name)
			if err == nil && info.Size() == old.size && info.ModTime().Equal(old.mtime) {
				return false, nil
			}
		}
	}
	content, st, err := read(name, overlay)
	if err != nil {
		return true, nil
	}
	return st.hash != old.hash, content
}

// fileHeader summarizes what of a file the package graph depends on: its
// build constraints, package name and imports.
func fileHeader(f *ast.File) string {
	var b strings.Builder
	for _, g := range f.Comments {
		if g.Pos() >= f.Package {
			break
		}
		for _, c := range g.List {
			if strings.HasPrefix(c.Text, "//go:build") || strings.HasPrefix(c.Text, "// +build") {
				b.WriteString(c.Text + "\n")
			}
		}
	}
	if f.Name != nil {
		b.WriteString("package " + f.Name.Name + "\n")
	}
	var imports []string
	for _, imp := range f.Imports {
		imports = append(imports, imp.Path.Value)
	}
	sort.Strings(imports)
	b.WriteString(strings.Join(imports, "\n"))
	return b.String()
}

func headerOf(name string, content []byte) string {
	f, err := parser.ParseFile(token.NewFileSet(), name, content, parser.ImportsOnly|parser.ParseComments)
	if f == nil || f.Name == nil {
		return "unparsable: " + fmt.Sprint(err)
	}
	return fileHeader(f)
}

// refresh invalidates the checked packages whose files changed since their
// check, and returns the directories whose package graph must be reloaded:
// those where a file's header changed or a file was added or removed.
func (w *Workspace) refresh(overlay map[string][]byte) map[string]bool {
	reload := make(map[string]bool)
	var stale []*pkg
	for _, p := range w.pkgs {
		if !p.checked || w.immutable(p) {
			continue
		}
		isStale := false
		for name, st := range p.stamps {
			diff, content := changed(name, st, overlay)
			if !diff {
				continue
			}
			isStale = true
			if content == nil || headerOf(name, content) != p.headers[name] {
				reload[filepath.Dir(name)] = true
			}
		}
		if isStale {
			stale = append(stale, p)
		}
	}
	for dir, mtime := range w.dirs {
		if info, err := os.Stat(dir); err != nil || !info.ModTime().Equal(mtime) {
			reload[dir] = true
		}
	}
	for dir, mtime := range w.depDirs {
		if info, err := os.Stat(dir); err != nil || !info.ModTime().Equal(mtime) {
			reload[dir] = true
			delete(w.depDirs, dir) // the load makes it one of w.dirs
		}
	}
	for name, old := range w.modFiles {
		if statFile(name) == old {
			continue
		}
		root := filepath.Dir(name)
		for dir := range w.dirs {
			if moduleRoot(dir) == root {
				reload[dir] = true
			}
		}
	}
	// An open buffer that is not yet on disk, or no longer in its package,
	// needs its directory reloaded too.
	for name, content := range overlay {
		holders := w.byFile[name]
		if len(holders) == 0 {
			continue
		}
		if h, ok := holders[0].headers[name]; ok && h != headerOf(name, content) {
			reload[filepath.Dir(name)] = true
		}
	}
	w.invalidate(stale...)
	return reload
}

// load asks the go command for the packages of dirs and their dependencies
// and merges them into the graph. It returns the problems met.
func (w *Workspace) load(ctx context.Context, dirs []string, overlay map[string][]byte) []string {
	var problems []string
	byRoot := make(map[string][]string)
	for _, dir := range dirs {
		root := moduleRoot(dir)
		byRoot[root] = append(byRoot[root], dir)
	}
	for _, root := range slices.Sorted(maps.Keys(byRoot)) {
		var patterns []string
		for _, dir := range byRoot[root] {
			rel, err := filepath.Rel(root, dir)
			if err != nil {
				rel = "."
			}
			patterns = append(patterns, "./"+filepath.ToSlash(rel))
		}
		cfg := &packages.Config{
			Context: ctx,
			Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
				packages.NeedImports | packages.NeedDeps | packages.NeedModule | packages.NeedTypesSizes,
			Dir:     root,
			Env:     w.cfg.Env,
			Tests:   w.cfg.Tests,
			Overlay: overlay,
		}
		roots, err := packages.Load(cfg, patterns...)
		if err != nil {
			problems = append(problems, fmt.Sprintf("cannot load the packages of %s: %v", strings.Join(byRoot[root], ", "), oneLine(err.Error())))
			continue
		}
		w.merge(roots, byRoot[root])
		for _, name := range []string{"go.mod", "go.sum"} {
			path := filepath.Join(root, name)
			w.modFiles[path] = statFile(path)
		}
	}
	return problems
}

// fileState is what os.Stat says of a file that may not exist.
type fileState struct {
	exists bool
	size   int64
	mtime  int64 // Unix nanoseconds
}

func statFile(name string) fileState {
	info, err := os.Stat(name)
	if err != nil {
		return fileState{}
	}
	return fileState{exists: true, size: info.Size(), mtime: info.ModTime().UnixNano()}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// moduleRoot returns the directory of the go.mod governing dir, or dir.
func moduleRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

// merge adds the packages of a load to the graph. A package already known
// with the same files and imports keeps what was learnt about it; a changed
// one replaces the old, which is invalidated with its importers.
func (w *Workspace) merge(roots []*packages.Package, dirs []string) {
	returned := make(map[string]bool)
	packages.Visit(roots, nil, func(lp *packages.Package) {
		returned[lp.ID] = true
		p := newPkg(lp)
		if old := w.pkgs[lp.ID]; old != nil {
			if old.signature == p.signature {
				return
			}
			w.remove(old)
		}
		w.pkgs[p.id] = p
		for _, name := range p.files() {
			w.byFile[name] = append(w.byFile[name], p)
		}
		// A file added to or removed from the directory of a dependency
		// that can change (of the main module, say) changes the package.
		if _, watched := w.depDirs[lp.Dir]; lp.Dir != "" && !watched && !w.immutable(p) {
			if info, err := os.Stat(lp.Dir); err == nil {
				w.depDirs[lp.Dir] = info.ModTime()
			}
		}
	})
	// Packages that a directory no longer holds (a test variant whose
	// tests were deleted, say) are dropped.
	for _, dir := range dirs {
		for _, id := range w.dirRoots[dir] {
			if old := w.pkgs[id]; old != nil && !returned[id] {
				w.remove(old)
			}
		}
		w.dirRoots[dir] = nil
		if info, err := os.Stat(dir); err == nil {
			w.dirs[dir] = info.ModTime()
		} else {
			w.dirs[dir] = time.Time{}
		}
	}
	for _, lp := range roots {
		dir := lp.Dir
		if dir == "" && len(dirs) == 1 {
			dir = dirs[0] // a package the go command could not list
		}
		w.dirRoots[dir] = append(w.dirRoots[dir], lp.ID)
	}
}

func (w *Workspace) remove(p *pkg) {
	w.invalidate(p)
	delete(w.pkgs, p.id)
	for _, name := range p.files() {
		w.byFile[name] = slices.DeleteFunc(w.byFile[name], func(q *pkg) bool { return q == p })
		if len(w.byFile[name]) == 0 {
			delete(w.byFile, name)
		}
	}
}

// files returns the source files of p (cgo's generated files excluded).
func (p *pkg) files() []string { return p.goFiles }

func newPkg(lp *packages.Package) *pkg {
	p := &pkg{
		id:         lp.ID,
		dir:        lp.Dir,
		path:       lp.PkgPath,
		name:       lp.Name,
		goFiles:    lp.GoFiles,
		compiled:   lp.CompiledGoFiles,
		other:      lp.OtherFiles,
		ignored:    lp.IgnoredFiles,
		imports:    make(map[string]string),
		module:     lp.Module,
		sizes:      lp.TypesSizes,
		listErrors: lp.Errors,
	}
	for path, imp := range lp.Imports {
		p.imports[path] = imp.ID
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s|%s|%s\n", p.id, p.path, p.name)
	for _, list := range [][]string{p.goFiles, p.compiled, p.other, p.ignored} {
		fmt.Fprintf(&b, "%q\n", list)
	}
	for _, path := range slices.Sorted(maps.Keys(p.imports)) {
		fmt.Fprintf(&b, "%s=%s\n", path, p.imports[path])
	}
	if m := p.module; m != nil {
		fmt.Fprintf(&b, "module %s %s %s %v\n", m.Path, m.Version, m.GoVersion, m.Main)
	}
	for _, e := range p.listErrors {
		fmt.Fprintf(&b, "error %s\n", e)
	}
	p.signature = b.String()
	return p
}
