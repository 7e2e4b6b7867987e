package unsavedload

import (
	"go/constant"
	"go/token"
	"go/types"
	"path"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

// What a value carries, as far as the check can tell.
type srcKind uint8

const (
	srcNone   srcKind = iota // nothing yet (an allocation never written, a cycle)
	srcOther                 // anything else: a request, a clock, a computation
	srcConst                 // a constant
	srcParam                 // whatever the caller passes as a parameter
	srcStored                // data read from a file or a database
)

type src struct {
	kind  srcKind
	param int    // srcParam: index among the parameters, then the free variables
	from  string // srcStored: "cache.json", "a file", "a database"
	// pathParam, when not zero, says that the file read is named by
	// parameter pathParam-1: the caller's argument names it better.
	pathParam int
}

var (
	otherSrc = src{kind: srcOther}
	constSrc = src{kind: srcConst}
)

// join is what a value carries when it is made of both a and b: data read
// from storage taints the whole, a parameter makes it depend on the caller.
func join(a, b src) src {
	switch {
	case a.kind == srcNone:
		return b
	case b.kind == srcNone:
		return a
	case a.kind == srcStored:
		return a
	case b.kind == srcStored:
		return b
	case a.kind == srcParam:
		return a
	case b.kind == srcParam:
		return b
	case a.kind == srcOther || b.kind == srcOther:
		return otherSrc
	}
	return a
}

func (s src) final() src {
	if s.kind == srcNone {
		return constSrc // never written: the zero value
	}
	return s
}

// A tracer follows values of one function backwards to where their data
// comes from. Each question gets a fresh visit set and a step budget, so a
// cycle or a huge function costs little and answers "nothing known".
type tracer struct {
	c       *checker
	fn      *ssa.Function
	seen    map[ssa.Value]bool // values asked about
	written map[ssa.Value]bool // addresses whose writes were collected
	budget  int
}

const traceBudget = 400

func (c *checker) newTracer(fn *ssa.Function) *tracer {
	return &tracer{c: c, fn: fn, seen: make(map[ssa.Value]bool), written: make(map[ssa.Value]bool), budget: traceBudget}
}

// trace is what v carries.
func (c *checker) trace(fn *ssa.Function, v ssa.Value) src {
	return c.newTracer(fn).value(v).final()
}

// traceWrites is what fn writes into the memory addr points to.
func (c *checker) traceWrites(fn *ssa.Function, addr ssa.Value) src {
	return c.newTracer(fn).writes(addr)
}

func (t *tracer) enter(seen map[ssa.Value]bool, v ssa.Value) bool {
	if t.budget <= 0 || seen[v] {
		return false
	}
	t.budget--
	seen[v] = true
	return true
}

func (t *tracer) value(v ssa.Value) src {
	if v == nil || !t.enter(t.seen, v) {
		return src{}
	}
	switch x := v.(type) {
	case *ssa.Const:
		return constSrc
	case *ssa.Parameter:
		for i, p := range t.fn.Params {
			if p == x {
				return src{kind: srcParam, param: i}
			}
		}
	case *ssa.FreeVar:
		for i, fv := range t.fn.FreeVars {
			if fv == x {
				return src{kind: srcParam, param: len(t.fn.Params) + i}
			}
		}
	case *ssa.Call:
		return t.call(x.Common())
	case *ssa.Extract:
		if isError(x.Type()) {
			return otherSrc // an error says that reading failed, it is not data
		}
		return t.value(x.Tuple)
	case *ssa.Next:
		return t.value(x.Iter)
	case *ssa.Range:
		return t.value(x.X)
	case *ssa.UnOp:
		switch x.Op {
		case token.MUL:
			return t.memory(x.X)
		case token.ARROW:
			return otherSrc
		}
		return t.value(x.X)
	case *ssa.BinOp:
		return join(t.value(x.X), t.value(x.Y))
	case *ssa.Convert:
		return t.value(x.X)
	case *ssa.ChangeType:
		return t.value(x.X)
	case *ssa.ChangeInterface:
		return t.value(x.X)
	case *ssa.MakeInterface:
		return t.value(x.X)
	case *ssa.MultiConvert:
		return t.value(x.X)
	case *ssa.TypeAssert:
		return t.value(x.X)
	case *ssa.Slice:
		return t.value(x.X)
	case *ssa.SliceToArrayPointer:
		return t.value(x.X)
	case *ssa.Field:
		return t.value(x.X)
	case *ssa.Index:
		return t.value(x.X)
	case *ssa.Lookup:
		return t.value(x.X)
	case *ssa.Phi:
		s := src{}
		for _, e := range x.Edges {
			s = join(s, t.value(e))
		}
		return s
	case *ssa.Alloc, *ssa.FieldAddr, *ssa.IndexAddr:
		// The address of a value: it carries what is stored there
		// (cache.Store(e.ID, &e)).
		return t.memory(v)
	case *ssa.MakeMap:
		s := src{}
		for _, r := range code.Referrers(x) {
			if u, ok := r.(*ssa.MapUpdate); ok && u.Map == x {
				s = join(s, join(t.value(u.Key), t.value(u.Value)))
			}
		}
		return s
	case *ssa.MakeSlice:
		return t.writes(x)
	}
	return otherSrc
}

// memory is what the memory at addr holds when it is read.
func (t *tracer) memory(addr ssa.Value) src {
	switch a := addr.(type) {
	case *ssa.Alloc:
		return t.writes(a)
	case *ssa.FieldAddr:
		// Written through this field, or as a whole (json.Unmarshal(data, &s)).
		return join(t.writes(a), t.memory(a.X))
	case *ssa.IndexAddr:
		s := t.writes(a)
		if code.IsPointer(a.X.Type()) {
			return join(s, t.memory(a.X)) // an array variable
		}
		return join(s, t.value(a.X)) // a slice
	case *ssa.Global:
		return otherSrc
	case *ssa.Parameter, *ssa.FreeVar:
		return t.value(a)
	case *ssa.UnOp:
		if a.Op == token.MUL {
			return otherSrc // a pointer read from memory
		}
	}
	return t.value(addr)
}

// writes is what is written into the memory at addr in this function:
// stored there, decoded into it, filled by a callee, or written into its
// fields and elements.
func (t *tracer) writes(addr ssa.Value) src {
	if !t.enter(t.written, addr) {
		return src{}
	}
	s := src{}
	for _, r := range code.Referrers(addr) {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr == addr {
				s = join(s, t.value(r.Val))
			}
		case *ssa.FieldAddr:
			if r.X == addr {
				s = join(s, t.writes(r))
			}
		case *ssa.IndexAddr:
			if r.X == addr {
				s = join(s, t.writes(r))
			}
		}
		s = join(s, t.filledThrough(r, addr))
	}
	return s
}

// filledThrough is what the instruction r, which uses the address addr
// (directly, as an interface, or in a variadic slice), writes into it.
func (t *tracer) filledThrough(r ssa.Instruction, addr ssa.Value) src {
	switch r := r.(type) {
	case ssa.CallInstruction:
		s := src{}
		for i, a := range r.Common().Args {
			if a == addr {
				s = join(s, t.fill(r.Common(), i))
			}
		}
		return s
	case *ssa.MakeInterface, *ssa.ChangeType, *ssa.ChangeInterface:
		v := r.(ssa.Value)
		s := src{}
		for _, rr := range code.Referrers(v) {
			switch rr := rr.(type) {
			case ssa.CallInstruction:
				s = join(s, t.filledThrough(rr, v))
			case *ssa.Store:
				// A variadic argument: new [n]any; *t[i] = v; slice t[:].
				if rr.Val == v {
					s = join(s, t.variadicFill(rr.Addr))
				}
			}
		}
		return s
	}
	return src{}
}

// variadicFill follows an element address of a varargs array to the call
// that receives the slice.
func (t *tracer) variadicFill(elem ssa.Value) src {
	ia, ok := elem.(*ssa.IndexAddr)
	if !ok {
		return src{}
	}
	arr, ok := ia.X.(*ssa.Alloc)
	if !ok {
		return src{}
	}
	s := src{}
	for _, r := range code.Referrers(arr) {
		if sl, ok := r.(*ssa.Slice); ok && sl.X == arr {
			for _, rr := range code.Referrers(sl) {
				if call, ok := rr.(ssa.CallInstruction); ok {
					s = join(s, t.filledThrough(call, sl))
				}
			}
		}
	}
	return s
}

// fill is what call writes into what its argument i points to.
func (t *tracer) fill(call *ssa.CallCommon, i int) src {
	if call.IsInvoke() {
		return src{}
	}
	if name := code.FuncName(call); name != "" {
		if d, ok := decoders[name]; ok {
			if i != d.target && !(d.variadic && i > d.target) {
				return src{}
			}
			if d.path >= 0 && d.path < len(call.Args) {
				return t.readFrom(call.Args[d.path])
			}
			if d.from >= 0 && d.from < len(call.Args) {
				if s := t.value(call.Args[d.from]); s.kind == srcStored || s.kind == srcParam {
					return s
				}
			}
			return src{}
		}
	}
	target, args := t.c.target(call)
	if target != nil {
		sum := t.c.summary(target)
		if sum == nil || i >= len(args) {
			return src{}
		}
		if f, ok := sum.fills[i]; ok {
			return t.substitute(f, args)
		}
		return src{}
	}
	if fact := t.c.factOf(call); fact != nil {
		for _, f := range fact.Fills {
			if f.Param == i {
				return t.substitute(f.Src.src(), call.Args)
			}
		}
	}
	return src{}
}

// call is what the result of call carries.
func (t *tracer) call(call *ssa.CallCommon) src {
	if call.IsInvoke() {
		return otherSrc
	}
	if b, ok := call.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "append", "min", "max":
			s := src{}
			for _, a := range call.Args {
				s = join(s, t.value(a))
			}
			return s
		}
		return otherSrc
	}
	fn := code.Callee(call)
	if fn == nil {
		return otherSrc
	}
	if obj, ok := fn.Object().(*types.Func); ok {
		name := obj.FullName()
		if r, ok := readers[name]; ok {
			switch {
			case r.path >= 0 && r.path < len(call.Args):
				return t.readFrom(call.Args[r.path])
			case r.from >= 0 && r.from < len(call.Args):
				if s := t.value(call.Args[r.from]); s.kind == srcStored || s.kind == srcParam {
					return s
				}
				return otherSrc
			case r.what != "":
				return src{kind: srcStored, from: r.what}
			}
			return otherSrc
		}
		if obj.Pkg() != nil && derivers[obj.Pkg().Path()] {
			s := src{}
			for _, a := range call.Args {
				s = join(s, t.value(a))
			}
			return s
		}
	}
	target, args := t.c.target(call)
	if target != nil {
		sum := t.c.summary(target)
		if sum == nil {
			return otherSrc
		}
		return t.substitute(sum.result.final(), args)
	}
	if fact := t.c.factOf(call); fact != nil {
		return t.substitute(fact.Result.src(), call.Args)
	}
	return otherSrc
}

// readFrom is the data of a file read through the path p.
func (t *tracer) readFrom(p ssa.Value) src {
	if prm, ok := p.(*ssa.Parameter); ok {
		for i, x := range t.fn.Params {
			if x == prm {
				return src{kind: srcStored, from: "a file", pathParam: i + 1}
			}
		}
	}
	return src{kind: srcStored, from: describePath(p)}
}

// substitute turns what a callee's summary says in terms of its parameters
// into what it means at this call.
func (t *tracer) substitute(s src, args []ssa.Value) src {
	switch s.kind {
	case srcNone:
		return otherSrc
	case srcStored:
		return namedAt(t.fn, s, args)
	case srcParam:
		if s.param < 0 || s.param >= len(args) || args[s.param] == nil {
			return otherSrc
		}
		return t.value(args[s.param])
	}
	return s
}

// namedAt names the file of s from the arguments of a call in fn, when the
// callee read the file its caller named; if that is a parameter of fn, it
// is fn's caller that knows the name.
func namedAt(fn *ssa.Function, s src, args []ssa.Value) src {
	if s.pathParam <= 0 || s.pathParam > len(args) || args[s.pathParam-1] == nil {
		return s
	}
	arg := args[s.pathParam-1]
	s.from, s.pathParam = describePath(arg), 0
	if prm, ok := arg.(*ssa.Parameter); ok {
		for i, x := range fn.Params {
			if x == prm {
				s.pathParam = i + 1
			}
		}
	}
	return s
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// describePath names the file a path argument designates, when it is a
// constant, a package-level variable initialised with a constant, or a
// filepath.Join ending in one: "cache.json". Otherwise "a file".
func describePath(v ssa.Value) string {
	if s, ok := constString(v); ok {
		return cleanPath(s)
	}
	if call, ok := v.(*ssa.Call); ok {
		switch code.FuncName(call.Common()) {
		case "path/filepath.Join", "path.Join":
			if args := call.Common().Args; len(args) == 1 {
				if last := lastVariadic(args[0]); last != nil {
					if s, ok := constString(last); ok {
						return cleanPath(s)
					}
				}
			}
		}
	}
	return "a file"
}

func cleanPath(s string) string {
	if s == "" {
		return "a file"
	}
	if strings.HasPrefix(s, "/") {
		return path.Clean(s)
	}
	return strings.TrimPrefix(path.Clean(s), "./")
}

func constString(v ssa.Value) (string, bool) {
	switch x := v.(type) {
	case *ssa.Const:
		if x.Value != nil && x.Value.Kind() == constant.String {
			return constant.StringVal(x.Value), true
		}
	case *ssa.UnOp:
		// A package-level variable set once, to a constant, by the
		// package initialiser.
		if g, ok := x.X.(*ssa.Global); ok && x.Op == token.MUL {
			return globalConstString(g)
		}
	}
	return "", false
}

func globalConstString(g *ssa.Global) (string, bool) {
	init := g.Pkg.Func("init")
	if init == nil {
		return "", false
	}
	var val string
	n := 0
	for _, b := range init.Blocks {
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok && st.Addr == g {
				c, ok := st.Val.(*ssa.Const)
				if !ok || c.Value == nil || c.Value.Kind() != constant.String {
					return "", false
				}
				val = constant.StringVal(c.Value)
				n++
			}
		}
	}
	return val, n == 1
}

// lastVariadic returns the last element stored in a varargs slice.
func lastVariadic(v ssa.Value) ssa.Value {
	sl, ok := v.(*ssa.Slice)
	if !ok {
		return nil
	}
	arr, ok := sl.X.(*ssa.Alloc)
	if !ok {
		return nil
	}
	var last ssa.Value
	best := int64(-1)
	for _, r := range code.Referrers(arr) {
		ia, ok := r.(*ssa.IndexAddr)
		if !ok {
			continue
		}
		idx, ok := ia.Index.(*ssa.Const)
		if !ok || idx.Value == nil {
			continue
		}
		i, exact := constant.Int64Val(constant.ToInt(idx.Value))
		if !exact || i <= best {
			continue
		}
		for _, rr := range code.Referrers(ia) {
			if st, ok := rr.(*ssa.Store); ok && st.Addr == ia {
				best, last = i, st.Val
			}
		}
	}
	return last
}
