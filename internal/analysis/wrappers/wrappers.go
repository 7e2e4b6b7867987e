// Package wrappers keeps a check's facts about functions that wrap the
// operations it looks for: json.Marshal for syncmarshal, sync.Map lookups for
// syncmapload, map operations on keys for mapkey, list.Remove for iterdelete.
//
// A check finds the wrappers of the package it analyses with Solve, a fixed
// point over the package's functions (a wrapper of a wrapper is a wrapper),
// and records them in Facts.Local; Facts.Export then hands those of exported
// functions to importers as object facts, with a package fact that says the
// package has some. A later package finds them again with Facts.Of, and
// Called tells it cheaply, before any SSA is built, whether it uses one.
// Checks that find their facts another way (iterdelete's list helpers,
// poolcopy's functions that return stored copies) look them up with Imported.
//
// The fact types stay in the check packages: what a fact says (which
// parameter is hashed, encoded, looked up) is the check's business, and its
// serialised form must not change when this package does.
package wrappers

import (
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// Facts holds a check's facts of type P (a pointer to F) about functions:
// those it found in the package being analysed, and those imported with
// other packages.
type Facts[F any, P interface {
	*F
	analysis.Fact
}] struct {
	pass  *analysis.Pass
	Local map[*ssa.Function]P // the wrappers found in this package
}

// New returns an empty set of facts for pass.
func New[F any, P interface {
	*F
	analysis.Fact
}](pass *analysis.Pass) *Facts[F, P] {
	return &Facts[F, P]{pass: pass, Local: make(map[*ssa.Function]P)}
}

// Of returns fn's fact: the one found in this package, or else the one
// imported for fn from another package; nil when there is none.
func (f *Facts[F, P]) Of(fn *ssa.Function) P {
	if p := f.Local[fn]; p != nil {
		return p
	}
	return f.Imported(fn)
}

// Imported returns the fact imported for fn from another package, or nil
// (see the function Imported).
func (f *Facts[F, P]) Imported(fn *ssa.Function) P {
	return Imported[F, P](f.pass, fn)
}

// Add returns fn's fact in Local, first recording an empty one when fn has
// none: the check then adds to it what it found.
func (f *Facts[F, P]) Add(fn *ssa.Function) P {
	p := f.Local[fn]
	if p == nil {
		p = new(F)
		f.Local[fn] = p
	}
	return p
}

// Export exports, for each exported function or method of the package in
// Local, its fact, and then pkgFact when it exported any: the summaries the
// check computed to a fixed point over the package, made available to
// importers.
func (f *Facts[F, P]) Export(pkgFact analysis.Fact) {
	exported := false
	for fn, p := range f.Local {
		obj, ok := fn.Object().(*types.Func)
		if !ok || !obj.Exported() || obj.Pkg() != f.pass.Pkg {
			continue
		}
		f.pass.ExportObjectFact(obj, p)
		exported = true
	}
	if exported {
		f.pass.ExportPackageFact(pkgFact)
	}
}

// Imported returns the fact of type P that another package exported for
// fn, or nil: also for a function of this package and for one without a
// declared object (a function literal, a wrapper go/ssa made up).
func Imported[F any, P interface {
	*F
	analysis.Fact
}](pass *analysis.Pass, fn *ssa.Function) P {
	obj, ok := fn.Object().(*types.Func)
	if !ok || obj.Pkg() == nil || obj.Pkg() == pass.Pkg {
		return nil
	}
	p := P(new(F))
	if pass.ImportObjectFact(obj, p) {
		return p
	}
	return nil
}

// Called reports whether the package of pass refers to a function of
// another package that has a fact of type P, among the packages that
// exported pkgFact. It is the cheap test that a package can call a wrapper
// another package exported: the package facts say which imports have any,
// and only functions the package uses are looked up.
func Called[F any, P interface {
	*F
	analysis.Fact
}](pass *analysis.Pass, pkgFact analysis.Fact) bool {
	with := make(map[*types.Package]bool)
	for _, f := range pass.AllPackageFacts() {
		if reflect.TypeOf(f.Fact) == reflect.TypeOf(pkgFact) {
			with[f.Package] = true
		}
	}
	if len(with) == 0 {
		return false
	}
	for _, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if ok && fn.Pkg() != nil && with[fn.Pkg()] && pass.ImportObjectFact(fn.Origin(), P(new(F))) {
			return true
		}
	}
	return false
}

// Solve finds the wrappers among funcs to a fixed point: it calls step with
// each function, in order, round after round, until a whole round reports no
// change. step looks at one function with what is known so far, records
// what it finds (in Facts.Local) and reports whether that changed anything.
func Solve(funcs []*ssa.Function, step func(fn *ssa.Function) (changed bool)) {
	for round(funcs, step) {
	}
}

// SolveRounds is Solve stopped after at most rounds rounds, at a fixed point
// or not: for facts that could grow without end (iterdelete's access paths),
// where a wrapper nested deeper than rounds is not worth the time.
func SolveRounds(funcs []*ssa.Function, rounds int, step func(fn *ssa.Function) (changed bool)) {
	for range rounds {
		if !round(funcs, step) {
			return
		}
	}
}

// round calls step with each function and reports whether any call changed
// something.
func round(funcs []*ssa.Function, step func(fn *ssa.Function) bool) bool {
	changed := false
	for _, fn := range funcs {
		if step(fn) {
			changed = true
		}
	}
	return changed
}

// OpenParam returns the index in fn.Params of v when v is a parameter of fn
// whose type open accepts (a type that leaves to the caller what the wrapper
// passes on: an interface, a type parameter), and -1 otherwise.
func OpenParam(fn *ssa.Function, v ssa.Value, open func(types.Type) bool) int {
	p, ok := v.(*ssa.Parameter)
	if !ok || !open(p.Type()) {
		return -1
	}
	for i, q := range fn.Params {
		if q == p {
			return i
		}
	}
	return -1
}
