package copies_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"

	"github.com/mapguard/mapguard/internal/analysis/copies"
	"github.com/mapguard/mapguard/internal/analysis/fieldpath"
)

// build type-checks and builds src (package p) the way lazyssa does.
func build(t *testing.T, src string) (*ssa.Package, *ast.File, *types.Info) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types:      make(map[ast.Expr]types.TypeAndValue),
		Defs:       make(map[*ast.Ident]types.Object),
		Uses:       make(map[*ast.Ident]types.Object),
		Implicits:  make(map[ast.Node]types.Object),
		Selections: make(map[*ast.SelectorExpr]*types.Selection),
		Scopes:     make(map[ast.Node]*types.Scope),
		Instances:  make(map[*ast.Ident]types.Instance),
	}
	conf := &types.Config{Importer: importer.Default()}
	pkg, err := conf.Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	prog := ssa.NewProgram(fset, 0)
	for _, imp := range pkg.Imports() {
		prog.CreatePackage(imp, nil, nil, true)
	}
	spkg := prog.CreatePackage(pkg, []*ast.File{f}, info, false)
	spkg.Build()
	return spkg, f, info
}

func function(t *testing.T, pkg *ssa.Package, name string) *ssa.Function {
	t.Helper()
	for fn := range ssautil.AllFunctions(pkg.Prog) {
		if fn.Pkg == pkg && fn.Synthetic == "" && (fn.Name() == name || fn.RelString(pkg.Pkg) == name) {
			return fn
		}
	}
	t.Fatalf("no function %s", name)
	return nil
}

const src = `package p

import "sync"

type T struct {
	N   int
	M   map[string]int
	In  struct{ A, B int }
	Arr [2]int
}

var global T

func (t T) recv()                    { t.N = 1 }
func param(t T)                      { t.N = 1 }
func rangeSlice(ts []T)              { for _, t := range ts { t.N = 1 } }
func rangeArray(ts [2]T)             { for _, t := range ts { t.N = 1 } }
func rangeMap(m map[string]T)        { for _, t := range m { t.N = 1 } }
func lookup(m map[string]T)          { t := m["k"]; t.N = 1 }
func lookupOK(m map[string]T)        { t, _ := m["k"]; t.N = 1 }
func element(ts []T, i int)          { t := ts[i]; t.N = 1 }
func deref(p *T)                     { t := *p; t.N = 1 }
func field(p *struct{ X T })         { t := p.X; t.N = 1 }
func fromGlobal()                    { t := global; t.N = 1 }
func syncMap(m *sync.Map)            { v, _ := m.Load("k"); t := v.(T); t.N = 1 }
func syncMapOK(m *sync.Map)          { v, _ := m.Load("k"); t, _ := v.(T); t.N = 1 }

// Not copies.
func literal()                       { t := T{}; t.N = 1 }
func zero()                          { var t T; t.N = 1 }
func call(f func() T)                { t := f(); t.N = 1 }
func ofLocal(ts [2]T)                { u := T{}; t := u; t.N = 1; _ = u }
func assignedTwice(m map[string]T)   { t := m["a"]; t = m["b"]; t.N = 1 }
func anyValue(m *sync.Map)           { v, _ := m.Load("k"); _ = v }
`

func TestFindClassifiesCopies(t *testing.T) {
	pkg, _, _ := build(t, src)
	want := map[string]copies.Kind{
		"recv":       copies.Receiver,
		"param":      copies.Param,
		"rangeSlice": copies.Element,
		"rangeArray": copies.Element,
		"rangeMap":   copies.MapValue,
		"lookup":     copies.MapValue,
		"lookupOK":   copies.MapValue,
		"element":    copies.Element,
		"deref":      copies.Deref,
		"field":      copies.Deref,
		"fromGlobal": copies.Deref,
		"syncMap":    copies.SyncMapValue,
		"syncMapOK":  copies.SyncMapValue,
	}
	for name, kind := range want {
		fn := function(t, pkg, name)
		cs := copies.Find(fn)
		if len(cs) != 1 {
			t.Errorf("%s: %d copies, want 1", name, len(cs))
			continue
		}
		if cs[0].Kind != kind {
			t.Errorf("%s: kind %d, want %d", name, cs[0].Kind, kind)
		}
	}
	for _, name := range []string{"literal", "zero", "call", "ofLocal", "assignedTwice", "anyValue"} {
		if cs := copies.Find(function(t, pkg, name)); len(cs) != 0 {
			t.Errorf("%s: %d copies, want none", name, len(cs))
		}
	}
}

// fates runs After on the first write to field N (path [0]) of the only
// copy in each function and renders the result: "dies", and the ops of the
// later accesses with their paths.
const flowSrc = `package p

type In struct{ A, B int }

type T struct {
	N  int
	In In
}

func use(...any) {}

func unused(t T)             { t.N = 1 }
func returned(t T) T         { t.N = 1; return t }
func readField(t T)          { t.N = 1; use(t.N) }
func readOther(t T)          { t.N = 1; use(t.In.A) }
func overwritten(t T)        { t.N = 1; t.N = 2; use(t.N) }
func overwrittenOnOne(t T, c bool) { t.N = 1; if c { t.N = 2; use(t.N) } }
func panics(t T)             { t.N = 1; panic("x") }
func loop(ts []T)            { for _, t := range ts { t.N = 1 } }
func loopCarried(t T, n int) { for i := 0; i < n; i++ { t.N = i; use(t.In) }; use(t.N) }
func method(t T)             { t.N = 1; t.ptr() }
func leaked(t T)             { p := &t; t.N = 1; use(p) }
func closure(t T) func() int { t.N = 1; return func() int { return t.N } }
func nested(t T)             { t.In.A = 1; use(t.In.B) }
func fieldAddr(t T)          { t.N = 1; use(&t.In) }
func nestedRead(t T)         { t.In.A = 1; use(t.In) }
func calledInPlace(t T) int  { t.N = 1; return func() int { return t.In.A }() }
func calledBefore(t T)       { f := func() int { return t.N }; use(f()); t.N = 1 }
func passedToCaller(t T)     { t.N = 1; each(func() { use(t.N) }) }
func passedOn(t T)           { t.N = 1; forward(func() { use(t.N) }) }
func writesInside(t T)       { t.N = 1; func() { t.In.A = 2 }() }
func deferred(t T)           { t.N = 1; defer func() { use(t.N) }() }

func each(f func())    { f(); f() }
func forward(f func()) { each(f) }

func (t *T) ptr() {}
`

func TestAfter(t *testing.T) {
	pkg, _, _ := build(t, flowSrc)
	tests := []struct {
		fn   string
		want string
	}{
		{"unused", "dies"},
		{"returned", "dies read[]"},
		{"readField", "dies read[0]"},
		{"readOther", "dies read[1 0]"},
		{"overwritten", ""},
		{"overwrittenOnOne", "dies"},
		{"panics", ""},
		{"loop", "dies"},
		{"loopCarried", "dies read[0] read[1]"},
		{"method", "dies method[]"},
		{"nested", "dies read[1 1]"},
		{"nestedRead", "dies read[1]"},
		{"calledInPlace", "dies captured[1 0]"},
		{"calledBefore", "dies"},
		{"passedToCaller", "dies captured[0]"},
	}
	for _, tt := range tests {
		cs := copies.Find(function(t, pkg, tt.fn))
		if len(cs) != 1 {
			t.Errorf("%s: %d copies, want 1", tt.fn, len(cs))
			continue
		}
		c := cs[0]
		var w *copies.Access
		for _, a := range c.Accesses() {
			if a.Op == copies.Write && len(a.Path) > 0 {
				w = &a
				break
			}
		}
		if w == nil {
			t.Errorf("%s: no field write", tt.fn)
			continue
		}
		fate := c.After(w.Instr, w.Path)
		if got := render(fate); got != tt.want {
			t.Errorf("%s: After = %q, want %q", tt.fn, got, tt.want)
		}
	}
}

func TestLeaked(t *testing.T) {
	pkg, _, _ := build(t, flowSrc)
	for name, want := range map[string]bool{
		"unused":    false,
		"method":    false, // a method call is reported as such, not a leak
		"leaked":    true,
		"closure":   true,
		"fieldAddr": true, // another field's address counts for the whole copy
		// A closure that only reads the copy while a call runs is a read
		// there; one that writes it, runs later or is passed on is a leak.
		"calledInPlace":  false,
		"passedToCaller": false,
		"passedOn":       true,
		"writesInside":   true,
		"deferred":       true,
	} {
		cs := copies.Find(function(t, pkg, name))
		if len(cs) != 1 {
			t.Errorf("%s: %d copies", name, len(cs))
			continue
		}
		if got := cs[0].Leaked(); got != want {
			t.Errorf("%s: Leaked = %v, want %v", name, got, want)
		}
	}
}

func render(f copies.Fate) string {
	var parts []string
	if f.Dies {
		parts = append(parts, "dies")
	}
	var later []string
	for _, a := range f.Later {
		op := map[copies.Op]string{copies.Read: "read", copies.Write: "write", copies.Method: "method", copies.Leak: "leak", copies.Captured: "captured"}[a.Op]
		later = append(later, op+fmtPath(a.Path))
	}
	sort.Strings(later)
	later = slices.Compact(later)
	return strings.Join(append(parts, later...), " ")
}

func fmtPath(p fieldpath.Path) string {
	var s []string
	for _, i := range p {
		s = append(s, string(rune('0'+i)))
	}
	return "[" + strings.Join(s, " ") + "]"
}
