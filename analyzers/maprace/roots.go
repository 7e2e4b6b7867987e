package maprace

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

// A rootKind is how a concurrent context comes to run.
type rootKind int

const (
	handler     rootKind = iota // an HTTP handler: once per request
	analyzerRun                 // the Run of an analysis.Analyzer: once per package, in parallel
	goroutine                   // a go statement
	callback                    // a function handed to time.AfterFunc, WaitGroup.Go or errgroup
	grpcMethod                  // a method of a gRPC service implementation: once per call
	subtest                     // a subtest that calls t.Parallel: with its parallel siblings
)

// A root is a function that runs concurrently: with other instances of
// itself (served contexts, a go statement in a loop) or with the code that
// started it.
type root struct {
	kind rootKind
	fn   *ssa.Function
	name string    // for messages: the function, or the starter's for literals
	pos  token.Pos // where it is registered or started, for Related
	// site is the go statement or call that starts a goroutine context;
	// nil for served contexts.
	site ssa.Instruction
	// outer is the frame of the function that created or started it:
	// captured variables and arguments are values there.
	outer *frame
	args  []ssa.Value // arguments of a go statement, bound to fn's parameters
	free  []ssa.Value // bindings of a closure, bound to fn's free variables
	// recvShared: fn is a method whose receiver all instances share
	// (ServeHTTP, a method value registered as a handler).
	recvShared  bool
	repeats     bool  // a goroutine context whose start runs again without waiting
	spawnerRoot *root // the served context whose function starts this goroutine, if any
	// from, when set, is where the context starts to run concurrently in
	// fn: a parallel subtest's call of t.Parallel.
	from ssa.Instruction
}

// served reports whether the context is run by a server or driver, any
// number of times at once.
func (r *root) served() bool {
	return r.kind == handler || r.kind == analyzerRun || r.kind == grpcMethod
}

// multi reports whether two instances of the context can write a at once.
func (r *root) multi(a *access) bool {
	if r.served() {
		return true
	}
	if r.repeats && !a.fresh {
		return true
	}
	// A goroutine started by every request writes what outlives the request.
	return r.spawnerRoot != nil && !a.spawnerLocal
}

// describe names the context for messages.
func (r *root) describe() string {
	switch r.kind {
	case handler:
		return "HTTP handler " + r.name + ", which runs once per request"
	case analyzerRun:
		return "analyzer run function " + r.name + ", which the drivers run on many packages at once"
	case callback:
		return "callback " + r.name + ", which runs on a goroutine of its own"
	case grpcMethod:
		return "gRPC method " + r.name + ", which runs once per call"
	case subtest:
		if r.repeats {
			return "parallel subtest " + r.name + ", run for each case at once"
		}
		return "parallel subtest " + r.name
	}
	if r.repeats {
		return "goroutine " + r.name + ", started again and again without waiting"
	}
	return "goroutine " + r.name
}

func (c *checker) findRoots(funcs []*ssa.Function) {
	for _, fn := range funcs {
		if fn.Parent() == nil && isServeHTTP(fn) && !c.inTest(fn.Pos()) {
			c.roots = append(c.roots, &root{kind: handler, fn: fn, name: code.ShortName(fn), pos: fn.Pos(), recvShared: true})
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c.rootsAt(fn, instr)
			}
		}
	}
	c.analyzerRoots()
	for _, r := range c.roots {
		if r.site == nil {
			continue
		}
		r.repeats = syncFree(r.site, r.site)
		for _, s := range c.roots {
			if s.served() && s.fn == r.site.Parent() {
				r.spawnerRoot = s
			}
		}
	}
}

// rootsAt records the contexts instr starts or registers.
func (c *checker) rootsAt(fn *ssa.Function, instr ssa.Instruction) {
	outer := &frame{fn: fn, outer: true}
	switch in := instr.(type) {
	case *ssa.Go:
		if r := c.started(goroutine, in.Common().Value, in.Common().Args, outer); r != nil {
			r.site, r.pos = in, in.Pos()
			c.roots = append(c.roots, r)
		}
	case *ssa.Call:
		common := in.Common()
		switch code.FuncName(common) {
		case "time.AfterFunc", "(*sync.WaitGroup).Go", "(*golang.org/x/sync/errgroup.Group).Go",
			"(*golang.org/x/sync/errgroup.Group).TryGo":
			if len(common.Args) == 2 {
				if r := c.started(callback, common.Args[1], nil, outer); r != nil {
					r.site, r.pos = in, in.Pos()
					c.roots = append(c.roots, r)
				}
			}
			return
		}
		if name := code.FuncName(common); name == "(*testing.T).Run" && len(common.Args) == 3 {
			if r := c.started(subtest, common.Args[2], nil, outer); r != nil {
				if r.from = parallelCall(r.fn); r.from != nil {
					r.site, r.pos = in, in.Pos()
					c.roots = append(c.roots, r)
				}
			}
			return
		}
		if c.inTest(in.Pos()) || servedInside(fn) {
			return
		}
		c.grpcRoots(common)
		for _, arg := range common.Args {
			c.handlerValue(arg, outer)
		}
	case *ssa.ChangeType:
		if !c.inTest(in.Pos()) && !servedInside(fn) {
			c.handlerValue(in.X, outer)
		}
	case *ssa.Store:
		if !c.inTest(in.Pos()) && !servedInside(fn) {
			c.handlerValue(in.Val, outer)
		}
	}
}

// parallelCall returns fn's call of (*testing.T).Parallel, if it makes one
// in its own body.
func parallelCall(fn *ssa.Function) ssa.Instruction {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok && code.FuncName(call.Common()) == "(*testing.T).Parallel" {
				return call
			}
		}
	}
	return nil
}

// grpcRoots records the methods of a service implementation registered
// with a generated Register...Server function: gRPC runs each call on a
// goroutine of its own.
func (c *checker) grpcRoots(common *ssa.CallCommon) {
	fn := code.Callee(common)
	if fn == nil || len(common.Args) != 2 {
		return
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok || !isRegisterServer(obj) {
		return
	}
	iface, ok := obj.Signature().Params().At(1).Type().Underlying().(*types.Interface)
	mi, ok2 := common.Args[1].(*ssa.MakeInterface)
	if !ok || !ok2 {
		return
	}
	impl := mi.X.Type()
	for i := range iface.NumMethods() {
		m := iface.Method(i)
		found, _, _ := types.LookupFieldOrMethod(impl, true, m.Pkg(), m.Name())
		method, ok := found.(*types.Func)
		if !ok {
			continue
		}
		if sfn := c.funcs[method]; sfn != nil && len(sfn.Blocks) > 0 {
			c.roots = append(c.roots, &root{kind: grpcMethod, fn: sfn, name: code.ShortName(sfn), pos: mi.Pos(), recvShared: true})
		}
	}
}

// servedInside reports whether fn is, or is created by, an HTTP handler:
// a handler value made there is made for one request.
func servedInside(fn *ssa.Function) bool {
	for ; fn != nil; fn = fn.Parent() {
		if isHandlerSig(fn.Signature) {
			return true
		}
	}
	return false
}

// handlerValue records v as an HTTP handler context when it is a function
// of the package with the handler signature.
func (c *checker) handlerValue(v ssa.Value, outer *frame) {
	if !isHandlerSig(v.Type().Underlying()) {
		return
	}
	if r := c.started(handler, v, nil, outer); r != nil {
		r.pos = v.Pos()
		if r.pos == token.NoPos {
			r.pos = r.fn.Pos()
		}
		for _, old := range c.roots {
			if old.kind == handler && old.fn == r.fn && sameBindings(old, r) {
				return
			}
		}
		c.roots = append(c.roots, r)
	}
}

func sameBindings(a, b *root) bool {
	if len(a.free) != len(b.free) {
		return false
	}
	for i := range a.free {
		if a.free[i] != b.free[i] {
			return false
		}
	}
	return true
}

// started returns the context that running the function value v with args
// makes, or nil when v is not a function of this package with a body.
func (c *checker) started(kind rootKind, v ssa.Value, args []ssa.Value, outer *frame) *root {
	r := &root{kind: kind, outer: outer, args: args}
	switch v := v.(type) {
	case *ssa.Function:
		r.fn = v
	case *ssa.MakeClosure:
		fn, ok := v.Fn.(*ssa.Function)
		if !ok {
			return nil
		}
		r.fn, r.free = fn, v.Bindings
		if method := boundMethod(fn); method != nil {
			// A method value: the receiver is the one binding.
			r.fn, r.free = method, nil
			if kind == handler {
				r.recvShared = true
			} else {
				r.args = v.Bindings
			}
		}
	default:
		return nil
	}
	if o := r.fn.Origin(); o != nil {
		r.fn = o
	}
	if r.fn.Pkg == nil || r.fn.Pkg.Pkg != c.pass.Pkg || len(r.fn.Blocks) == 0 {
		return nil
	}
	r.name = c.contextName(r.fn)
	return r
}

// boundMethod returns the method a bound-method wrapper calls, or nil.
func boundMethod(fn *ssa.Function) *ssa.Function {
	if !strings.HasPrefix(fn.Synthetic, "bound method wrapper") {
		return nil
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok {
				if callee := code.Callee(call.Common()); callee != nil {
					return callee
				}
			}
		}
	}
	return nil
}

// contextName names a context's function; a literal by the function that
// creates it.
func (c *checker) contextName(fn *ssa.Function) string {
	if fn.Parent() == nil {
		return code.ShortName(fn)
	}
	top := fn
	for top.Parent() != nil {
		top = top.Parent()
	}
	return "literal in " + code.ShortName(top)
}

// analyzerRoots records the Run functions of the package's
// analysis.Analyzer literals: the drivers run them on many packages at once.
func (c *checker) analyzerRoots() {
	for _, f := range c.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			obj := runOfAnalyzer(c.pass.TypesInfo, lit)
			if fn := c.funcs[obj]; obj != nil && fn != nil && obj.Signature().Recv() == nil {
				c.roots = append(c.roots, &root{kind: analyzerRun, fn: fn, name: code.ShortName(fn), pos: lit.Pos()})
			}
			return true
		})
	}
}

func (c *checker) inTest(pos token.Pos) bool { return code.IsTestFile(c.pass.Fset, pos) }

// isHandlerSig reports whether t is func(http.ResponseWriter, *http.Request).
func isHandlerSig(t types.Type) bool {
	sig, ok := t.(*types.Signature)
	if !ok || sig.Params().Len() != 2 || sig.Results().Len() != 0 {
		return false
	}
	p0, p1 := sig.Params().At(0).Type(), sig.Params().At(1).Type()
	ptr, ok := types.Unalias(p1).(*types.Pointer)
	return ok && code.IsNamed(p0, "net/http", "ResponseWriter") && code.IsNamed(ptr.Elem(), "net/http", "Request")
}

// isServeHTTP reports whether fn is a ServeHTTP method with the handler
// signature.
func isServeHTTP(fn *ssa.Function) bool {
	obj, ok := fn.Object().(*types.Func)
	return ok && obj.Name() == "ServeHTTP" && obj.Signature().Recv() != nil && isHandlerSig(stripRecv(obj.Signature()))
}

func stripRecv(sig *types.Signature) *types.Signature {
	return types.NewSignatureType(nil, nil, nil, sig.Params(), sig.Results(), sig.Variadic())
}
