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
	pass  *analysis.Pass
	once  sync.Once
	pkg   *ssa.Package
	funcs []*ssa.Function
}

// Get builds the SSA form on first call and returns the package and its
// source functions (named functions and methods, each followed by its
// function literals, in source order).
func (s *SSA) Get() (*ssa.Package, []*ssa.Function) {
	s.once.Do(s.build)
	return s.pkg, s.funcs
}

func (s *SSA) build() {
	pass := s.pass
	prog := ssa.NewProgram(pass.Fset, 0)
	prog.SetNoReturn(NoReturn)
	for _, imp := range pass.Pkg.Imports() {
		prog.CreatePackage(imp, nil, nil, true)
	}
	pkg := prog.CreatePackage(pass.Pkg, pass.Files, pass.TypesInfo, false)
	pkg.Build()

	var add func(*ssa.Function)
	add = func(fn *ssa.Function) {
		s.funcs = append(s.funcs, fn)
		for _, anon := range fn.AnonFuncs {
			add(anon)
		}
	}
	for _, file := range pass.Files {
		for _, decl := range file.Decls {
			if decl, ok := decl.(*ast.FuncDecl); ok {
				obj, _ := pass.TypesInfo.Defs[decl.Name].(*types.Func)
				if fn := prog.FuncValue(obj); obj != nil && fn != nil {
					add(fn)
				}
			}
		}
	}
	s.pkg = pkg
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
