package maprace

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/checkdoc"
	"github.com/mapguard/mapguard/internal/analysis/lazyssa"
	"github.com/mapguard/mapguard/internal/run/guard"
)

//go:embed doc.go
var doc string

// Analyzer reports plain maps written from concurrent code without a lock,
// which crashes with "concurrent map writes".
// The users' text is in doc.go, printed by `mapguard explain maprace`.
var Analyzer = &analysis.Analyzer{
	Name:     "maprace",
	Doc:      checkdoc.Extract(doc, "maprace"),
	URL:      checkdoc.URL("maprace"),
	Requires: []*analysis.Analyzer{lazyssa.Analyzer, factsAnalyzer},
	Run:      guard.Run(run),
}

// Bounds on the walk from each concurrent context through the package's
// calls: deeper or wider code is left alone (silence, not a guess).
const (
	maxCallDepth = 6   // calls followed from the context's function
	maxVisits    = 400 // functions walked from one context
	maxDepth     = 12  // steps of resolve, from a value to the map it denotes
)

type checker struct {
	pass    *analysis.Pass
	writers writers
	funcs   map[*types.Func]*ssa.Function // source functions built, by object
	roots   []*root
	access  []*access
	reports map[token.Pos]bool // writes already reported
}

func run(pass *analysis.Pass) (any, error) {
	ws := pass.ResultOf[factsAnalyzer].(writers)
	keep := candidates(pass, ws)
	if keep == nil {
		return nil, nil
	}
	funcs := pass.ResultOf[lazyssa.Analyzer].(*lazyssa.SSA).Partial(func(fd *ast.FuncDecl) bool { return keep[fd] })
	c := &checker{pass: pass, writers: ws, funcs: make(map[*types.Func]*ssa.Function), reports: make(map[token.Pos]bool)}
	for _, fn := range funcs {
		if obj, ok := fn.Object().(*types.Func); ok {
			c.funcs[obj] = fn
		}
	}
	c.findRoots(funcs)
	if len(c.roots) == 0 {
		return nil, nil
	}
	for _, r := range c.roots {
		c.walkRoot(r)
	}
	c.findOuterAccesses()
	c.pairUp()
	return nil, nil
}

// pairUp reports each unguarded write that can run at the same time as
// another access to the same map: itself in another instance of its
// context, or an access of another context.
func (c *checker) pairUp() {
	byKey := make(map[string][]*access)
	for _, a := range c.access {
		byKey[a.key] = append(byKey[a.key], a)
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		list := byKey[k]
		sort.SliceStable(list, func(i, j int) bool { return list[i].instr.Pos() < list[j].instr.Pos() })
		for _, w := range list {
			if !w.write || c.reports[w.instr.Pos()] {
				continue
			}
			if w.root != nil && w.root.multi(w) && !guarded(w, w) {
				c.reportSelf(w)
				continue
			}
			for _, other := range list {
				if other == w || !c.concurrent(w, other) || guarded(w, other) {
					continue
				}
				c.reportPair(w, other)
				break
			}
		}
	}
}

// concurrent reports whether accesses a and b, of different contexts (or
// of a goroutine and the code that started it), can run at the same time.
func (c *checker) concurrent(a, b *access) bool {
	switch {
	case a.outer && b.outer:
		return false
	case a.outer:
		return b.root.site == a.after
	case b.outer:
		return a.root.site == b.after
	case a.root == b.root:
		return false // covered by multi
	case a.root.kind == subtest || b.root.kind == subtest:
		// Parallel subtests run together once their parent returns.
		return a.root.kind == b.root.kind && a.root.site.Parent() == b.root.site.Parent()
	case a.root.served() && b.root.served():
		return true
	case a.root.served():
		return !c.inTest(b.root.pos) // a test's goroutine need not meet a server
	case b.root.served():
		return !c.inTest(a.root.pos)
	}
	// Two goroutines: started by the same function, one start leading to
	// the other without waiting in between.
	sa, sb := a.root.site, b.root.site
	return sa != nil && sb != nil && sa.Parent() == sb.Parent() &&
		(syncFree(sa, sb) || syncFree(sb, sa))
}

// findOuterAccesses records the accesses of each function that starts a
// goroutine, made after the start with nothing waiting in between, to maps
// the goroutine shares with it.
func (c *checker) findOuterAccesses() {
	seen := make(map[*ssa.Function]bool)
	for _, r := range c.roots {
		if r.served() || r.kind == subtest || r.site == nil || seen[r.site.Parent()] {
			continue
		}
		fn := r.site.Parent()
		seen[fn] = true
		f := &frame{fn: fn, outer: true}
		sites := c.startsIn(fn)
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				for _, op := range mapOps(instr) {
					key, ok := c.resolve(f, op.m, 0)
					if !ok {
						continue
					}
					for _, site := range sites {
						if syncFree(site, instr) {
							c.access = append(c.access, &access{
								instr: instr, write: op.write, key: key.key, desc: key.desc,
								locks: c.locksAt(f, instr), outer: true, after: site, fn: fn,
							})
						}
					}
				}
			}
		}
	}
}

// startsIn returns the instructions of fn that start goroutine contexts.
func (c *checker) startsIn(fn *ssa.Function) []ssa.Instruction {
	var out []ssa.Instruction
	for _, r := range c.roots {
		if !r.served() && r.kind != subtest && r.site != nil && r.site.Parent() == fn {
			out = append(out, r.site)
		}
	}
	return out
}
