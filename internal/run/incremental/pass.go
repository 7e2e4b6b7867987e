package incremental

import (
	"fmt"
	"go/ast"
	"go/types"
	"os"
	"reflect"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/internal/run/guard"
)

// A factSet holds the facts one check exported on one package.
type factSet struct {
	objects  map[objectFactKey]analysis.Fact
	packages map[reflect.Type]analysis.Fact // about the package itself
}

type objectFactKey struct {
	obj types.Object
	typ reflect.Type
}

// passState is one check running on one package.
type passState struct {
	w          *Workspace
	p          *pkg
	a          *analysis.Analyzer
	facts      *factSet
	files      []*ast.File
	info       *types.Info
	typeErrors []types.Error
	overlay    map[string][]byte
	done       bool
}

// run runs the check with the results of its prerequisites and returns its
// result and diagnostics.
func (s *passState) run(results map[*analysis.Analyzer]any) (result any, diags []analysis.Diagnostic, err error) {
	p, a := s.p, s.a
	inputs := make(map[*analysis.Analyzer]any, len(a.Requires))
	for _, req := range a.Requires {
		inputs[req] = results[req]
	}
	module := &analysis.Module{}
	if m := p.module; m != nil {
		module = &analysis.Module{Path: m.Path, Version: m.Version, GoVersion: m.GoVersion}
	}
	pass := &analysis.Pass{
		Analyzer:          a,
		Fset:              s.w.fset,
		Files:             s.files,
		OtherFiles:        p.other,
		IgnoredFiles:      p.ignored,
		Pkg:               p.types,
		TypesInfo:         s.info,
		TypesSizes:        p.sizes,
		TypeErrors:        s.typeErrors,
		Module:            module,
		ResultOf:          inputs,
		Report:            func(d analysis.Diagnostic) { diags = append(diags, d) },
		ReadFile:          s.readFile,
		ImportObjectFact:  s.importObjectFact,
		ExportObjectFact:  s.exportObjectFact,
		ImportPackageFact: s.importPackageFact,
		ExportPackageFact: s.exportPackageFact,
		AllObjectFacts:    s.allObjectFacts,
		AllPackageFacts:   s.allPackageFacts,
	}
	defer func() {
		s.done = true
		if r := recover(); r != nil {
			result, diags, err = nil, nil, guard.Recovered(a.Name, p.path, r)
		}
	}()
	result, err = a.Run(pass)
	if err != nil {
		return nil, nil, err
	}
	if got, want := reflect.TypeOf(result), a.ResultType; got != want {
		return nil, nil, fmt.Errorf("internal error: check %s returned a result of type %v, not its declared %v", a.Name, got, want)
	}
	return result, diags, nil
}

// readFile gives the check the files of its package, unsaved buffers
// included.
func (s *passState) readFile(name string) ([]byte, error) {
	p := s.p
	if !slices.Contains(p.compiled, name) && !slices.Contains(p.goFiles, name) &&
		!slices.Contains(p.other, name) && !slices.Contains(p.ignored, name) {
		return nil, fmt.Errorf("%s is not a file of package %s", name, p.path)
	}
	if content, ok := s.overlay[name]; ok {
		return content, nil
	}
	return os.ReadFile(name)
}

// factsOf returns the facts the check exported on the package whose types
// are tp: this package's so far, or a checked dependency's.
func (s *passState) factsOf(tp *types.Package) *factSet {
	if tp == s.p.types {
		return s.facts
	}
	if owner := s.w.owner(tp); owner != nil {
		return owner.facts[s.a]
	}
	return nil
}

func (s *passState) importObjectFact(obj types.Object, ptr analysis.Fact) bool {
	if obj == nil || obj.Pkg() == nil {
		return false
	}
	fs := s.factsOf(obj.Pkg())
	if fs == nil {
		return false
	}
	if fact, ok := fs.objects[objectFactKey{obj, reflect.TypeOf(ptr)}]; ok {
		reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(fact).Elem())
		return true
	}
	return false
}

func (s *passState) exportObjectFact(obj types.Object, fact analysis.Fact) {
	if s.done {
		panic(fmt.Sprintf("%s: ExportObjectFact(%s) called after Run", s.a.Name, obj))
	}
	if obj.Pkg() != s.p.types {
		panic(fmt.Sprintf("%s: fact about %s exported from package %s, which does not declare it", s.a.Name, obj, s.p.path))
	}
	if s.facts.objects == nil {
		s.facts.objects = make(map[objectFactKey]analysis.Fact)
	}
	s.facts.objects[objectFactKey{obj, reflect.TypeOf(fact)}] = fact
}

func (s *passState) importPackageFact(tp *types.Package, ptr analysis.Fact) bool {
	fs := s.factsOf(tp)
	if fs == nil {
		return false
	}
	if fact, ok := fs.packages[reflect.TypeOf(ptr)]; ok {
		reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(fact).Elem())
		return true
	}
	return false
}

func (s *passState) exportPackageFact(fact analysis.Fact) {
	if s.done {
		panic(fmt.Sprintf("%s: ExportPackageFact called after Run", s.a.Name))
	}
	if s.facts.packages == nil {
		s.facts.packages = make(map[reflect.Type]analysis.Fact)
	}
	s.facts.packages[reflect.TypeOf(fact)] = fact
}

// visible calls f with the facts of this package and of every package it
// depends on.
func (s *passState) visible(f func(tp *types.Package, fs *factSet)) {
	f(s.p.types, s.facts)
	seen := map[*pkg]bool{s.p: true}
	stack := s.w.deps(s.p)
	for len(stack) > 0 {
		q := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[q] {
			continue
		}
		seen[q] = true
		if fs := q.facts[s.a]; fs != nil {
			f(q.types, fs)
		}
		stack = append(stack, s.w.deps(q)...)
	}
}

func (s *passState) allObjectFacts() []analysis.ObjectFact {
	var out []analysis.ObjectFact
	s.visible(func(_ *types.Package, fs *factSet) {
		for k, fact := range fs.objects {
			out = append(out, analysis.ObjectFact{Object: k.obj, Fact: fact})
		}
	})
	return out
}

func (s *passState) allPackageFacts() []analysis.PackageFact {
	var out []analysis.PackageFact
	s.visible(func(tp *types.Package, fs *factSet) {
		for _, fact := range fs.packages {
			out = append(out, analysis.PackageFact{Package: tp, Fact: fact})
		}
	})
	return out
}
