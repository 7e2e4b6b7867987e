package unsavedload

import (
	_ "embed"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/mapguard/mapguard/internal/analysis/budget"
	"github.com/mapguard/mapguard/internal/analysis/checkdoc"
	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/lazyssa"
	"github.com/mapguard/mapguard/internal/analysis/scope"
	"github.com/mapguard/mapguard/internal/run/guard"
)

//go:embed doc.go
var doc string

// Analyzer reports a package-level sync.Map loaded from storage at
// start-up, changed at run time and never written back.
// The users' text is in doc.go, printed by `mapguard explain unsavedload`.
var Analyzer = &analysis.Analyzer{
	Name:      "unsavedload",
	Doc:       checkdoc.Extract(doc, "unsavedload"),
	URL:       checkdoc.URL("unsavedload"),
	Requires:  []*analysis.Analyzer{lazyssa.Analyzer},
	FactTypes: []analysis.Fact{new(analyzedPkg), new(storageFact)}, // storageFact: tests only
	Run:       guard.Run(run),
}

type checker struct {
	pass    *analysis.Pass
	pkg     *ssa.Package
	isMain  bool
	main    *ssa.Function // func main of package main
	pkgInit *ssa.Function // the synthetic package initialiser

	globals   map[*ssa.Global]bool // roots of candidates
	analyzed  map[*types.Package]*analyzedPkg
	factCache map[*types.Func]*storageFact

	sums  map[*ssa.Function]*summary
	order []*ssa.Function // summarised functions, in the order built
	depth int

	ifaceTypes      map[*types.Named]bool
	methodSets      typeutil.MethodSetCache
	flags           map[*ssa.Function]flags
	callers         map[*ssa.Function][]edge
	startPoints     []ssa.Instruction
	afterStart      map[*ssa.BasicBlock]bool // blocks of main that run after a start point
	firstStart      map[*ssa.BasicBlock]int  // index of the first start point in its block
	mainReturns     bool
	writesStorage   map[*ssa.Function]bool // writes to storage, itself or through what it runs (computeWrites)
	mayWriteStorage map[*ssa.Function]bool // likewise for calls to save-like methods it cannot see into

	calls *code.Calls

	holders map[types.Type]bool // pointsToSyncMapHolder's answers, by pointee
}

func run(pass *analysis.Pass) (any, error) {
	isMain := pass.Pkg.Name() == "main"
	analyzed := analyzedPackages(pass)
	hasCandidates := declaresCandidates(pass, isMain) && readsStorage(pass, analyzed)
	facts := !isMain && !isStdPath(pass.Pkg.Path()) && wantsFacts(pass, analyzed)
	factsOnly := scope.FactsOnly() // a dependency: its findings would be dropped
	if !facts && (factsOnly || !hasCandidates) {
		return nil, nil
	}
	pkg, funcs := pass.ResultOf[lazyssa.Analyzer].(*lazyssa.SSA).Get()
	if pkg == nil {
		return nil, nil
	}
	c := &checker{
		pass:       pass,
		pkg:        pkg,
		calls:      code.NewCalls(pass.Files),
		isMain:     isMain,
		pkgInit:    pkg.Func("init"),
		globals:    make(map[*ssa.Global]bool),
		analyzed:   analyzed,
		factCache:  make(map[*types.Func]*storageFact),
		sums:       make(map[*ssa.Function]*summary),
		ifaceTypes: make(map[*types.Named]bool),
		flags:      make(map[*ssa.Function]flags),
		holders:    make(map[types.Type]bool),
	}
	if isMain {
		c.main = pkg.Func("main")
	}
	var cands []*candidate
	if hasCandidates {
		for _, cand := range candidates(pkg, isMain) {
			if !c.inTestFile(cand.place.global.Pos()) {
				cands = append(cands, cand)
				c.globals[cand.place.global] = true
			}
		}
	}
	if c.pkgInit != nil {
		c.summary(c.pkgInit)
	}
	// Verdicts and facts need every function's summary: a package whose
	// summaries run out of budget is left out whole, not judged on part.
	b := budget.Start(pass)
	for _, fn := range funcs {
		if b.Exceeded() {
			return nil, nil
		}
		if !c.inTest(fn) {
			c.summary(fn)
		}
	}
	c.indexCallers()
	c.computeWrites()
	if facts {
		c.exportFacts()
	}
	if factsOnly {
		return nil, nil
	}
	c.computeContexts()
	for _, cand := range cands {
		c.judge(cand)
	}
	return nil, nil
}

// declaresCandidates reports, from types alone, whether the package has a
// package-level variable only it can name through which a sync.Map is
// reached: the cheap test before building SSA.
func declaresCandidates(pass *analysis.Pass, isMain bool) bool {
	scope := pass.Pkg.Scope()
	for _, name := range scope.Names() {
		v, ok := scope.Lookup(name).(*types.Var)
		if ok && (isMain || !v.Exported()) && reachesSyncMap(v.Type()) {
			return true
		}
	}
	return false
}

// readsStorage reports, from the objects the package uses, whether it
// reads a file, decodes, queries a database, or calls a function of a
// package that has facts: without that, nothing in it is loaded from
// storage.
func readsStorage(pass *analysis.Pass, analyzed map[*types.Package]*analyzedPkg) bool {
	for _, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Pkg() == pass.Pkg {
			continue
		}
		if analyzed[fn.Pkg()] != nil {
			return true
		}
		if !ioPackages[fn.Pkg().Path()] && fn.Pkg().Path() != "fmt" {
			continue
		}
		name := fn.FullName()
		if _, ok := readers[name]; ok {
			return true
		}
		if _, ok := decoders[name]; ok {
			return true
		}
	}
	return false
}

func (c *checker) inTestFile(pos token.Pos) bool {
	return pos.IsValid() && strings.HasSuffix(c.pass.Fset.Position(pos).Filename, "_test.go")
}
