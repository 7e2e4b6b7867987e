// Package mutators tells which pointer-receiver methods write to their
// receiver's own memory (a field, a field of a struct field, an array
// element, the whole *r) without letting the receiver escape. Calling such a
// method on a copy of a struct updates only the copy: lostwrite reports it
// when the copy is dropped afterwards.
//
// The summary is syntactic (no SSA), so that it stays cheap on every
// dependency: facts make go vet run this analyzer on the standard library
// too. Only exported methods that mutate get a fact.
package mutators

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

// Analyzer computes the summaries of the package's pointer methods.
var Analyzer = &analysis.Analyzer{
	Name:       "mutators",
	Doc:        "mutators: which pointer-receiver methods assign to their receiver's memory without letting it escape",
	Run:        run,
	ResultType: reflect.TypeFor[*Methods](),
	FactTypes:  []analysis.Fact{new(mutatingMethods), new(Mutates)}, // Mutates: tests only
}

// Mutates is the fact that an exported pointer method assigns to its
// receiver's own memory and does not let the receiver escape. It is
// exported only in tests (factsForTests); the check reads mutatingMethods.
type Mutates struct{}

func (*Mutates) AFact()         {}
func (*Mutates) String() string { return "mutates" }

// mutatingMethods is the fact of a named type listing its exported methods
// that have Mutates, sorted. One fact per type rather than one per method:
// x/tools passes every imported method's and type's object facts on in each
// importer's facts file, and on k8s.io/apiserver that was 680,000 decoded
// copies of Mutates.
type mutatingMethods struct{ Names []string }

func (*mutatingMethods) AFact() {}
func (f *mutatingMethods) String() string {
	return "mutating " + strings.Join(f.Names, " ")
}

// factsForTests makes the analyzer also export Mutates on each method, for
// analysistest's want comments.
var factsForTests = false

// receiverType returns the type name of a method's receiver, or nil.
func receiverType(fn *types.Func) *types.TypeName {
	if n := code.ReceiverNamed(fn); n != nil {
		return n.Obj()
	}
	return nil
}

// Methods answers questions about methods, of this package from their
// syntax and of other packages from facts.
type Methods struct {
	pass  *analysis.Pass
	local map[*types.Func]*summary
}

type summary struct {
	mutates, leaks bool
	// calls are the pointer methods called on the receiver or on a part of
	// its own memory: their effects are the caller's too.
	calls []*types.Func
}

// Mutates reports whether calling fn, a method with a pointer receiver,
// assigns to the memory its receiver points to, and the receiver does not
// escape the call.
func (m *Methods) Mutates(fn *types.Func) bool {
	fn = fn.Origin()
	if s := m.local[fn]; s != nil {
		return s.mutates && !s.leaks
	}
	if fn.Pkg() == nil || fn.Pkg() == m.pass.Pkg {
		return false
	}
	tn := receiverType(fn)
	var f mutatingMethods
	if tn == nil || !m.pass.ImportObjectFact(tn, &f) {
		return false
	}
	_, found := slices.BinarySearch(f.Names, fn.Name())
	return found
}

// Leaks reports whether fn, a method of this package with a pointer
// receiver, may let its receiver escape: store it, return it, pass it on,
// capture it in a closure or take the address of a part of it. Methods of
// other packages are assumed not to.
func (m *Methods) Leaks(fn *types.Func) bool {
	if s := m.local[fn.Origin()]; s != nil {
		return s.leaks
	}
	return false
}

func run(pass *analysis.Pass) (any, error) {
	m := &Methods{pass: pass, local: make(map[*types.Func]*summary)}
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || fd.Body == nil || len(fd.Recv.List) != 1 {
				continue
			}
			fn, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if fn == nil || !code.HasPointerReceiver(fn) {
				continue
			}
			m.local[fn] = summarize(pass.TypesInfo, fd)
		}
	}
	m.propagate()
	byType := make(map[*types.TypeName][]string)
	for fn, s := range m.local {
		if s.mutates && !s.leaks && fn.Exported() {
			if tn := receiverType(fn); tn != nil {
				byType[tn] = append(byType[tn], fn.Name())
			}
			if factsForTests {
				pass.ExportObjectFact(fn, new(Mutates))
			}
		}
	}
	for tn, names := range byType {
		slices.Sort(names)
		pass.ExportObjectFact(tn, &mutatingMethods{Names: names})
	}
	return m, nil
}

// propagate gives each method the effects of the methods it calls on its
// receiver, to a fixed point.
func (m *Methods) propagate() {
	for changed := true; changed; {
		changed = false
		for _, s := range m.local {
			for _, callee := range s.calls {
				mut, leak := m.effects(callee)
				if mut && !s.mutates {
					s.mutates, changed = true, true
				}
				if leak && !s.leaks {
					s.leaks, changed = true, true
				}
			}
		}
	}
}

func (m *Methods) effects(fn *types.Func) (mutates, leaks bool) {
	fn = fn.Origin()
	if s := m.local[fn]; s != nil {
		return s.mutates, s.leaks
	}
	return m.Mutates(fn), false
}

// summarize reads the body of a pointer method.
func summarize(info *types.Info, fd *ast.FuncDecl) *summary {
	s := new(summary)
	names := fd.Recv.List[0].Names
	if len(names) != 1 || names[0].Name == "_" {
		return s // the receiver is never used
	}
	recv := info.Defs[names[0]]
	if recv == nil {
		s.leaks = true
		return s
	}
	var stack []ast.Node
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == recv {
			s.use(info, stack)
		}
		return true
	})
	return s
}

// use classifies one use of the receiver; stack ends with its identifier.
func (s *summary) use(info *types.Info, stack []ast.Node) {
	for _, n := range stack {
		if _, ok := n.(*ast.FuncLit); ok {
			s.leaks = true // a closure may keep the receiver
			return
		}
	}
	// Climb the selections and array indexes that stay in the receiver's
	// own memory.
	i := len(stack) - 1
	e := stack[i].(ast.Expr)
	own := false // e denotes the receiver's memory rather than the pointer
	for i > 0 {
		parent := stack[i-1]
		switch p := parent.(type) {
		case *ast.ParenExpr:
			e, i = p, i-1
			continue
		case *ast.StarExpr:
			if !own {
				e, own, i = p, true, i-1
				continue
			}
		case *ast.SelectorExpr:
			sel := info.Selections[p]
			if p.X != e || sel == nil {
				break
			}
			if sel.Kind() == types.MethodVal {
				// The method works on the receiver's memory when it is
				// called on the receiver pointer itself or on a value
				// part of it, not through a pointer field.
				te := info.TypeOf(e)
				if own != code.IsPointer(te) && embedsNoPointer(te, sel) {
					s.method(stack, i-1, sel)
				}
				return
			}
			if sel.Kind() != types.FieldVal || !staysInMemory(info.TypeOf(e), sel, own) {
				break
			}
			e, own, i = p, true, i-1
			continue
		case *ast.IndexExpr:
			if p.X == e && own && isArray(info.TypeOf(e)) {
				e, i = p, i-1
				continue
			}
		}
		break
	}
	if i == 0 {
		return
	}
	switch p := stack[i-1].(type) {
	case *ast.AssignStmt:
		for _, l := range p.Lhs {
			if l == e {
				if own {
					s.mutates = true
				} else {
					s.leaks = true // r = other: harmless, but rare; stay safe
				}
				return
			}
		}
		if !own {
			s.leaks = true // x := r
		}
	case *ast.IncDecStmt:
		if own {
			s.mutates = true
		}
	case *ast.RangeStmt:
		if (p.Key == e || p.Value == e) && p.Tok == token.ASSIGN && own {
			s.mutates = true
		}
	case *ast.UnaryExpr:
		if p.Op == token.AND {
			s.leaks = true // &r.f may be kept
		}
	case *ast.BinaryExpr:
		if !own && p.Op != token.EQL && p.Op != token.NEQ {
			s.leaks = true
		}
	case *ast.SelectorExpr, *ast.IndexExpr, *ast.SliceExpr, *ast.StarExpr, *ast.TypeAssertExpr:
		// a read through a pointer, slice or map held in the receiver
		if !own {
			s.leaks = true
		}
	default:
		if !own {
			s.leaks = true // returned, passed, stored, sent, converted
		}
	}
}

// method records the call of a method on a part of the receiver (or on the
// receiver): stack[i] is the selector r.f.M.
func (s *summary) method(stack []ast.Node, i int, sel *types.Selection) {
	fn, _ := sel.Obj().(*types.Func)
	if fn == nil || !code.HasPointerReceiver(fn) {
		return // a value method works on a copy of its own
	}
	if i == 0 {
		s.leaks = true
		return
	}
	call, ok := stack[i-1].(*ast.CallExpr)
	if !ok || astutil.Unparen(call.Fun) != stack[i] {
		s.leaks = true // a method value keeps the receiver
		return
	}
	s.calls = append(s.calls, fn)
}

// staysInMemory reports whether selecting sel from a value of type t reads
// memory of that value (true) rather than memory reached through a pointer.
func staysInMemory(t types.Type, sel *types.Selection, own bool) bool {
	idx := sel.Index()
	cur := t
	if p, ok := cur.Underlying().(*types.Pointer); ok {
		if own {
			return false // a pointer field: the memory is elsewhere
		}
		cur = p.Elem()
	}
	for k, fi := range idx {
		st, ok := cur.Underlying().(*types.Struct)
		if !ok || fi >= st.NumFields() {
			return false
		}
		cur = st.Field(fi).Type()
		if k < len(idx)-1 && code.IsPointer(cur) {
			return false // promoted through an embedded pointer
		}
	}
	return true
}

// embedsNoPointer reports whether the method selection sel on a value of
// type t is not promoted through an embedded pointer field.
func embedsNoPointer(t types.Type, sel *types.Selection) bool {
	idx := sel.Index()
	cur := t
	if p, ok := cur.Underlying().(*types.Pointer); ok {
		cur = p.Elem()
	}
	for _, fi := range idx[:len(idx)-1] {
		st, ok := cur.Underlying().(*types.Struct)
		if !ok || fi >= st.NumFields() {
			return false
		}
		cur = st.Field(fi).Type()
		if code.IsPointer(cur) {
			return false
		}
	}
	return true
}

func isArray(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Array)
	return ok
}
