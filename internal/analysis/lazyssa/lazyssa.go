// Package lazyssa provides SSA form for a package, built at most once and only
// when a check asks for it.
//
// buildssa builds SSA for every package it runs on, and it needs ctrlflow,
// whose facts make it run on every dependency too. Most packages hold nothing
// a mapguard check can report, and each check can tell that cheaply from
// imports and types; so checks require this analyzer, test their cheap
// predicate, and only then call Get. All checks running on one package share
// the one build.
package lazyssa

import (
	"go/ast"
	"go/types"
	"reflect"
	"sync"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// Analyzer returns a *SSA whose Get builds the package's SSA on first use.
var Analyzer = &analysis.Analyzer{
	Name:       "lazyssa",
	Doc:        "lazyssa: SSA form of the package, built on first use and shared by mapguard's checks",
	Run:        func(pass *analysis.Pass) (any, error) { return &SSA{pass: pass}, nil },
	ResultType: reflect.TypeFor[*SSA](),
}

// SSA is the lazily built SSA form of one package.
type SSA struct {
	pass     *analysis.Pass
	once     sync.Once
	building atomic.Bool           // set when Get starts building
	whole    atomic.Pointer[whole] // set once Get has built the package
}

type whole struct {
	pkg   *ssa.Package
	funcs []*ssa.Function
}

// Get builds the SSA form on first call and returns the package and its
// source functions (named functions and methods, each followed by its
// function literals, in source order).
func (s *SSA) Get() (*ssa.Package, []*ssa.Function) {
	s.once.Do(func() {
		s.building.Store(true)
		pkg, funcs := buildSSA(s.pass, s.pass.Files, s.pass.TypesInfo)
		s.whole.Store(&whole{pkg, funcs})
	})
	w := s.whole.Load()
	return w.pkg, w.funcs
}

// Partial builds, for one caller and without caching, the SSA form of only
// the function declarations keep accepts, with their function literals, and
// returns those functions in source order; every other function of the
// package is built as if it had no body. A check that needs a handful of
// functions of a large package pays for those alone. When the whole package
// has been built (Get), or is being built by a check running at the same
// time, Partial returns the kept functions of that build instead: building
// them a second time alongside it took as long as waiting for it.
func (s *SSA) Partial(keep func(*ast.FuncDecl) bool) []*ssa.Function {
	if s.whole.Load() != nil || s.building.Load() {
		_, funcs := s.Get() // waits for the build in progress
		return kept(funcs, keep)
	}
	pass := s.pass
	// Copy the files, with bodiless copies of the declarations not kept;
	// pass.Files is shared with other checks and must not change. The copy
	// of the types.Info shares its maps but records the files' Go versions
	// under the copied files, which go/ssa needs (loop variable semantics).
	info := *pass.TypesInfo
	info.FileVersions = make(map[*ast.File]string, len(pass.Files))
	files := make([]*ast.File, len(pass.Files))
	for i, f := range pass.Files {
		fc := *f
		fc.Decls = make([]ast.Decl, len(f.Decls))
		for j, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && !keep(fd) {
				stub := *fd
				stub.Body = nil
				d = &stub
			}
			fc.Decls[j] = d
		}
		files[i] = &fc
		if v, ok := pass.TypesInfo.FileVersions[f]; ok {
			info.FileVersions[&fc] = v
		}
	}
	_, funcs := buildSSA(pass, files, &info)
	return kept(funcs, keep)
}

// kept returns the functions of funcs declared by a kept declaration, and
// their function literals.
func kept(funcs []*ssa.Function, keep func(*ast.FuncDecl) bool) []*ssa.Function {
	var out []*ssa.Function
	for _, fn := range funcs {
		top := fn
		for top.Parent() != nil {
			top = top.Parent()
		}
		if fd, ok := top.Syntax().(*ast.FuncDecl); ok && fd.Body != nil && keep(fd) {
			out = append(out, fn)
		}
	}
	return out
}

// buildSSA builds the package from files and returns its source functions:
// named functions and methods with bodies, each followed by its function
// literals, in source order.
func buildSSA(pass *analysis.Pass, files []*ast.File, info *types.Info) (*ssa.Package, []*ssa.Function) {
	prog := ssa.NewProgram(pass.Fset, 0)
	prog.SetNoReturn(NoReturn)
	for _, imp := range pass.Pkg.Imports() {
		prog.CreatePackage(imp, nil, nil, true)
	}
	pkg := prog.CreatePackage(pass.Pkg, files, info, false)
	pkg.Build()

	var funcs []*ssa.Function
	var add func(*ssa.Function)
	add = func(fn *ssa.Function) {
		funcs = append(funcs, fn)
		for _, anon := range fn.AnonFuncs {
			add(anon)
		}
	}
	for _, file := range files {
		for _, decl := range file.Decls {
			if decl, ok := decl.(*ast.FuncDecl); ok && decl.Body != nil {
				obj, _ := info.Defs[decl.Name].(*types.Func)
				if fn := prog.FuncValue(obj); obj != nil && fn != nil {
					add(fn)
				}
			}
		}
	}
	return pkg, funcs
}

// noReturn lists the standard functions that never return normally. It
// stands in for ctrlflow's whole-program facts, which would make every
// dependency pay for a CFG of every function.
var noReturn = map[string]bool{
	"os.Exit":                   true,
	"syscall.Exit":              true,
	"runtime.Goexit":            true,
	"log.Fatal":                 true,
	"log.Fatalf":                true,
	"log.Fatalln":               true,
	"log.Panic":                 true,
	"log.Panicf":                true,
	"log.Panicln":               true,
	"(*log.Logger).Fatal":       true,
	"(*log.Logger).Fatalf":      true,
	"(*log.Logger).Fatalln":     true,
	"(*log.Logger).Panic":       true,
	"(*log.Logger).Panicf":      true,
	"(*log.Logger).Panicln":     true,
	"(*testing.common).FailNow": true,
	"(*testing.common).Fatal":   true,
	"(*testing.common).Fatalf":  true,
	"(*testing.common).SkipNow": true,
	"(*testing.common).Skip":    true,
	"(*testing.common).Skipf":   true,
}

// NoReturn reports whether fn is a standard function known never to return.
func NoReturn(fn *types.Func) bool { return noReturn[fn.FullName()] }
