package syncmarshal

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/budget"
	"github.com/mapguard/mapguard/internal/analysis/checkdoc"
	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/lazyssa"
	"github.com/mapguard/mapguard/internal/analysis/scope"
	"github.com/mapguard/mapguard/internal/analysis/wrappers"
	"github.com/mapguard/mapguard/internal/run/guard"
)

//go:embed doc.go
var doc string

// Analyzer reports values that encoding/json or encoding/xml encode as {}
// because their data is unexported.
// The users' text is in doc.go, printed by `mapguard explain syncmarshal`.
var Analyzer = &analysis.Analyzer{
	Name:      "syncmarshal",
	Doc:       checkdoc.Extract(doc, "syncmarshal"),
	URL:       checkdoc.URL("syncmarshal"),
	Requires:  []*analysis.Analyzer{lazyssa.Analyzer},
	FactTypes: []analysis.Fact{new(encodesParams), new(hasEncoders)},
	Run:       guard.Run(run),
}

// encodesParams is the fact that a function hands some of its parameters to
// an encoder, directly or through other such functions.
type encodesParams struct {
	Params []encodedParam
}

type encodedParam struct {
	Index  int    // index in the SSA parameters (receiver first)
	Format string // "json" or "xml"
	Sink   string // the encoder it ends in, for messages: "json.Marshal"
}

func (*encodesParams) AFact() {}

func (f *encodesParams) String() string {
	var parts []string
	for _, p := range f.Params {
		parts = append(parts, fmt.Sprintf("%d→%s", p.Index, p.Sink))
	}
	return "encodes(" + strings.Join(parts, ", ") + ")"
}

// hasEncoders is the package fact that a package exports functions carrying
// encodesParams; importers without it or an encoder import are skipped.
type hasEncoders struct{}

func (*hasEncoders) AFact()         {}
func (*hasEncoders) String() string { return "hasEncoders" }

// sinks are the encoder entry points, keyed by types.Func.FullName.
var sinks = map[string]encodedParam{
	"encoding/json.Marshal":                 {Index: 0, Format: "json", Sink: "json.Marshal"},
	"encoding/json.MarshalIndent":           {Index: 0, Format: "json", Sink: "json.MarshalIndent"},
	"(*encoding/json.Encoder).Encode":       {Index: 1, Format: "json", Sink: "json.Encoder.Encode"},
	"encoding/xml.Marshal":                  {Index: 0, Format: "xml", Sink: "xml.Marshal"},
	"encoding/xml.MarshalIndent":            {Index: 0, Format: "xml", Sink: "xml.MarshalIndent"},
	"(*encoding/xml.Encoder).Encode":        {Index: 1, Format: "xml", Sink: "xml.Encoder.Encode"},
	"(*encoding/xml.Encoder).EncodeElement": {Index: 1, Format: "xml", Sink: "xml.Encoder.EncodeElement"},
}

type checker struct {
	pass     *analysis.Pass
	budget   *budget.Func // of the function being checked
	encoders *wrappers.Facts[encodesParams, *encodesParams]
	calls    *code.Calls
	visited  map[visitKey]bool // types already walked without a val
}

func run(pass *analysis.Pass) (any, error) {
	if !relevant(pass) {
		return nil, nil
	}
	keep := encodingFuncs(pass)
	funcs := pass.ResultOf[lazyssa.Analyzer].(*lazyssa.SSA).Partial(func(fd *ast.FuncDecl) bool { return keep[fd] })
	c := &checker{pass: pass, encoders: wrappers.New[encodesParams](pass), calls: code.NewCalls(pass.Files)}
	c.findWrappers(funcs)
	c.encoders.Export(new(hasEncoders))
	if scope.FactsOnly() {
		return nil, nil // a dependency: its findings would be dropped
	}
	for fn, u := range budget.Funcs(pass, funcs) {
		c.budget = u
		c.checkFunc(fn)
	}
	return nil, nil
}

// relevant reports whether the package refers to an encoder or to a
// wrapper of one from another package: only then can it hold a finding or a
// wrapper, and only then is SSA worth building.
func relevant(pass *analysis.Pass) bool {
	if code.Imports(pass.Pkg, "encoding/json", "encoding/xml") {
		for _, obj := range pass.TypesInfo.Uses {
			if fn, ok := obj.(*types.Func); ok {
				if _, ok := sinks[fn.Origin().FullName()]; ok {
					return true
				}
			}
		}
	}
	return wrappers.Called[encodesParams](pass, new(hasEncoders))
}

// encodingFuncs returns the function declarations that refer to an encoder,
// to a wrapper from another package, or to one of these functions: the only
// ones that can be wrappers or call one, and so the only ones SSA is built
// for.
func encodingFuncs(pass *analysis.Pass) map[*ast.FuncDecl]bool {
	info := pass.TypesInfo
	decls := make(map[*types.Func]*ast.FuncDecl)
	uses := make(map[*ast.FuncDecl][]*types.Func)
	keep := make(map[*ast.FuncDecl]bool)
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			if obj, ok := info.Defs[fd.Name].(*types.Func); ok {
				decls[obj] = fd
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				id, ok := n.(*ast.Ident)
				if !ok {
					return true
				}
				fn, ok := info.Uses[id].(*types.Func)
				if !ok {
					return true
				}
				fn = fn.Origin()
				switch {
				case fn.Pkg() == pass.Pkg:
					uses[fd] = append(uses[fd], fn)
				case fn.Pkg() != nil:
					if _, ok := sinks[fn.FullName()]; ok || pass.ImportObjectFact(fn, new(encodesParams)) {
						keep[fd] = true
					}
				}
				return true
			})
		}
	}
	// Add the callers of kept functions, to a fixed point: wrappers of
	// wrappers, and the calls of local wrappers.
	for changed := true; changed; {
		changed = false
		for fd, called := range uses {
			if keep[fd] {
				continue
			}
			for _, fn := range called {
				if keep[decls[fn]] {
					keep[fd], changed = true, true
					break
				}
			}
		}
	}
	return keep
}

// sinksOf returns the encoded parameters of the function that call calls.
func (c *checker) sinksOf(call *ssa.CallCommon) []encodedParam {
	fn := code.Callee(call)
	if fn == nil {
		return nil
	}
	if f := c.encoders.Local[fn]; f != nil {
		return f.Params
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return nil
	}
	if s, ok := sinks[obj.FullName()]; ok {
		return []encodedParam{s}
	}
	if f := c.encoders.Imported(fn); f != nil {
		return f.Params
	}
	return nil
}

// findWrappers computes, to a fixed point, which functions of the package
// hand a parameter to an encoder or to another wrapper.
func (c *checker) findWrappers(funcs []*ssa.Function) {
	wrappers.Solve(funcs, func(fn *ssa.Function) bool {
		changed := false
		forEachCall(fn, func(call ssa.CallInstruction) {
			for _, s := range c.sinksOf(call.Common()) {
				args := call.Common().Args
				if s.Index >= len(args) {
					continue
				}
				i := openParam(fn, args[s.Index])
				if i < 0 {
					continue
				}
				if c.addEncoded(fn, encodedParam{Index: i, Format: s.Format, Sink: s.Sink}) {
					changed = true
				}
			}
		})
		return changed
	})
}

// addEncoded records that fn hands parameter p to an encoder, and reports
// whether that is news: the first such record for p's index and format.
func (c *checker) addEncoded(fn *ssa.Function, p encodedParam) bool {
	f := c.encoders.Add(fn)
	for _, q := range f.Params {
		if q.Index == p.Index && q.Format == p.Format {
			return false
		}
	}
	f.Params = append(f.Params, p)
	return true
}

// openParam returns the index of the parameter of fn that v is, looking
// through interface conversions, when the parameter's type leaves the dynamic
// type to the caller (an interface or a type parameter); otherwise -1.
func openParam(fn *ssa.Function, v ssa.Value) int {
	for {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		case *ssa.ChangeType: // a type parameter converted to an interface
			v = x.X
		default:
			return wrappers.OpenParam(fn, v, func(t types.Type) bool {
				return types.IsInterface(t) || code.HasTypeParam(t)
			})
		}
	}
}

func forEachCall(fn *ssa.Function, f func(ssa.CallInstruction)) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(ssa.CallInstruction); ok {
				f(call)
			}
		}
	}
}

func (c *checker) checkFunc(fn *ssa.Function) {
	forEachCall(fn, func(call ssa.CallInstruction) {
		if c.budget.Exceeded() {
			return
		}
		common := call.Common()
		for _, s := range c.sinksOf(common) {
			if s.Index >= len(common.Args) {
				continue
			}
			arg := common.Args[s.Index]
			if openParam(fn, arg) >= 0 {
				continue // a wrapper: its callers are checked instead
			}
			w := &walker{checker: c, format: s.Format, at: call}
			if l := w.value(arg); l != nil {
				c.report(call, s, arg, l)
			}
		}
	})
}

// A loss is a path from the encoded value to a container whose data the
// encoder drops.
type loss struct {
	kind  lossKind
	typ   types.Type // the container type
	root  types.Type // the type of the encoded value
	steps []step
}

type step struct {
	field *types.Var // nil for an element or map value
	owner types.Type // the struct type declaring field
	elem  string     // "[]" or "[k]" when field is nil
}

type lossKind int

const (
	entries  lossKind = iota // sync.Map
	elements                 // list.List
	ringKind                 // ring.Ring
	value                    // atomic types
)

// lossyKind reports whether t is a type whose data encoders drop.
func lossyKind(t types.Type) (lossKind, bool) {
	switch {
	case code.IsNamed(t, "sync", "Map"):
		return entries, true
	case code.IsNamed(t, "container/list", "List"):
		return elements, true
	case code.IsNamed(t, "container/ring", "Ring"):
		return ringKind, true
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		obj := n.Origin().Obj()
		if obj.Pkg() != nil && obj.Pkg().Path() == "sync/atomic" {
			switch obj.Name() {
			case "Bool", "Int32", "Int64", "Uint32", "Uint64", "Uintptr", "Value", "Pointer":
				return value, true
			}
		}
	}
	return 0, false
}

// maxTypeDepth bounds how deep the walk of an encoded value's type goes:
// nested fields, elements, pointers, and the values behind interfaces.
const maxTypeDepth = 32

type visitKey struct {
	t           types.Type
	addressable bool
}

// A walker follows the type of an encoded value the way the encoder does.
// Where the type is an interface, it follows the SSA values that flow into
// that slot before the encoder call (at).
type walker struct {
	*checker
	format string
	at     ssa.Instruction
	stack  []visitKey
	depth  int
}

// src is what is known of the value at the current position of the walk:
// SSA values of its type (vals) and SSA addresses holding it (addrs).
type src struct {
	vals, addrs []ssa.Value
}

func (w *walker) value(v ssa.Value) *loss {
	return w.walk(v.Type(), src{vals: []ssa.Value{v}}, false, nil)
}

func (w *walker) walk(t types.Type, s src, addressable bool, steps []step) *loss {
	if w.depth > maxTypeDepth {
		return nil
	}
	w.depth++
	defer func() { w.depth-- }()

	if types.IsInterface(t) {
		for _, v := range s.vals {
			for _, o := range origins(v, nil) {
				if l := w.walk(o.Type(), src{vals: []ssa.Value{o}}, false, steps); l != nil {
					return withRoot(l, o.Type(), steps)
				}
			}
		}
		return nil
	}
	if w.hasMarshaler(t, addressable) {
		return nil
	}
	if kind, ok := lossyKind(t); ok {
		return &loss{kind: kind, typ: t, steps: append([]step(nil), steps...)}
	}

	key := visitKey{t, addressable}
	tracked := len(s.vals) > 0 || len(s.addrs) > 0
	if !tracked && w.visited[key] {
		return nil
	}
	for _, k := range w.stack {
		if types.Identical(k.t, t) && k.addressable == addressable {
			return nil // recursive type
		}
	}
	w.stack = append(w.stack, key)
	defer func() { w.stack = w.stack[:len(w.stack)-1] }()

	l := w.walkUnder(t, s, addressable, steps)
	if l == nil && !tracked {
		if w.visited == nil {
			w.visited = make(map[visitKey]bool)
		}
		w.visited[key] = true
	}
	return l
}

func (w *walker) walkUnder(t types.Type, s src, addressable bool, steps []step) *loss {
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return w.walk(u.Elem(), src{addrs: s.vals}, true, steps)
	case *types.Slice:
		elems := w.elements(s)
		return w.walk(u.Elem(), elems, true, append(steps, step{elem: "[]"}))
	case *types.Array:
		return w.walk(u.Elem(), w.elements(s), addressable, append(steps, step{elem: "[]"}))
	case *types.Map:
		if w.format == "xml" {
			return nil // xml reports an error for maps: not silent
		}
		return w.walk(u.Elem(), w.mapValues(s), false, append(steps, step{elem: "[k]"}))
	case *types.Struct:
		addrs := append(append([]ssa.Value(nil), s.addrs...), loadedFrom(s.vals)...)
		for i := range u.NumFields() {
			f := u.Field(i)
			if !w.encodesField(f, u.Tag(i)) {
				continue
			}
			fs := w.field(addrs, i)
			if l := w.walk(f.Type(), fs, addressable, append(steps, step{field: f, owner: t})); l != nil {
				return l
			}
		}
	}
	return nil
}

// encodesField reports whether the encoder encodes struct field f.
func (w *walker) encodesField(f *types.Var, tag string) bool {
	name, _, hasOpts := strings.Cut(reflect.StructTag(tag).Get(w.format), ",")
	if name == "-" && !hasOpts {
		return false
	}
	if f.Exported() {
		return true
	}
	// An embedded field of unexported type still contributes the exported
	// fields of its struct.
	if !f.Embedded() {
		return false
	}
	t := f.Type()
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	_, isStruct := t.Underlying().(*types.Struct)
	return isStruct
}

// hasMarshaler reports whether the encoder would call a method of t to
// encode it: pointer methods only when the value is addressable.
func (w *walker) hasMarshaler(t types.Type, addressable bool) bool {
	names := []string{"MarshalJSON", "MarshalText"}
	if w.format == "xml" {
		names = []string{"MarshalXML", "MarshalText"}
	}
	for _, name := range names {
		obj, _, _ := types.LookupFieldOrMethod(t, addressable, nil, name)
		if _, ok := obj.(*types.Func); ok {
			return true
		}
	}
	return false
}

// origins returns the values of non-interface type that flow into the
// interface value v, through conversions and phi nodes.
func origins(v ssa.Value, seen map[ssa.Value]bool) []ssa.Value {
	if !types.IsInterface(v.Type()) { // (type parameters count as interfaces)
		if code.HasTypeParam(v.Type()) {
			return nil
		}
		return []ssa.Value{v}
	}
	switch x := v.(type) {
	case *ssa.MakeInterface:
		return origins(x.X, seen)
	case *ssa.ChangeInterface:
		return origins(x.X, seen)
	case *ssa.Phi:
		if seen == nil {
			seen = make(map[ssa.Value]bool)
		}
		if seen[x] {
			return nil
		}
		seen[x] = true
		var out []ssa.Value
		for _, e := range x.Edges {
			out = append(out, origins(e, seen)...)
		}
		return out
	}
	return nil
}

// loadedFrom returns the addresses that the values were loaded from (*p).
func loadedFrom(vals []ssa.Value) []ssa.Value {
	var out []ssa.Value
	for _, v := range vals {
		if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
			out = append(out, u.X)
		}
	}
	return out
}

// field returns what is known of field i of the structs at addrs: the
// addresses of that field and the values stored there before the call.
func (w *walker) field(addrs []ssa.Value, i int) src {
	var out src
	for _, a := range addrs {
		for _, r := range code.Referrers(a) {
			if fa, ok := r.(*ssa.FieldAddr); ok && fa.X == a && fa.Field == i {
				out.addrs = append(out.addrs, fa)
				out.vals = append(out.vals, w.storedBefore(fa)...)
			}
		}
	}
	return out
}

// elements returns what is known of the elements of the arrays or slices in s.
func (w *walker) elements(s src) src {
	bases := append(append([]ssa.Value(nil), s.addrs...), s.vals...)
	for _, v := range s.vals {
		if sl, ok := v.(*ssa.Slice); ok {
			bases = append(bases, sl.X)
		}
	}
	bases = append(bases, loadedFrom(s.vals)...)
	var out src
	for _, b := range bases {
		for _, r := range code.Referrers(b) {
			if ia, ok := r.(*ssa.IndexAddr); ok && ia.X == b {
				out.addrs = append(out.addrs, ia)
				out.vals = append(out.vals, w.storedBefore(ia)...)
			}
		}
	}
	return out
}

// mapValues returns the values put into the maps in s before the call.
func (w *walker) mapValues(s src) src {
	var out src
	for _, m := range s.vals {
		for _, r := range code.Referrers(m) {
			if u, ok := r.(*ssa.MapUpdate); ok && u.Map == m && code.Precedes(u, w.at) {
				out.vals = append(out.vals, u.Value)
			}
		}
	}
	return out
}

func (w *walker) storedBefore(addr ssa.Value) []ssa.Value {
	var out []ssa.Value
	for _, r := range code.Referrers(addr) {
		if st, ok := r.(*ssa.Store); ok && st.Addr == addr && code.Precedes(st, w.at) {
			out = append(out, st.Val)
		}
	}
	return out
}

func withRoot(l *loss, root types.Type, steps []step) *loss {
	if l.root == nil && len(steps) == 0 {
		l.root = root
	}
	return l
}
