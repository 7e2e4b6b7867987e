package unsavedload

import (
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

// What a function does to a place.
type opKind uint8

const (
	opStore        opKind = iota + 1 // Store, LoadOrStore, Swap, CompareAndSwap
	opDelete                         // Delete, LoadAndDelete, CompareAndDelete, Clear
	opRead                           // Load, Range
	opLeak                           // handed to code the check cannot follow
	opLeakExported                   // handed on where only its exported fields can be reached
	opReassign                       // overwritten (a pointer variable set to another value)
)

// mode is how a piece of code runs relative to the function that holds it.
// Larger modes are further from "now, in this goroutine".
type mode uint8

const (
	modeSync    mode = iota // called, and done before the caller goes on
	modeOnce                // through sync.Once.Do: once, synchronously
	modeDefer               // when the caller returns
	modeEscaped             // handed to code that may call it at any time
	modeGo                  // in another goroutine
	modeHandler             // as an HTTP handler
)

// An op is something done to a place by a function or by a callee the
// place was handed to (then pos is the call in this function).
type op struct {
	kind     opKind
	place    place
	key, val src  // opStore
	fresh    bool // opReassign: the new value is a new allocation, a call result or nil
	mode     mode
	in       *ssa.Function   // the function it is attributed to
	site     ssa.Instruction // the instruction in that function
	pos      token.Pos       // where to point at it
	at       *ssa.Function   // the function pos is in
	// ctx, when not zero, replaces the flags of in: for a template op
	// judged as called from outside the package.
	ctx flags
	// through is the callee of this package it was bound through;
	// throughWrites says that an external callee it was bound through
	// writes to storage.
	through       *ssa.Function
	throughWrites bool
}

// An edge is one way a function of the package can run another.
type edge struct {
	from, to *ssa.Function
	mode     mode
	site     ssa.Instruction
}

// A summary is what the check knows about one function of the package.
type summary struct {
	fn       *ssa.Function
	ops      []op
	edges    []edge
	writes   bool // opens a file for writing, writes one, or executes SQL
	mayWrite bool // calls a save-like method it cannot see into
	sends    bool // sends on a channel: perhaps to a goroutine that saves
	result   src
	fills    map[int]src // what it writes into what its parameters point to
	building bool
}

// maxSummaryDepth bounds how deep summaries of called functions nest while
// one is being built; past it, summary returns nil, as for a recursive call.
const maxSummaryDepth = 48

// summary returns the summary of fn, building it on first use; nil while it
// is being built (a recursive call) or when calls nest too deep.
func (c *checker) summary(fn *ssa.Function) *summary {
	if s, ok := c.sums[fn]; ok {
		if s.building {
			return nil
		}
		return s
	}
	if c.depth >= maxSummaryDepth {
		return nil
	}
	s := &summary{fn: fn, fills: make(map[int]src), building: true}
	c.sums[fn] = s
	c.order = append(c.order, fn)
	c.depth++
	c.build(s)
	c.depth--
	s.building = false
	return s
}

func (c *checker) build(s *summary) {
	fn := s.fn
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch in := instr.(type) {
			case ssa.CallInstruction:
				c.visitCall(s, in)
			case *ssa.Return:
				for _, r := range in.Results {
					if !isError(r.Type()) {
						s.result = join(s.result, c.trace(fn, r))
					}
				}
			case *ssa.MakeInterface:
				c.noteInterface(in.X.Type())
			case *ssa.Send:
				s.sends = true
			case *ssa.Select:
				for _, st := range in.States {
					if st.Dir == types.SendOnly {
						s.sends = true
					}
				}
			}
			c.visitOperands(s, instr)
		}
	}
	for i, p := range fn.Params {
		if !code.IsPointer(p.Type()) && !types.IsInterface(p.Type()) {
			continue
		}
		if w := c.traceWrites(fn, p); w.kind == srcStored || (w.kind == srcParam && w.param != i) {
			s.fills[i] = w
		}
	}
}

func modeOf(instr ssa.CallInstruction) mode {
	switch instr.(type) {
	case *ssa.Go:
		return modeGo
	case *ssa.Defer:
		return modeDefer
	}
	return modeSync
}

func (c *checker) visitCall(s *summary, instr ssa.CallInstruction) {
	common := instr.Common()
	m := modeOf(instr)
	if common.IsInvoke() {
		if meth := common.Method; saveLike(meth.Name()) && meth.Pkg() != nil && !isStdPath(meth.Pkg().Path()) {
			s.mayWrite = true
		}
		c.funcArgs(s, instr, common.Args, modeEscaped)
		return
	}
	if _, ok := common.Value.(*ssa.Builtin); ok {
		c.funcArgs(s, instr, common.Args, modeEscaped)
		return
	}
	if target, args := c.target(common); target != nil {
		c.addEdge(s, target, m, instr, args)
		c.funcArgs(s, instr, common.Args, modeEscaped)
		return
	}
	callee := code.Callee(common)
	if callee == nil {
		c.funcArgs(s, instr, common.Args, modeEscaped) // a call of a function value
		return
	}
	obj, ok := callee.Object().(*types.Func)
	if !ok {
		c.funcArgs(s, instr, common.Args, modeEscaped)
		return
	}
	name := obj.FullName()
	if isSyncMapMethod(obj) {
		c.mapOp(s, instr, obj.Name(), common.Args, m)
		c.funcArgs(s, instr, common.Args, modeSync) // Range's callback
		return
	}
	if writers[name] && writesHere(name, common.Args) {
		s.writes = true
	}
	cb, known := callbacks[name]
	if !known {
		cb = modeEscaped
		if obj.Signature().Recv() != nil && routeMethods[obj.Name()] && obj.Pkg() != nil && !isStdPath(obj.Pkg().Path()) {
			cb = modeHandler
		}
	}
	c.funcArgs(s, instr, common.Args, cb)
	if obj.Pkg() == nil || isStdPath(obj.Pkg().Path()) {
		return
	}
	if c.analyzed[obj.Pkg()] != nil {
		if f := c.factOfFunc(obj); f != nil {
			s.writes = s.writes || f.Writes
			s.mayWrite = s.mayWrite || f.MayWrite
			c.bindFact(s, instr, f, m)
		}
	} else if saveLike(obj.Name()) {
		s.mayWrite = true
	}
}

// writesHere refines the writers table: os.OpenFile with the constant flag
// O_RDONLY only reads, and writing to os.Stdout or os.Stderr is output,
// not storage.
func writesHere(name string, args []ssa.Value) bool {
	switch {
	case name == "os.OpenFile":
		if len(args) > 1 {
			if k, ok := args[1].(*ssa.Const); ok && k.Value != nil {
				if v, exact := constant.Int64Val(constant.ToInt(k.Value)); exact && v == 0 {
					return false
				}
			}
		}
	case strings.HasPrefix(name, "(*os.File)."):
		if len(args) > 0 {
			if u, ok := args[0].(*ssa.UnOp); ok && u.Op == token.MUL {
				if g, ok := u.X.(*ssa.Global); ok && g.Pkg != nil && g.Pkg.Pkg.Path() == "os" && (g.Name() == "Stdout" || g.Name() == "Stderr") {
					return false
				}
			}
		}
	}
	return true
}

func isSyncMapMethod(obj *types.Func) bool {
	recv := obj.Signature().Recv()
	return recv != nil && code.IsSyncMap(recv.Type())
}

// mapOp records a call of a sync.Map method on a place.
func (c *checker) mapOp(s *summary, instr ssa.CallInstruction, method string, args []ssa.Value, m mode) {
	if len(args) == 0 {
		return
	}
	p, ok := c.resolve(s.fn, args[0])
	if !ok {
		return
	}
	o := op{place: p, mode: m, in: s.fn, at: s.fn, site: instr, pos: instr.Common().Pos()}
	switch method {
	case "Store", "Swap", "LoadOrStore":
		if len(args) < 3 {
			return
		}
		o.kind, o.key, o.val = opStore, c.trace(s.fn, args[1]), c.trace(s.fn, args[2])
	case "CompareAndSwap":
		if len(args) < 4 {
			return
		}
		o.kind, o.key, o.val = opStore, c.trace(s.fn, args[1]), c.trace(s.fn, args[3])
	case "Delete", "LoadAndDelete", "CompareAndDelete", "Clear":
		o.kind = opDelete
	case "Load", "Range":
		o.kind = opRead
	default:
		return
	}
	s.ops = append(s.ops, o)
}

// maxConversions bounds how many conversions funcValue looks through.
const maxConversions = 4

// funcValue returns the function a value designates, and the values bound
// to its free variables, looking through conversions such as
// http.HandlerFunc(f) and the interface that holds it.
func funcValue(v ssa.Value) (*ssa.Function, []ssa.Value) {
	for range maxConversions {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
			continue
		case *ssa.MakeInterface:
			v = x.X
			continue
		}
		break
	}
	switch x := v.(type) {
	case *ssa.Function:
		return x, nil
	case *ssa.MakeClosure:
		if f, ok := x.Fn.(*ssa.Function); ok {
			return f, x.Bindings
		}
	}
	return nil, nil
}

// target returns the function of this package that call calls statically,
// with the values of its parameters then free variables (nil where
// unknown).
func (c *checker) target(call *ssa.CallCommon) (*ssa.Function, []ssa.Value) {
	if call.IsInvoke() {
		return nil, nil
	}
	fn, bindings := funcValue(call.Value)
	if fn == nil {
		return nil, nil
	}
	return c.local(fn, bindings, call.Args)
}

// local maps fn (possibly a bound-method wrapper, a thunk or a generic
// instance) to the source function of this package it runs, with the values
// of that function's parameters then free variables.
func (c *checker) local(fn *ssa.Function, bindings, args []ssa.Value) (*ssa.Function, []ssa.Value) {
	switch {
	case strings.HasPrefix(fn.Synthetic, "bound method wrapper"):
		if len(bindings) != 1 {
			return nil, nil
		}
		args = append([]ssa.Value{bindings[0]}, args...)
		bindings = nil
		fn = c.declared(fn)
	case strings.HasPrefix(fn.Synthetic, "thunk"):
		fn = c.declared(fn)
	}
	if fn == nil {
		return nil, nil
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if fn.Pkg != c.pkg || fn.Blocks == nil || fn.Synthetic != "" || c.inTest(fn) {
		return nil, nil
	}
	full := make([]ssa.Value, len(fn.Params)+len(fn.FreeVars))
	copy(full, args)
	if len(bindings) == len(fn.FreeVars) {
		copy(full[len(fn.Params):], bindings)
	}
	return fn, full
}

func (c *checker) closureTarget(fn *ssa.Function, bindings []ssa.Value) *ssa.Function {
	target, _ := c.local(fn, bindings, nil)
	return target
}

// declared returns the declared method a wrapper runs.
func (c *checker) declared(wrapper *ssa.Function) *ssa.Function {
	obj, ok := wrapper.Object().(*types.Func)
	if !ok {
		return nil
	}
	return c.pkg.Prog.FuncValue(obj)
}

// inTest reports whether fn is declared in a _test.go file: tests are not
// part of the program whose state the check judges.
func (c *checker) inTest(fn *ssa.Function) bool {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return c.inTestFile(fn.Pos())
}

// funcArgs adds an edge for each function of the package passed among
// args, run as m says (an escaping HTTP handler runs as a handler).
func (c *checker) funcArgs(s *summary, instr ssa.CallInstruction, args []ssa.Value, m mode) {
	for _, a := range args {
		fn, bindings := funcValue(a)
		if fn == nil {
			continue
		}
		target, full := c.local(fn, bindings, nil)
		if target == nil {
			continue
		}
		mm := m
		if mm == modeEscaped && isHandler(target) {
			mm = modeHandler
		}
		c.addEdge(s, target, mm, instr, full)
	}
}

// isHandler reports whether fn has the signature of an HTTP handler
// function or is a ServeHTTP method.
func isHandler(fn *ssa.Function) bool {
	params := fn.Signature.Params()
	return params.Len() == 2 &&
		code.IsNamed(params.At(0).Type(), "net/http", "ResponseWriter") &&
		isPointerTo(params.At(1).Type(), "net/http", "Request")
}

func isPointerTo(t types.Type, pkg, name string) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && code.IsNamed(p.Elem(), pkg, name)
}

// addEdge records that s.fn runs target, and binds what target does to its
// parameters to the places s.fn hands it.
func (c *checker) addEdge(s *summary, target *ssa.Function, m mode, site ssa.Instruction, args []ssa.Value) {
	s.edges = append(s.edges, edge{from: s.fn, to: target, mode: m, site: site})
	callee := c.summary(target)
	if callee == nil {
		// A recursive call: what it does with what it is handed is not
		// known yet, so nothing handed to it can be judged.
		for _, a := range args {
			if a != nil && c.pointsToSyncMapHolder(a) {
				if p, ok := c.resolve(s.fn, a); ok {
					s.ops = append(s.ops, op{kind: opLeak, place: p, in: s.fn, at: s.fn, site: site, pos: site.Pos()})
				}
			}
		}
		return
	}
	for _, o := range callee.ops {
		b := o
		switch {
		case o.place.global != nil:
			// The callee's own business, unless what it stores comes
			// from its parameters: then each call is a store of its
			// own (a load here, a change there).
			if !o.template() || m >= modeEscaped {
				continue
			}
		case o.place.param < len(args) && args[o.place.param] != nil:
			p, ok := c.resolve(s.fn, args[o.place.param])
			if !ok {
				continue
			}
			b.place = p.add(o.place.path)
		default:
			continue
		}
		b.key = c.bindSrc(s.fn, o.key, args)
		b.val = c.bindSrc(s.fn, o.val, args)
		b.mode = max(m, o.mode)
		b.in, b.site = s.fn, site
		if m < modeEscaped {
			b.pos, b.at = sitePos(site), s.fn
		}
		b.through, b.throughWrites = target, false
		s.ops = append(s.ops, b)
	}
}

// template reports whether o stores something that comes from the
// parameters of its function, or from a file they name: what it does, or
// how to describe it, depends on each call.
func (o op) template() bool {
	return o.kind == opStore && (o.key.kind == srcParam || o.val.kind == srcParam || o.key.pathParam > 0 || o.val.pathParam > 0)
}

// bindFact binds what an external function does to the maps its
// parameters reach, as its fact says.
func (c *checker) bindFact(s *summary, instr ssa.CallInstruction, f *storageFact, m mode) {
	args := instr.Common().Args
	for _, fo := range f.Maps {
		if fo.Param < 0 || fo.Param >= len(args) {
			continue
		}
		p, ok := c.resolve(s.fn, args[fo.Param])
		if !ok {
			continue
		}
		s.ops = append(s.ops, op{
			kind:          fo.Kind,
			place:         p.add(fo.Path),
			key:           c.bindSrc(s.fn, fo.Key.src(), args),
			val:           c.bindSrc(s.fn, fo.Val.src(), args),
			mode:          max(m, fo.Mode),
			in:            s.fn,
			at:            s.fn,
			site:          instr,
			pos:           sitePos(instr),
			throughWrites: f.Writes || f.MayWrite,
		})
	}
}

func (c *checker) bindSrc(fn *ssa.Function, s src, args []ssa.Value) src {
	if s.kind == srcStored {
		return namedAt(fn, s, args)
	}
	if s.kind != srcParam {
		return s
	}
	if s.param < 0 || s.param >= len(args) || args[s.param] == nil {
		return otherSrc
	}
	return c.trace(fn, args[s.param])
}

// sitePos is the position the check reports for an instruction: the
// opening parenthesis of a call, as go/ssa gives it.
func sitePos(instr ssa.Instruction) token.Pos {
	if call, ok := instr.(ssa.CallInstruction); ok {
		return call.Common().Pos()
	}
	return instr.Pos()
}

// visitOperands looks at every value instr uses: functions of the package
// that escape, and addresses of tracked maps used in ways that let them
// escape.
func (c *checker) visitOperands(s *summary, instr ssa.Instruction) {
	_, isCall := instr.(ssa.CallInstruction)
	_, isClosure := instr.(*ssa.MakeClosure)
	for _, opnd := range instr.Operands(nil) {
		if opnd == nil || *opnd == nil {
			continue
		}
		v := *opnd
		if !isCall && !isClosure {
			if fn, bindings := funcValue(v); fn != nil {
				if target, full := c.local(fn, bindings, nil); target != nil {
					m := modeEscaped
					if isHandler(target) {
						m = modeHandler
					}
					c.addEdge(s, target, m, instr, full)
				}
			}
		}
		if c.pointsToSyncMapHolder(v) {
			if p, ok := c.resolve(s.fn, v); ok {
				c.use(s, instr, v, p)
			}
		}
	}
}

// use records the ways the address v of place p may escape through instr.
func (c *checker) use(s *summary, instr ssa.Instruction, v ssa.Value, p place) {
	add := func(kind opKind) {
		s.ops = append(s.ops, op{kind: kind, place: p, in: s.fn, at: s.fn, site: instr, pos: sitePos(instr)})
	}
	switch in := instr.(type) {
	case *ssa.FieldAddr, *ssa.DebugRef, *ssa.BinOp:
		// Followed elsewhere, or harmless (p == nil).
	case *ssa.MakeClosure:
		// Bound to a function of the package, followed where it runs;
		// a method value of another package (f := cache.Store) is not.
		if fn, ok := in.Fn.(*ssa.Function); !ok || c.closureTarget(fn, in.Bindings) == nil {
			add(opLeak)
		}
	case *ssa.UnOp:
		if in.Op != token.MUL {
			add(opLeak)
		}
	case *ssa.Phi:
		if _, ok := c.resolve(s.fn, in); !ok {
			add(opLeak)
		}
	case *ssa.Store:
		if in.Val == v {
			// Kept in a local variable that stands for the place (see
			// resolve), or stored away where the check loses it.
			if a, ok := in.Addr.(*ssa.Alloc); !ok || !c.resolves(s.fn, a) {
				add(opLeak)
			}
		}
		if _, local := v.(*ssa.Alloc); in.Addr == v && !local {
			s.ops = append(s.ops, op{kind: opReassign, place: p, fresh: isFresh(in.Val), in: s.fn, at: s.fn, site: instr, pos: in.Pos()})
		}
	case *ssa.MakeInterface:
		add(c.interfaceLeak(v))
	case ssa.CallInstruction:
		c.useInCall(s, in, v, add)
	default:
		add(opLeak)
	}
}

func (c *checker) useInCall(s *summary, call ssa.CallInstruction, v ssa.Value, add func(opKind)) {
	common := call.Common()
	if common.Value == v || common.IsInvoke() {
		add(opLeak)
		return
	}
	if _, ok := common.Value.(*ssa.Builtin); ok {
		add(opLeak)
		return
	}
	if target, _ := c.target(common); target != nil {
		return // bound by addEdge
	}
	callee := code.Callee(common)
	if callee == nil {
		add(opLeak)
		return
	}
	obj, ok := callee.Object().(*types.Func)
	if !ok {
		add(opLeak)
		return
	}
	if isSyncMapMethod(obj) {
		for i, a := range common.Args {
			if a == v && i != 0 {
				add(opLeak) // the map itself stored in another map
				return
			}
		}
		return
	}
	if obj.Pkg() != nil && c.analyzed[obj.Pkg()] != nil && paramsReachSyncMap(obj, common.Args, v) {
		return // its fact, bound by visitCall, says what it does
	}
	// Code the check does not see into: it can reach the map if it is
	// handed the map, or a value of a type of its own package (whose
	// unexported fields it sees), or a value with methods of this package
	// it may call; otherwise only through exported fields.
	elem := v.Type().Underlying().(*types.Pointer).Elem()
	if code.IsSyncMap(elem) || declaredIn(elem, obj.Pkg()) || c.hasLocalMethods(elem) {
		add(opLeak)
		return
	}
	add(opLeakExported)
}

func (c *checker) resolves(fn *ssa.Function, v ssa.Value) bool {
	_, ok := c.resolve(fn, v)
	return ok
}

// paramsReachSyncMap reports whether every parameter of obj that receives
// v is declared with a type through which a sync.Map is reached, so that
// the analysis of obj's package followed it.
func paramsReachSyncMap(obj *types.Func, args []ssa.Value, v ssa.Value) bool {
	sig := obj.Signature()
	var params []types.Type
	if recv := sig.Recv(); recv != nil {
		params = append(params, recv.Type())
	}
	for i := range sig.Params().Len() {
		params = append(params, sig.Params().At(i).Type())
	}
	for i, a := range args {
		if a != v {
			continue
		}
		if i >= len(params) || !reachesSyncMap(params[i]) {
			return false
		}
	}
	return true
}

// interfaceLeak is what converting the address v to an interface lets
// happen: anything, if it is the map itself or its type has methods of this
// package that a dynamic call may run; otherwise, its exported fields may
// be reached.
func (c *checker) interfaceLeak(v ssa.Value) opKind {
	elem := v.Type().Underlying().(*types.Pointer).Elem()
	if code.IsSyncMap(elem) || c.hasLocalMethods(elem) {
		return opLeak
	}
	return opLeakExported
}

func (c *checker) hasLocalMethods(t types.Type) bool {
	ms := c.methodSets.MethodSet(types.NewPointer(t))
	for i := range ms.Len() {
		if m := ms.At(i).Obj(); m.Pkg() == c.pass.Pkg {
			return true
		}
	}
	return false
}

func declaredIn(t types.Type, pkg *types.Package) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && pkg != nil && n.Obj().Pkg() == pkg
}

// isFresh reports whether a value stored into a pointer variable is a new
// object (or nil), not another name for an existing one.
func isFresh(v ssa.Value) bool {
	switch v.(type) {
	case *ssa.Alloc, *ssa.Call, *ssa.Const:
		return true
	}
	return false
}

// noteInterface records a type of this package converted to an interface:
// its methods may run whenever the holder of the interface calls them.
func (c *checker) noteInterface(t types.Type) {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok && n.Obj().Pkg() == c.pass.Pkg {
		c.ifaceTypes[n.Origin()] = true
	}
}
