package copies_test

import (
	"go/ast"
	"go/types"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/internal/analysis/copies"
	"github.com/mapguard/mapguard/internal/analysis/fieldpath"
)

const describeSrc = `package p

import "sync"

type T struct {
	N  int
	In struct{ A int }
}

func (t T) recv()                   { t.N = 1 }
func param(u T)                     { u.N = 1 }
func rng(tasks []T)                 { for _, t := range tasks { t.In.A = 1 } }
func rngKey(m map[string]T)         { for name, v := range m { v.N = 1; _ = name } }
func lookup(counts map[string]T, endpoint string) { v := counts[endpoint]; v.N++ }
func deref(p *T)                    { v := *p; v.N = 1 }
func syncMap(cache *sync.Map)       { x, _ := cache.Load("k"); st := x.(T); st.N = 1 }
`

func TestDescribe(t *testing.T) {
	pkg, f, _ := build(t, describeSrc)
	for name, want := range map[string][2]string{
		"recv":    {"value receiver t T", "the caller's N"},
		"param":   {"parameter u T", "the caller's N"},
		"rng":     {"range value t", "tasks[i].In.A"},
		"rngKey":  {"range value v", "m[name].N"},
		"lookup":  {"v, a copy of counts[endpoint]", "counts[endpoint].N"},
		"deref":   {"v, a copy of *p", "p.N"},
		"syncMap": {"st, a copy of the value loaded from cache", "the value stored in cache"},
	} {
		cs := copies.Find(function(t, pkg, name))
		if len(cs) != 1 {
			t.Errorf("%s: %d copies", name, len(cs))
			continue
		}
		c := cs[0]
		o := copies.FindOrigin([]*ast.File{f}, c)
		if o == nil {
			t.Errorf("%s: no origin", name)
			continue
		}
		var path fieldpath.Path
		for _, a := range c.Accesses() {
			if a.Op == copies.Write && len(a.Path) > len(path) {
				path = a.Path
			}
		}
		if got := o.Describe(c, func(*types.Package) string { return "" }); got != want[0] {
			t.Errorf("%s: Describe = %q, want %q", name, got, want[0])
		}
		if got := o.Original(c, path); got != want[1] {
			t.Errorf("%s: Original = %q, want %q", name, got, want[1])
		}
	}
}

const rewriteSrc = `package p

type T struct {
	Done bool
	N    int
}

func (t *T) bump() { t.N++ }

var i int // takes the first index name everywhere

func blank(tasks []T) {
	for _, t := range tasks {
		t.Done = true
		t.bump()
	}
}

func named(tasks []T) {
	for k, t := range tasks {
		t.N = k
	}
}

func shadow(tasks []T, j int) {
	for _, t := range tasks {
		t.N = i + j
	}
}

func ptrArray(p *[3]T) {
	for _, t := range p {
		t.Done = true
	}
}

func field(s struct{ tasks []T }) {
	for _, t := range s.tasks {
		t.Done = true
	}
}

func whole(tasks []T, out []T) {
	for _, t := range tasks {
		t.Done = true
		out = append(out, t)
	}
}

func closure(tasks []T) {
	for _, t := range tasks {
		func() { t.Done = true }()
	}
}

func reassigned(tasks []T) {
	for _, t := range tasks {
		t.Done = true
		tasks = nil
	}
}

func call(f func() []T) {
	for _, t := range f() {
		t.Done = true
	}
}

func overMap(m map[string]T) {
	for _, t := range m {
		t.Done = true
	}
}
`

func TestIndexRewrite(t *testing.T) {
	_, f, info := build(t, rewriteSrc)
	want := map[string]string{
		"blank":    "for j := range tasks {\n\t\ttasks[j].Done = true\n\t\ttasks[j].bump()\n\t}",
		"named":    "for k := range tasks {\n\t\ttasks[k].N = k\n\t}",
		"shadow":   "for k := range tasks {\n\t\ttasks[k].N = i + j\n\t}",
		"ptrArray": "for j := range p {\n\t\tp[j].Done = true\n\t}",
		"field":    "for j := range s.tasks {\n\t\ts.tasks[j].Done = true\n\t}",
	}
	declined := []string{"whole", "closure", "reassigned", "call", "overMap"}
	for _, decl := range f.Decls {
		fd, ok := decl.(*ast.FuncDecl)
		if !ok || fd.Body == nil || len(fd.Body.List) == 0 {
			continue
		}
		rng, ok := fd.Body.List[0].(*ast.RangeStmt)
		if !ok {
			continue
		}
		name := fd.Name.Name
		edits, ok := copies.IndexRewrite(info, rng)
		if slices.Contains(declined, name) {
			if ok {
				t.Errorf("%s: rewritten, want declined", name)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: declined", name)
			continue
		}
		got := apply(t, rewriteSrc, f, rng, edits)
		if got != want[name] {
			t.Errorf("%s:\n%s\nwant\n%s", name, got, want[name])
		}
	}
}

// apply applies edits to the source of rng.
func apply(t *testing.T, src string, f *ast.File, rng *ast.RangeStmt, edits []analysis.TextEdit) string {
	t.Helper()
	base := int(f.FileStart)
	start, end := int(rng.Pos())-base, int(rng.End())-base
	out := src[start:end]
	slices.SortFunc(edits, func(a, b analysis.TextEdit) int { return int(b.Pos) - int(a.Pos) })
	for _, e := range edits {
		s, en := int(e.Pos)-base-start, int(e.End)-base-start
		out = out[:s] + string(e.NewText) + out[en:]
	}
	return out
}
