package incremental

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/objectpath"
)

// The facts cache keeps, between sessions, the facts the checks exported on
// the packages a workspace cannot change (the standard library and the
// module cache), so that the first load of a later session type-checks
// those dependencies but does not analyze them again. Its key covers the
// executable, the checks run on dependencies and their flags, the package
// as the go command described it, the content of its files and the keys of
// its dependencies; a package that does not type-check, or whose check
// failed, is not stored.

// A factCache is a directory of facts files, one per package key.
type factCache struct {
	dir  string
	tool string // what the facts depend on besides the package: executable, checks, flags
}

// openFactCache returns the cache in dir for the analyzers run on
// dependencies, or nil when dir is "" or the executable cannot be read.
func openFactCache(dir string, factsOnly []*analysis.Analyzer) *factCache {
	if dir == "" {
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	f, err := os.Open(exe)
	if err != nil {
		return nil
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil
	}
	fmt.Fprintf(h, "mapguard lsp facts v1\n")
	for _, a := range factsOnly {
		fmt.Fprintf(h, "check %s\n", a.Name)
		a.Flags.VisitAll(func(f *flag.Flag) { fmt.Fprintf(h, "flag %s=%s\n", f.Name, f.Value) })
	}
	for _, a := range factsOnly {
		for _, ft := range a.FactTypes {
			gob.Register(ft)
		}
	}
	return &factCache{dir: dir, tool: hex.EncodeToString(h.Sum(nil))}
}

// factKey returns the facts cache key of p, checked as a dependency, or "" when it
// has none: not immutable, not well typed, or a dependency without a key.
func (w *Workspace) factKey(p *pkg) string {
	if w.facts == nil || !w.immutable(p) || p.illTyped {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "tool %s\nid %q\n%s\n", w.facts.tool, p.id, p.signature)
	for _, name := range p.compiled {
		st, ok := p.stamps[name]
		if !ok || st.overlay {
			return ""
		}
		fmt.Fprintf(h, "file %q %x\n", name, st.hash)
	}
	for _, path := range slices.Sorted(maps.Keys(p.imports)) {
		dep := w.pkgs[p.imports[path]]
		if dep == nil {
			return ""
		}
		if dep.path == "unsafe" {
			continue
		}
		if dep.factKey == "" {
			return ""
		}
		fmt.Fprintf(h, "import %q %s\n", path, dep.factKey)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// cachedFact is one fact in a facts file.
type cachedFact struct {
	Analyzer string
	Object   objectpath.Path // "" for a fact about the package
	Fact     analysis.Fact
}

func (c *factCache) file(key string) string {
	return filepath.Join(c.dir, key[:2], key+"-f")
}

// load sets p.facts from the file of key and reports whether it could.
func (c *factCache) load(key string, p *pkg, factsOnly []*analysis.Analyzer) bool {
	b, err := os.ReadFile(c.file(key))
	if err != nil {
		return false
	}
	var list []cachedFact
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&list); err != nil {
		return false
	}
	byName := make(map[string]*analysis.Analyzer)
	sets := make(map[*analysis.Analyzer]*factSet)
	for _, a := range factsOnly {
		byName[a.Name] = a
		sets[a] = &factSet{}
	}
	for _, cf := range list {
		a := byName[cf.Analyzer]
		if a == nil || cf.Fact == nil {
			return false
		}
		fs := sets[a]
		typ := reflect.TypeOf(cf.Fact)
		if cf.Object == "" {
			if fs.packages == nil {
				fs.packages = make(map[reflect.Type]analysis.Fact)
			}
			fs.packages[typ] = cf.Fact
			continue
		}
		obj, err := objectpath.Object(p.types, cf.Object)
		if err != nil {
			return false
		}
		if fs.objects == nil {
			fs.objects = make(map[objectFactKey]analysis.Fact)
		}
		fs.objects[objectFactKey{obj, typ}] = cf.Fact
	}
	p.facts = make(map[*analysis.Analyzer]*factSet, len(sets))
	for a, fs := range sets {
		p.facts[a] = fs
	}
	return true
}

// store writes p's facts under key; a failure only costs an analysis on a
// later first load.
func (c *factCache) store(key string, p *pkg, factsOnly []*analysis.Analyzer) {
	var list []cachedFact
	var enc objectpath.Encoder
	for _, a := range factsOnly {
		fs := p.facts[a]
		if fs == nil {
			continue
		}
		for _, f := range fs.packages {
			list = append(list, cachedFact{Analyzer: a.Name, Fact: f})
		}
		for k, f := range fs.objects {
			path, err := enc.For(k.obj)
			if err != nil {
				return // an object with no path: not stored
			}
			list = append(list, cachedFact{Analyzer: a.Name, Object: path, Fact: f})
		}
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(list); err != nil {
		return
	}
	name := c.file(key)
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "tmp-")
	if err != nil {
		return
	}
	_, werr := tmp.Write(buf.Bytes())
	if cerr := tmp.Close(); werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return
	}
	if os.Rename(tmp.Name(), name) != nil {
		os.Remove(tmp.Name())
	}
}
