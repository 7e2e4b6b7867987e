package mapcopy

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/budget"
	"github.com/mapguard/mapguard/internal/analysis/checkdoc"
	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/copies"
	"github.com/mapguard/mapguard/internal/analysis/fieldpath"
	"github.com/mapguard/mapguard/internal/analysis/lazyssa"
	"github.com/mapguard/mapguard/internal/analysis/limits"
	"github.com/mapguard/mapguard/internal/analysis/mutators"
	"github.com/mapguard/mapguard/internal/run/guard"
)

//go:embed doc.go
var doc string

// Analyzer reports map fields of a struct that are assigned or written
// through a copy of the struct.
// The users' text is in doc.go, printed by `mapguard explain mapcopy`.
var Analyzer = &analysis.Analyzer{
	Name:     "mapcopy",
	Doc:      checkdoc.Extract(doc, "mapcopy"),
	URL:      checkdoc.URL("mapcopy"),
	Requires: []*analysis.Analyzer{lazyssa.Analyzer, mutators.Analyzer},
	Run:      guard.Run(run),
}

type checker struct {
	pass     *analysis.Pass
	pkg      *ssa.Package
	funcs    []*ssa.Function
	methods  *mutators.Methods
	reported map[token.Position]bool // lines already reported
	fixed    map[ast.Node]bool       // declarations already given a fix
	cloned   map[cloneKey]bool       // function bodies and fields already given a clone fix
}

func run(pass *analysis.Pass) (any, error) {
	if !relevant(pass) {
		return nil, nil
	}
	pkg, funcs := pass.ResultOf[lazyssa.Analyzer].(*lazyssa.SSA).Get()
	c := &checker{
		pass:     pass,
		pkg:      pkg,
		funcs:    funcs,
		methods:  pass.ResultOf[mutators.Analyzer].(*mutators.Methods),
		reported: make(map[token.Position]bool),
		fixed:    make(map[ast.Node]bool),
		cloned:   make(map[cloneKey]bool),
	}
	for fn, u := range budget.Funcs(pass, funcs) {
		for _, cp := range copies.Find(fn) {
			if u.Exceeded() {
				break
			}
			c.checkAssignments(fn, cp)
			c.checkSharedWrites(fn, cp)
		}
	}
	return nil, nil
}

// relevant reports whether the package assigns to a map-typed field or
// writes into one: the only statements this check can report.
func relevant(pass *analysis.Pass) bool {
	var candidates map[types.Object]bool // computed on first need
	isMapField := func(e ast.Expr) bool {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			return false
		}
		_, isMap := pass.TypesInfo.TypeOf(sel).Underlying().(*types.Map)
		if !isMap || pass.TypesInfo.Selections[sel] == nil {
			return false
		}
		id := copies.RootIdent(sel)
		if id == nil {
			return false
		}
		if candidates == nil {
			candidates = copies.Candidates(pass.TypesInfo, pass.Files)
		}
		return candidates[pass.TypesInfo.ObjectOf(id)]
	}
	found := false
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if found {
				return false
			}
			switch n := n.(type) {
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					if ix, ok := l.(*ast.IndexExpr); ok {
						l = ix.X
					}
					found = found || isMapField(l)
				}
			case *ast.CallExpr:
				if id, ok := n.Fun.(*ast.Ident); ok && (id.Name == "delete" || id.Name == "clear") && len(n.Args) > 0 {
					found = isMapField(n.Args[0])
				}
			case *ast.IncDecStmt:
				if ix, ok := n.X.(*ast.IndexExpr); ok {
					found = isMapField(ix.X)
				}
			}
			return !found
		})
	}
	return found
}

// checkAssignments reports assignments to a map-typed field of the copy
// that nothing after them can observe.
func (c *checker) checkAssignments(fn *ssa.Function, cp *copies.Copy) {
	for _, a := range cp.Accesses() {
		if a.Op != copies.Write || len(a.Path) == 0 || !code.IsMap(cp.TypeOf(a.Path)) {
			continue
		}
		if cp.Leaked() || cp.KeptByMethod(c.methods) {
			continue
		}
		if cp.ReleasesAfterUse(a) && !swappedOut(cp, a.Path, a) {
			continue
		}
		fate := cp.After(a.Instr, a.Path)
		if !fate.Dies {
			continue
		}
		use := c.usesAfter(cp, a.Path, fate.Later)
		switch {
		case use.escapes:
		case use.writes && use.reads && !nilGuarded(cp, a):
			// The new map is filled and read here: a scratch map.
		case use.reads && !use.writes:
		default:
			c.reportAssignment(fn, cp, a, use.writes)
		}
	}
}

// A mapUse sums up what happens to a map value.
type mapUse struct {
	writes  bool // entries are stored or deleted
	reads   bool // entries are read, counted or ranged over
	escapes bool // the map or the copy holding it flows on
}

// usesAfter classifies the accesses to the copy that follow an assignment
// to its map field p.
func (c *checker) usesAfter(cp *copies.Copy, p fieldpath.Path, later []copies.Access) mapUse {
	var use mapUse
	for _, a := range later {
		if !fieldpath.Overlap(a.Path, p) {
			continue
		}
		switch {
		case a.Op == copies.Read && fieldpath.Equal(a.Path, p):
			u := mapValueUse(cp, p, a.Instr.(*ssa.UnOp))
			use.writes = use.writes || u.writes
			use.reads = use.reads || u.reads
			use.escapes = use.escapes || u.escapes
		case a.Op == copies.Write:
			// another part of an enclosing value: harmless
		default:
			use.escapes = true // the copy, or a part holding the map, is read or used
		}
	}
	return use
}

// mapValueUse classifies the uses of m, a load of the map field p of cp.
func mapValueUse(cp *copies.Copy, p fieldpath.Path, m *ssa.UnOp) mapUse {
	var use mapUse
	for _, r := range code.Referrers(m) {
		switch r := r.(type) {
		case *ssa.MapUpdate:
			if r.Map == m && r.Key != m && r.Value != m {
				use.writes = true
				continue
			}
		case *ssa.Lookup:
			if r.X == m && r.Index != m {
				if !incrementsOnly(cp, p, r) {
					use.reads = true
				}
				continue
			}
		case *ssa.BinOp:
			if isNilCompare(r) {
				continue
			}
		case *ssa.Range:
			use.reads = true
			continue
		case *ssa.Call:
			if w, ok := builtinMapOp(r.Common(), m); ok {
				use.writes = use.writes || w
				use.reads = use.reads || !w
				continue
			}
		case *ssa.DebugRef:
			continue
		}
		use.escapes = true
	}
	return use
}

// builtinMapOp classifies a call that only works on the entries of m:
// delete, clear and maps.Copy write (true); len reads (false).
func builtinMapOp(call *ssa.CallCommon, m ssa.Value) (writes, ok bool) {
	if b, isBuiltin := call.Value.(*ssa.Builtin); isBuiltin && len(call.Args) > 0 && call.Args[0] == m {
		for _, arg := range call.Args[1:] {
			if arg == m {
				return false, false
			}
		}
		switch b.Name() {
		case "delete", "clear":
			return true, true
		case "len":
			return false, true
		}
		return false, false
	}
	if code.FuncName(call) == "maps.Copy" && len(call.Args) == 2 && call.Args[0] == m && call.Args[1] != m {
		return true, true
	}
	return false, false
}

// incrementsOnly reports whether the lookup l only feeds a store back into
// the same entry of a map loaded from the same field: m[k]++, m[k] += n.
func incrementsOnly(cp *copies.Copy, p fieldpath.Path, l *ssa.Lookup) bool {
	if l.CommaOk {
		return false
	}
	seen := 0
	var follow func(v ssa.Value) bool
	follow = func(v ssa.Value) bool {
		seen++
		if seen > limits.FeedSteps {
			return false
		}
		for _, r := range code.Referrers(v) {
			switch r := r.(type) {
			case *ssa.BinOp:
				if !follow(r) {
					return false
				}
			case *ssa.UnOp:
				if r.Op == token.MUL || r.Op == token.ARROW || !follow(r) {
					return false
				}
			case *ssa.Convert:
				if !follow(r) {
					return false
				}
			case *ssa.MapUpdate:
				if r.Key != l.Index || r.Value != v || !loadsField(cp, p, r.Map) {
					return false
				}
			default:
				return false
			}
		}
		return true
	}
	return follow(l)
}

// loadsField reports whether v is a load of the part p of cp.
func loadsField(cp *copies.Copy, p fieldpath.Path, v ssa.Value) bool {
	instr, ok := v.(ssa.Instruction)
	if !ok {
		return false
	}
	for _, a := range cp.Accesses() {
		if a.Instr == instr && a.Op == copies.Read && fieldpath.Equal(a.Path, p) {
			return true
		}
	}
	return false
}

func isNilCompare(b *ssa.BinOp) bool {
	if b.Op != token.EQL && b.Op != token.NEQ {
		return false
	}
	for _, v := range []ssa.Value{b.X, b.Y} {
		if k, ok := v.(*ssa.Const); ok && k.IsNil() {
			return true
		}
	}
	return false
}

// nilGuarded reports whether the write w runs only when the field it
// assigns was nil: if c.m == nil { c.m = make(...) }.
func nilGuarded(cp *copies.Copy, w copies.Access) bool {
	b := w.Instr.Block()
	for dom := b.Idom(); dom != nil; b, dom = dom, dom.Idom() {
		if len(dom.Instrs) == 0 {
			continue
		}
		ifInstr, ok := dom.Instrs[len(dom.Instrs)-1].(*ssa.If)
		if !ok || len(dom.Succs) != 2 {
			continue
		}
		cmp, ok := ifInstr.Cond.(*ssa.BinOp)
		if !ok || !isNilCompare(cmp) {
			continue
		}
		loaded := cmp.X
		if _, isConst := loaded.(*ssa.Const); isConst {
			loaded = cmp.Y
		}
		if !loadsField(cp, w.Path, loaded) {
			continue
		}
		then := dom.Succs[0]
		if cmp.Op == token.NEQ {
			then = dom.Succs[1]
		}
		if then.Dominates(w.Instr.Block()) && then.Preds[0] == dom && len(then.Preds) == 1 {
			return true
		}
	}
	return false
}

// swappedOut reports whether the old value of the map field p was loaded
// before the write w and is returned: old := s.m; s.m = make(...); return old.
func swappedOut(cp *copies.Copy, p fieldpath.Path, w copies.Access) bool {
	for _, a := range cp.Accesses() {
		if a.Op != copies.Read || !fieldpath.Equal(a.Path, p) || !code.Precedes(a.Instr, w.Instr) {
			continue
		}
		for _, r := range code.Referrers(a.Instr.(ssa.Value)) {
			if _, ok := r.(*ssa.Return); ok {
				return true
			}
		}
	}
	return false
}

// checkSharedWrites reports writes into a map field of a by-value receiver
// or parameter in a function that returns the copy: the returned value and
// the caller's share the map.
func (c *checker) checkSharedWrites(fn *ssa.Function, cp *copies.Copy) {
	if cp.Kind != copies.Receiver && cp.Kind != copies.Param {
		return
	}
	for _, a := range cp.Accesses() {
		if a.Op != copies.Read || len(a.Path) == 0 || !code.IsMap(cp.TypeOf(a.Path)) {
			continue
		}
		if !c.stillShared(cp, a) {
			continue
		}
		for _, r := range code.Referrers(a.Instr.(ssa.Value)) {
			if !writesInto(r, a.Instr.(ssa.Value)) {
				continue
			}
			if !returnedAfter(cp, r) {
				continue
			}
			c.reportShared(fn, cp, a.Path, r)
		}
	}
}

// stillShared reports whether the map loaded by the read r may still be
// the caller's: on some path from the copy's start to r, the field was not
// assigned.
func (c *checker) stillShared(cp *copies.Copy, r copies.Access) bool {
	fate := cp.After(cp.Init, r.Path)
	for _, a := range fate.Later {
		if a.Instr == r.Instr {
			return true
		}
	}
	return false
}

func writesInto(instr ssa.Instruction, m ssa.Value) bool {
	switch r := instr.(type) {
	case *ssa.MapUpdate:
		return r.Map == m
	case *ssa.Call:
		w, ok := builtinMapOp(r.Common(), m)
		return ok && w
	}
	return false
}

// returnedAfter reports whether the whole copy is returned after instr.
func returnedAfter(cp *copies.Copy, instr ssa.Instruction) bool {
	for _, a := range cp.After(instr, nil).Later {
		if a.Op != copies.Read || len(a.Path) != 0 {
			continue
		}
		for _, r := range code.Referrers(a.Instr.(ssa.Value)) {
			if _, ok := r.(*ssa.Return); ok {
				return true
			}
		}
	}
	return false
}
