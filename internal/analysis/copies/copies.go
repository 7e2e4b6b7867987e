// Package copies finds the local variables that hold a copy of a struct the
// program probably meant to update in place (a value receiver, a by-value
// parameter, a range value, a map or sync.Map value, an element or a value
// loaded through a pointer), and answers what happens to a part of such a
// copy after a given instruction: is it read, passed on, overwritten, or does
// the copy die with the write unseen.
//
// mapcopy and lostwrite both ask these questions; they differ in which writes
// they care about and in what they tell the reader.
//
// The analysis is intraprocedural and works on go/ssa form, where a struct
// variable whose fields are written is an Alloc reached through FieldAddr and
// IndexAddr instructions. Anything it does not understand makes the copy
// escape, and an escaped copy is never reported.
package copies

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/fieldpath"
)

// Kind says where the value of a copy comes from.
type Kind int

const (
	Receiver     Kind = iota // a value receiver
	Param                    // a by-value parameter
	Element                  // an element of a slice or array: range value or s[i]
	MapValue                 // a value of a map: m[k], or a map range value
	SyncMapValue             // v.(T) of a value loaded from a sync.Map
	Deref                    // *p, p.f or a package-level variable
)

// A Copy is a struct variable of a function that starts as a copy of data
// that lives elsewhere.
type Copy struct {
	Var    *ssa.Alloc // the variable's storage
	Init   *ssa.Store // the store of the copied value into Var
	Kind   Kind
	Source ssa.Value // the copied value: the Parameter, Lookup, TypeAssert, load...

	accesses []Access
	at       map[ssa.Instruction][]int // indexes into accesses
}

// Op is what an instruction does to a part of a copy.
type Op int

const (
	Read   Op = iota // loads it
	Write            // stores into it
	Method           // passes its address as the receiver of a static method call
	Leak             // lets its address flow where this analysis does not follow
	// Captured is a call during which a closure capturing the variable
	// may read the part: the closure is called there, or passed to a
	// callee that only calls it, and it only reads the variable.
	Captured
)

// An Access is one instruction's use of a part of a copy.
type Access struct {
	Instr ssa.Instruction
	Path  fieldpath.Path // the part, in the variable's type
	Op    Op
	Addr  ssa.Value // the address used: Var or a FieldAddr/IndexAddr of it
}

// maxPath bounds the nesting followed below a variable: the steps of a
// Path, and the selections walked from a part up to its variable.
const maxPath = 16

// Find returns the copies among the local variables of fn.
func Find(fn *ssa.Function) []*Copy {
	var out []*Copy
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c := newCopy(fn, instr); c != nil {
				out = append(out, c)
			}
		}
	}
	return out
}

// newCopy returns the copy that instr allocates, or nil. Variables whose
// address escapes are Heap allocations, not in fn.Locals: they are looked at
// too, and their accesses say how they escape.
func newCopy(fn *ssa.Function, instr ssa.Instruction) *Copy {
	alloc, ok := instr.(*ssa.Alloc)
	if !ok || alloc.Comment == "complit" || alloc.Comment == "slicelit" || alloc.Comment == "varargs" {
		return nil
	}
	if _, ok := pointee(alloc.Type()).Underlying().(*types.Struct); !ok {
		return nil
	}
	c := &Copy{Var: alloc, at: make(map[ssa.Instruction][]int)}
	c.collect(alloc, nil)
	if !c.findInit(fn) {
		return nil
	}
	return c
}

// findInit identifies the single whole-variable store that initialises the
// copy and classifies its value.
func (c *Copy) findInit(fn *ssa.Function) bool {
	for _, a := range c.accesses {
		if a.Op != Write || len(a.Path) != 0 {
			continue
		}
		if c.Init != nil {
			return false // assigned more than once: not followed
		}
		c.Init = a.Instr.(*ssa.Store)
	}
	if c.Init == nil {
		return false
	}
	kind, ok := classify(fn, c.Init.Val)
	c.Kind, c.Source = kind, c.Init.Val
	return ok
}

func classify(fn *ssa.Function, v ssa.Value) (Kind, bool) {
	switch v := v.(type) {
	case *ssa.Parameter:
		if fn.Signature.Recv() != nil && len(fn.Params) > 0 && fn.Params[0] == v {
			return Receiver, true
		}
		return Param, true
	case *ssa.Lookup:
		_, isMap := v.X.Type().Underlying().(*types.Map)
		return MapValue, isMap && !v.CommaOk
	case *ssa.Index:
		return Element, true // element of an array value
	case *ssa.Extract:
		switch t := v.Tuple.(type) {
		case *ssa.Lookup:
			return MapValue, v.Index == 0
		case *ssa.Next:
			return MapValue, v.Index == 2 && !t.IsString
		case *ssa.TypeAssert:
			return SyncMapValue, v.Index == 0 && (isSyncMapLoad(t.X) || isSyncMapRangeValue(t.X))
		}
	case *ssa.TypeAssert:
		return SyncMapValue, isSyncMapLoad(v.X) || isSyncMapRangeValue(v.X)
	case *ssa.UnOp:
		if v.Op != token.MUL {
			return 0, false
		}
		switch x := v.X.(type) {
		case *ssa.IndexAddr:
			return Element, !rootedInLocal(x)
		case *ssa.FieldAddr:
			return Deref, !rootedInLocal(x)
		case *ssa.Alloc:
			return 0, false // a copy of another local variable
		}
		return Deref, true
	}
	return 0, false
}

// isSyncMapLoad reports whether v is the value result of a sync.Map Load or
// the actual value of a LoadOrStore.
func isSyncMapLoad(v ssa.Value) bool {
	ext, ok := v.(*ssa.Extract)
	if !ok || ext.Index != 0 {
		return false
	}
	call, ok := ext.Tuple.(*ssa.Call)
	if !ok {
		return false
	}
	switch code.FuncName(call.Common()) {
	case "(*sync.Map).Load", "(*sync.Map).LoadOrStore":
		return true
	}
	return false
}

// isSyncMapRangeValue reports whether v is the value parameter of a function
// literal passed to a sync.Map's Range.
func isSyncMapRangeValue(v ssa.Value) bool {
	return SyncMapRange(v) != nil
}

// SyncMapRange returns the call of (*sync.Map).Range that passes each value
// as v, the value parameter of a function literal, or nil.
func SyncMapRange(v ssa.Value) *ssa.Call {
	p, ok := v.(*ssa.Parameter)
	if !ok {
		return nil
	}
	fn := p.Parent()
	if fn == nil || fn.Parent() == nil || len(fn.Params) != 2 || fn.Params[1] != p {
		return nil
	}
	// The literal is the Function itself, or a MakeClosure of it.
	var vals []ssa.Value
	for _, anon := range fn.Parent().AnonFuncs {
		if anon == fn {
			vals = append(vals, fn)
		}
	}
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn {
				vals = append(vals, mc)
			}
		}
	}
	for _, val := range vals {
		for _, r := range code.Referrers(val) {
			call, ok := r.(*ssa.Call)
			if ok && len(call.Call.Args) == 2 && call.Call.Args[1] == val && code.FuncName(call.Common()) == "(*sync.Map).Range" {
				return call
			}
		}
	}
	return nil
}

// rootedInLocal reports whether the address addr is a part of a local
// variable of the function (rather than of memory reached through a pointer
// or a slice).
func rootedInLocal(addr ssa.Value) bool {
	for range maxPath {
		switch a := addr.(type) {
		case *ssa.FieldAddr:
			addr = a.X
		case *ssa.IndexAddr:
			if _, isSlice := a.X.Type().Underlying().(*types.Slice); isSlice {
				return false
			}
			addr = a.X
		case *ssa.Alloc:
			return true
		default:
			return false
		}
	}
	return true
}

// collect records every access to the storage at addr, the part path of the
// copy.
func (c *Copy) collect(addr ssa.Value, path fieldpath.Path) {
	if len(path) > maxPath {
		c.add(Access{Instr: nil, Path: path, Op: Leak, Addr: addr})
		return
	}
	for _, r := range code.Referrers(addr) {
		switch r := r.(type) {
		case *ssa.FieldAddr:
			if r.X == addr {
				c.collect(r, path.Append(r.Field))
				continue
			}
		case *ssa.IndexAddr:
			if r.X == addr {
				c.collect(r, path.Append(fieldpath.AnyIndex))
				continue
			}
		case *ssa.UnOp:
			if r.Op == token.MUL {
				c.add(Access{Instr: r, Path: path, Op: Read, Addr: addr})
				continue
			}
		case *ssa.Store:
			if r.Addr == addr && r.Val != addr {
				c.add(Access{Instr: r, Path: path, Op: Write, Addr: addr})
				continue
			}
		case *ssa.Call:
			if isMethodReceiver(r.Common(), addr) {
				c.add(Access{Instr: r, Path: path, Op: Method, Addr: addr})
				continue
			}
		case *ssa.MakeClosure:
			if len(path) == 0 && c.captured(r, addr) {
				continue
			}
		case *ssa.DebugRef:
			continue
		}
		c.add(Access{Instr: r, Path: path, Op: Leak, Addr: addr})
	}
}

// isMethodReceiver reports whether addr is passed as the receiver, and only
// as the receiver, of a static call to a method with a pointer receiver.
func isMethodReceiver(call *ssa.CallCommon, addr ssa.Value) bool {
	fn := call.StaticCallee()
	if fn == nil || fn.Signature.Recv() == nil || len(call.Args) == 0 || call.Args[0] != addr {
		return false
	}
	for _, arg := range call.Args[1:] {
		if arg == addr {
			return false
		}
	}
	return true
}

func (c *Copy) add(a Access) {
	c.accesses = append(c.accesses, a)
	if a.Instr != nil {
		c.at[a.Instr] = append(c.at[a.Instr], len(c.accesses)-1)
	}
}

// Accesses returns every access to the copy, in no particular order.
func (c *Copy) Accesses() []Access { return c.accesses }

// Leaked reports whether the address of the copy, or of any part of it,
// flows where this analysis does not follow: stored, passed to a call other
// than as the receiver of a method, captured by a closure, converted. The
// address of one field counts for the whole copy: through an embedded first
// field and unsafe (reflect does this), it can reach the rest.
func (c *Copy) Leaked() bool {
	for _, a := range c.accesses {
		if a.Op == Leak {
			return true
		}
	}
	return false
}

// ReleasesAfterUse reports whether the write w stores nil into a part of the
// copy that was read before: for k, v := range p.m { ... }; p.m = nil. That
// is the idiom for dropping a reference once done with it, pointless on a
// copy, but it loses nothing.
func (c *Copy) ReleasesAfterUse(w Access) bool {
	st, ok := w.Instr.(*ssa.Store)
	if !ok {
		return false
	}
	if k, ok := st.Val.(*ssa.Const); !ok || !k.IsNil() {
		return false
	}
	for _, a := range c.accesses {
		if a.Op == Read && fieldpath.Equal(a.Path, w.Path) && code.Precedes(a.Instr, w.Instr) {
			return true
		}
	}
	return false
}

// Callee returns the method a Method access calls, or nil.
func (a Access) Callee() *types.Func {
	call, ok := a.Instr.(ssa.CallInstruction)
	if !ok || a.Op != Method {
		return nil
	}
	fn := code.Callee(call.Common())
	if fn == nil {
		return nil
	}
	obj, _ := fn.Object().(*types.Func)
	return obj
}

// A Keeper tells whether a method may keep its receiver pointer after it
// returns (store it, return it, capture it).
type Keeper interface {
	Leaks(method *types.Func) bool
}

// KeptByMethod reports whether a pointer method that may keep its receiver
// is called on the copy or on a part of it (like Leaked, a part's address
// counts for the whole copy).
func (c *Copy) KeptByMethod(k Keeper) bool {
	for _, a := range c.accesses {
		if a.Op != Method {
			continue
		}
		if fn := a.Callee(); fn == nil || k.Leaks(fn) {
			return true
		}
	}
	return false
}

// TypeOf returns the type of the part p of the copy, or nil.
func (c *Copy) TypeOf(p fieldpath.Path) types.Type {
	return fieldpath.TypeOf(pointee(c.Var.Type()), p)
}

// Field returns the struct field the last step of p selects, or nil.
func (c *Copy) Field(p fieldpath.Path) *types.Var {
	return fieldpath.Field(pointee(c.Var.Type()), p)
}

func pointee(t types.Type) types.Type {
	if p, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// captured records, for a closure mc that captures the variable at addr,
// a Captured access at each call where the closure may run, and reports
// whether it could: the closure must only read the variable, and must not
// outlive those calls (it is called in place, or passed to a callee that
// only calls it). Otherwise the capture is a leak.
func (c *Copy) captured(mc *ssa.MakeClosure, addr ssa.Value) bool {
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok || len(fn.Blocks) == 0 {
		return false
	}
	var reads []fieldpath.Path
	for i, b := range mc.Bindings {
		if b != addr {
			continue
		}
		if i >= len(fn.FreeVars) || !readsOnly(fn.FreeVars[i], nil, &reads) {
			return false
		}
	}
	calls, ok := callsOf(mc)
	if !ok {
		return false
	}
	for _, call := range calls {
		for _, p := range reads {
			c.add(Access{Instr: call, Path: p, Op: Captured, Addr: addr})
		}
	}
	return true
}

// readsOnly adds to reads the parts of the variable at addr that a closure
// loads, and reports whether loads are all it does with them.
func readsOnly(addr ssa.Value, path fieldpath.Path, reads *[]fieldpath.Path) bool {
	if len(path) > maxPath {
		return false
	}
	for _, r := range code.Referrers(addr) {
		switch r := r.(type) {
		case *ssa.FieldAddr:
			if !readsOnly(r, path.Append(r.Field), reads) {
				return false
			}
		case *ssa.IndexAddr:
			if _, isSlice := r.X.Type().Underlying().(*types.Slice); isSlice || r.X != addr || !readsOnly(r, path.Append(fieldpath.AnyIndex), reads) {
				return false
			}
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return false
			}
			*reads = append(*reads, path)
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

// callsOf returns the calls during which the closure mc may run, or false
// if it may outlive them: it must be called in place (f := func(){...};
// f()), or passed to a callee that does no more than call it.
func callsOf(mc *ssa.MakeClosure) ([]ssa.Instruction, bool) {
	var calls []ssa.Instruction
	for _, r := range code.Referrers(mc) {
		switch r := r.(type) {
		case *ssa.DebugRef:
			continue
		case *ssa.Call:
			args := r.Call.Args
			switch {
			case r.Call.Value == mc && !slices.Contains(args, ssa.Value(mc)):
			case r.Call.Value != mc && onlyCalls(r.Common(), mc):
			default:
				return nil, false
			}
			calls = append(calls, r)
		default:
			return nil, false // go, defer, stored, returned, converted...
		}
	}
	return calls, true
}

// inPlacePackages are the standard packages whose functions call the
// functions they are given before returning, and keep none of them
// (sort.Slice, slices.SortFunc, strings.FieldsFunc, maps.DeleteFunc...).
var inPlacePackages = map[string]bool{"slices": true, "sort": true, "strings": true, "bytes": true, "maps": true}

// onlyCalls reports whether the static callee of call receives f only as
// arguments that it calls and does nothing else with (it does not store
// them, return them, pass them on, or run them in a goroutine or a defer).
func onlyCalls(call *ssa.CallCommon, f ssa.Value) bool {
	callee := call.StaticCallee()
	if callee == nil || call.IsInvoke() {
		return false
	}
	if callee.Origin() != nil {
		callee = callee.Origin() // the generic function, whose body and package are known
	}
	if callee.Signature.Recv() == nil && callee.Pkg != nil && inPlacePackages[callee.Pkg.Pkg.Path()] {
		return true
	}
	if len(callee.Blocks) == 0 || len(callee.Params) != len(call.Args) {
		return false
	}
	for i, arg := range call.Args {
		if arg != f {
			continue
		}
		for _, r := range code.Referrers(callee.Params[i]) {
			switch r := r.(type) {
			case *ssa.DebugRef:
			case *ssa.Call:
				if r.Call.Value != callee.Params[i] || slices.Contains(r.Call.Args, ssa.Value(callee.Params[i])) {
					return false
				}
			default:
				return false
			}
		}
	}
	return true
}
