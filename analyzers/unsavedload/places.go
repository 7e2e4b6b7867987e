package unsavedload

import (
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

// A place names a sync.Map, or a pointer or struct on the way to one, by
// where it is reached from: a package-level variable, or a parameter of the
// function being summarised (its free variables count as parameters after
// the real ones). The path is a sequence of steps from the root's address:
// "*" loads the pointer stored there, ".N" takes the address of field N.
type place struct {
	global *ssa.Global // nil when rooted at a parameter
	param  int
	path   string
}

func (p place) add(path string) place {
	p.path += path
	return p
}

// within reports whether p is q or a step on the way to q.
func (p place) within(q place) bool {
	if p.global != q.global || (p.global == nil && p.param != q.param) {
		return false
	}
	if !strings.HasPrefix(q.path, p.path) {
		return false
	}
	rest := q.path[len(p.path):]
	return rest == "" || rest[0] == '*' || rest[0] == '.'
}

// A candidate is a sync.Map the check can judge: a package-level variable
// of the package, or reached from one through struct fields and pointers.
// Only variables no other package can name qualify (unexported ones, or any
// in package main).
type candidate struct {
	place place
	name  string     // as the source spells it: "cache", "store.sessions"
	steps []pathStep // one per step of place.path
}

type pathStep struct {
	field *types.Var // nil for "*"
}

// candidates lists the sync.Maps reached from the package-level variables
// of pkg that only this package can name.
func candidates(pkg *ssa.Package, isMain bool) []*candidate {
	var out []*candidate
	scope := pkg.Pkg.Scope()
	for _, name := range scope.Names() {
		v, ok := scope.Lookup(name).(*types.Var)
		if !ok || (v.Exported() && !isMain) {
			continue
		}
		g := pkg.Var(name)
		if g == nil {
			continue
		}
		w := &typeWalk{global: g, seen: make(map[types.Type]bool)}
		w.walk(v.Type(), "", name, nil, 0)
		out = append(out, w.found...)
	}
	return out
}

type typeWalk struct {
	global *ssa.Global
	seen   map[types.Type]bool
	found  []*candidate
}

// maxPathDepth bounds the steps (fields, pointer loads) from a package-level
// variable to a sync.Map the check follows; resolve, which also steps
// through conversions and φ-nodes, may take twice as many.
const maxPathDepth = 6

// maxCandidates bounds how many sync.Maps one package-level variable can
// hold for the check to judge them.
const maxCandidates = 32

func (w *typeWalk) walk(t types.Type, path, name string, steps []pathStep, depth int) {
	if depth > maxPathDepth || len(w.found) > maxCandidates {
		return
	}
	if code.IsNamed(t, "sync", "Map") {
		w.found = append(w.found, &candidate{
			place: place{global: w.global, path: path},
			name:  name,
			steps: append([]pathStep(nil), steps...),
		})
		return
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		if w.seen[n] {
			return // a recursive type: its maps are not one place
		}
		w.seen[n] = true
		defer delete(w.seen, n)
	}
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		w.walk(u.Elem(), path+"*", name, append(steps, pathStep{}), depth+1)
	case *types.Struct:
		for i := range u.NumFields() {
			f := u.Field(i)
			fname := name + "." + f.Name()
			if f.Embedded() && code.IsNamed(f.Type(), "sync", "Map") {
				fname = name // quotas.Store(...) reads as quotas
			}
			w.walk(f.Type(), path+"."+strconv.Itoa(i), fname, append(steps, pathStep{field: f}), depth+1)
		}
	}
}

// reachesSyncMap reports whether a sync.Map is held in t or reached from it
// through pointers and struct fields.
func reachesSyncMap(t types.Type) bool {
	return reaches(t, 0, make(map[types.Type]bool))
}

func reaches(t types.Type, depth int, seen map[types.Type]bool) bool {
	if depth > maxPathDepth {
		return false
	}
	if code.IsNamed(t, "sync", "Map") {
		return true
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		if seen[n] {
			return false
		}
		seen[n] = true
	}
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return reaches(u.Elem(), depth+1, seen)
	case *types.Struct:
		for i := range u.NumFields() {
			if reaches(u.Field(i).Type(), depth+1, seen) {
				return true
			}
		}
	}
	return false
}

// pointsToSyncMapHolder reports whether v is an address through which a
// sync.Map can be reached: the only values worth naming as places. The
// answer is kept by type: the summaries ask for every pointer operand of
// every instruction, and walking the fields of a large struct (a server's
// state) each time was most of their cost.
func (c *checker) pointsToSyncMapHolder(v ssa.Value) bool {
	p, ok := v.Type().Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	t := p.Elem()
	holds, known := c.holders[t]
	if !known {
		holds = reachesSyncMap(t)
		c.holders[t] = holds
	}
	return holds
}

// resolve names the place v is the address of, in fn: a candidate global,
// a parameter or free variable of fn, or a field or loaded pointer of one.
func (c *checker) resolve(fn *ssa.Function, v ssa.Value) (place, bool) {
	return c.resolveDepth(fn, v, 0)
}

func (c *checker) resolveDepth(fn *ssa.Function, v ssa.Value, depth int) (place, bool) {
	if depth > 2*maxPathDepth {
		return place{}, false
	}
	switch x := v.(type) {
	case *ssa.Global:
		if c.globals[x] {
			return place{global: x}, true
		}
	case *ssa.Parameter:
		if c.pointsToSyncMapHolder(x) {
			for i, p := range fn.Params {
				if p == x {
					return place{param: i}, true
				}
			}
		}
	case *ssa.FreeVar:
		if c.pointsToSyncMapHolder(x) {
			for i, fv := range fn.FreeVars {
				if fv == x {
					return place{param: len(fn.Params) + i}, true
				}
			}
		}
	case *ssa.FieldAddr:
		if p, ok := c.resolveDepth(fn, x.X, depth+1); ok {
			return p.add("." + strconv.Itoa(x.Field)), true
		}
	case *ssa.UnOp:
		if x.Op == token.MUL && code.IsPointer(x.Type()) {
			if p, ok := c.resolveDepth(fn, x.X, depth+1); ok {
				return p.add("*"), true
			}
		}
	case *ssa.Alloc:
		// A local variable (captured by a closure) holding a pointer
		// loaded from a place stands for that place: loading it loads
		// the same pointer.
		var q place
		n := 0
		for _, r := range code.Referrers(x) {
			st, ok := r.(*ssa.Store)
			if !ok || st.Addr != x {
				continue
			}
			p, ok := c.resolveDepth(fn, st.Val, depth+1)
			if !ok || !strings.HasSuffix(p.path, "*") || (n > 0 && p != q) {
				return place{}, false
			}
			q, n = p, n+1
		}
		if n == 0 {
			return place{}, false
		}
		q.path = strings.TrimSuffix(q.path, "*")
		return q, true
	case *ssa.Phi:
		// Loads of the same variable on both branches.
		var first place
		for i, e := range x.Edges {
			p, ok := c.resolveDepth(fn, e, depth+1)
			if !ok || (i > 0 && p != first) {
				return place{}, false
			}
			first = p
		}
		return first, len(x.Edges) > 0
	}
	return place{}, false
}
