package unboundedmap

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

// unboundedKey reports whether a map keyed by t can hold more than a small
// closed set of keys: strings, integers of 32 bits or more and floats, and
// arrays and structs of them. Booleans and 8- and 16-bit integers, named
// types for which constants are declared (enums), and keys that hold a
// pointer, an interface, a channel or a function (their set is bounded by
// the program's objects and types, as in a cache keyed by reflect.Type) are
// not.
func unboundedKey(t types.Type) bool {
	return keyBits(t, 0) > 16
}

// maxKeyNesting bounds how deep keyBits looks into arrays and structs; a
// key nested deeper counts as one that holds a pointer.
const maxKeyNesting = 8

// keyBits returns how many bits of information a key of type t carries,
// capped at 64 (1 for a bool, 8 for a byte), or -1 when the key holds a
// pointer, interface, channel or function.
func keyBits(t types.Type, depth int) int {
	if depth > maxKeyNesting {
		return -1
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		if _, basic := n.Underlying().(*types.Basic); basic && hasConstants(n) {
			return 0 // an enum: its constants are the expected keys
		}
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch u.Kind() {
		case types.Bool:
			return 1
		case types.Int8, types.Uint8:
			return 8
		case types.Int16, types.Uint16:
			return 16
		case types.UnsafePointer:
			return -1
		}
		return 64
	case *types.Array:
		elem := keyBits(u.Elem(), depth+1)
		if elem < 0 {
			return -1
		}
		return capBits(int64(elem) * u.Len())
	case *types.Struct:
		total := 0
		for i := range u.NumFields() {
			f := keyBits(u.Field(i).Type(), depth+1)
			if f < 0 {
				return -1
			}
			total = capBits(int64(total) + int64(f))
		}
		return total
	}
	return -1
}

func capBits(n int64) int {
	if n > 64 {
		return 64
	}
	return int(n)
}

// hasConstants reports whether the package declaring n declares constants
// of type n.
func hasConstants(n *types.Named) bool {
	pkg := n.Obj().Pkg()
	if pkg == nil {
		return false
	}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		if c, ok := scope.Lookup(name).(*types.Const); ok && types.Identical(c.Type(), n) {
			return true
		}
	}
	return false
}

// A kind of input a key can come from.
type origin int

const (
	fromRequest  origin = iota // an *http.Request
	fromNetwork                // a network connection
	fromExported               // a parameter of an exported function
	fromTarget                 // the parameter a tracer with a target looks for
)

// A source is where a key's data enters the program.
type source struct {
	origin origin
	pos    token.Pos
	fn     string         // for fromExported: the function
	param  *ssa.Parameter // for fromExported: the parameter
}

// A tracer follows values back to where their data comes from.
type tracer struct {
	pass    *analysis.Pass
	inits   map[*ssa.Function]bool
	callers map[*ssa.Function][]*ssa.CallCommon // static calls within the package
	closure map[*ssa.Function]*ssa.MakeClosure
	returns map[*ssa.Function][]int // parameters whose data a function returns
	exprs   map[token.Pos]ast.Expr  // built on the first report
	visited map[ssa.Value]bool

	// serves is set for a package that is not a command and imports
	// net/http or net: its exported functions are taken to be called with
	// request data.
	serves bool

	// target, when set, makes the tracer ask only whether a value carries
	// data of this parameter (see returnsData).
	target *ssa.Parameter
}

func newTracer(pass *analysis.Pass, all []*ssa.Function, inits map[*ssa.Function]bool) *tracer {
	t := &tracer{
		pass:    pass,
		inits:   inits,
		serves:  pass.Pkg.Name() != "main" && code.Imports(pass.Pkg, "net/http", "net"),
		callers: make(map[*ssa.Function][]*ssa.CallCommon),
		closure: make(map[*ssa.Function]*ssa.MakeClosure),
		returns: make(map[*ssa.Function][]int),
	}
	for _, fn := range all {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case ssa.CallInstruction:
					if callee := instr.Common().StaticCallee(); callee != nil {
						t.callers[callee] = append(t.callers[callee], instr.Common())
					}
				case *ssa.MakeClosure:
					if fn, ok := instr.Fn.(*ssa.Function); ok {
						t.closure[fn] = instr
					}
				}
			}
		}
	}
	return t
}

// maxDepth bounds the walk back from one key.
const maxDepth = 48

// source returns where the data of the key v comes from, when it comes
// from outside the program.
func (t *tracer) source(v ssa.Value) (source, bool) {
	t.visited = make(map[ssa.Value]bool)
	return t.trace(v, 0)
}

func (t *tracer) trace(v ssa.Value, depth int) (source, bool) {
	if depth > maxDepth || t.visited[v] {
		return source{}, false
	}
	t.visited[v] = true
	switch v := v.(type) {
	case *ssa.Parameter:
		return t.param(v, depth)
	case *ssa.FreeVar:
		return t.freeVar(v, depth)
	case *ssa.UnOp:
		switch v.Op {
		case token.MUL:
			return t.load(v.X, depth)
		case token.ARROW:
			return source{}, false
		}
		return t.trace(v.X, depth+1)
	case *ssa.Alloc:
		// A local array or struct, such as the arguments of a variadic
		// call (fmt.Sprintf): what is stored into it.
		return t.stored(v, depth+1)
	case *ssa.FieldAddr:
		return t.trace(v.X, depth+1)
	case *ssa.Field:
		return t.trace(v.X, depth+1)
	case *ssa.IndexAddr:
		return t.trace(v.X, depth+1)
	case *ssa.Index:
		return t.trace(v.X, depth+1)
	case *ssa.Slice:
		return t.trace(v.X, depth+1)
	case *ssa.Lookup:
		// A value of a map from the input (a header, a form) is input; a
		// value looked up with an input key is the program's own data.
		return t.trace(v.X, depth+1)
	case *ssa.Convert:
		return t.trace(v.X, depth+1)
	case *ssa.ChangeType:
		return t.trace(v.X, depth+1)
	case *ssa.MakeInterface:
		return t.trace(v.X, depth+1)
	case *ssa.ChangeInterface:
		return t.trace(v.X, depth+1)
	case *ssa.TypeAssert:
		return t.trace(v.X, depth+1)
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok {
			return t.call(call, v.Index, depth)
		}
		return t.trace(v.Tuple, depth+1)
	case *ssa.BinOp:
		switch v.Op {
		case token.ADD, token.SUB, token.MUL, token.OR, token.XOR, token.SHL, token.AND_NOT:
			if s, ok := t.trace(v.X, depth+1); ok {
				return s, true
			}
			return t.trace(v.Y, depth+1)
		}
		// %, &, >>, / bound the value; comparisons give a bool.
		return source{}, false
	case *ssa.Phi:
		for _, e := range v.Edges {
			if s, ok := t.trace(e, depth+1); ok {
				return s, true
			}
		}
	case *ssa.Call:
		return t.call(v, 0, depth)
	}
	return source{}, false
}

// load follows *addr: the values stored into a local variable, or the
// variable or field whose address addr is.
func (t *tracer) load(addr ssa.Value, depth int) (source, bool) {
	switch a := addr.(type) {
	case *ssa.Alloc:
		return t.stored(a, depth)
	case *ssa.Global:
		return source{}, false
	}
	return t.trace(addr, depth+1)
}

// stored follows the values stored into a local variable, whole or into
// its fields and elements (a composite literal key is built that way).
func (t *tracer) stored(addr ssa.Value, depth int) (source, bool) {
	refs := addr.Referrers()
	if refs == nil || depth > maxDepth {
		return source{}, false
	}
	for _, ref := range *refs {
		switch r := ref.(type) {
		case *ssa.Store:
			if r.Addr == addr {
				if src, ok := t.trace(r.Val, depth+1); ok {
					return src, true
				}
			}
		case *ssa.FieldAddr:
			if src, ok := t.stored(r, depth+1); ok {
				return src, true
			}
		case *ssa.IndexAddr:
			if src, ok := t.stored(r, depth+1); ok {
				return src, true
			}
		}
	}
	return source{}, false
}

// param follows a parameter: an *http.Request is the request; a parameter
// of an exported function of a package that serves the network is its
// caller's data; any other parameter is what the calls in this package
// pass.
func (t *tracer) param(p *ssa.Parameter, depth int) (source, bool) {
	if t.target != nil {
		return source{origin: fromTarget, pos: p.Pos()}, p == t.target
	}
	if isRequest(p.Type()) {
		return source{origin: fromRequest, pos: p.Pos()}, true
	}
	fn := p.Parent()
	receiver := fn.Signature.Recv() != nil && len(fn.Params) > 0 && fn.Params[0] == p
	if name, ok := exportedFunc(fn); ok && !receiver && t.serves {
		return source{origin: fromExported, pos: p.Pos(), fn: name, param: p}, true
	}
	index := -1
	for i, q := range fn.Params {
		if q == p {
			index = i
		}
	}
	if index < 0 {
		return source{}, false
	}
	for _, call := range t.callers[fn] {
		args := call.Args
		if index < len(args) {
			if s, ok := t.trace(args[index], depth+1); ok {
				return s, true
			}
		}
	}
	return source{}, false
}

// freeVar follows a variable captured by a closure to what the enclosing
// function binds to it.
func (t *tracer) freeVar(fv *ssa.FreeVar, depth int) (source, bool) {
	fn := fv.Parent()
	mc := t.closure[fn]
	if mc == nil {
		return source{}, false
	}
	for i, free := range fn.FreeVars {
		if free == fv && i < len(mc.Bindings) {
			b := mc.Bindings[i]
			if alloc, ok := b.(*ssa.Alloc); ok {
				return t.load(alloc, depth+1)
			}
			return t.trace(b, depth+1)
		}
	}
	return source{}, false
}

// call follows result i of a call: a read from the network is a source;
// functions that transform their arguments (strings, strconv, net/url,
// the accessors of *http.Request, ...) and functions of this package that
// return data of their parameters pass their arguments' source on.
func (t *tracer) call(call *ssa.Call, result int, depth int) (source, bool) {
	common := call.Common()
	if t.target != nil {
		return t.passed(common, depth)
	}
	if common.IsInvoke() {
		switch common.Method.Name() {
		case "RemoteAddr":
			return source{origin: fromNetwork, pos: call.Pos()}, true
		case "String":
			return t.trace(common.Value, depth+1)
		case "ReadFrom":
			if result == 1 && isPacketConn(common.Value.Type()) {
				return source{origin: fromNetwork, pos: call.Pos()}, true
			}
		}
		return source{}, false
	}
	name := code.FuncName(common)
	switch name {
	case "(*net.TCPConn).RemoteAddr", "(*net.UDPConn).RemoteAddr", "(*net.UnixConn).RemoteAddr",
		"(*net.IPConn).RemoteAddr":
		return source{origin: fromNetwork, pos: call.Pos()}, true
	case "(*net.UDPConn).ReadFromUDP", "(*net.UDPConn).ReadFrom", "(*net.UDPConn).ReadFromUDPAddrPort",
		"(*net.IPConn).ReadFromIP", "(*net.IPConn).ReadFrom":
		if result == 1 {
			return source{origin: fromNetwork, pos: call.Pos()}, true
		}
		return source{}, false
	case "(*bufio.Scanner).Text", "(*bufio.Scanner).Bytes", "(*bufio.Reader).ReadString",
		"(*bufio.Reader).ReadBytes", "(*bufio.Reader).ReadLine", "(*bufio.Reader).ReadSlice",
		"(*net/textproto.Reader).ReadLine":
		if result == 0 && len(common.Args) > 0 {
			return t.reader(common.Args[0], call.Pos(), depth)
		}
		return source{}, false
	}
	return t.passed(common, depth)
}

// passed follows a call that returns data of its arguments.
func (t *tracer) passed(common *ssa.CallCommon, depth int) (source, bool) {
	if common.IsInvoke() {
		if common.Method.Name() == "String" {
			return t.trace(common.Value, depth+1)
		}
		return source{}, false
	}
	if passesOn(common) {
		for _, a := range common.Args {
			if s, ok := t.trace(a, depth+1); ok {
				return s, true
			}
		}
		return source{}, false
	}
	fn := common.StaticCallee()
	if fn == nil || fn.Blocks == nil || fn.Pkg == nil || fn.Pkg.Pkg != t.pass.Pkg {
		return source{}, false
	}
	for _, i := range t.returnedParams(fn) {
		if i < len(common.Args) {
			if s, ok := t.trace(common.Args[i], depth+1); ok {
				return s, true
			}
		}
	}
	return source{}, false
}

// maxReaderWraps bounds how many wrapping readers reader looks through.
const maxReaderWraps = 4

// reader follows the receiver of a bufio or textproto read to the reader it
// wraps: lines read from a network connection or a request body are input.
func (t *tracer) reader(recv ssa.Value, pos token.Pos, depth int) (source, bool) {
	for range maxReaderWraps {
		switch r := recv.(type) {
		case *ssa.Call:
			switch code.FuncName(r.Common()) {
			case "bufio.NewScanner", "bufio.NewReader", "bufio.NewReaderSize", "net/textproto.NewReader":
				if len(r.Common().Args) == 0 {
					return source{}, false
				}
				inner := unbox(r.Common().Args[0])
				if isConn(inner.Type()) {
					return source{origin: fromNetwork, pos: pos}, true
				}
				recv = inner
				continue
			}
			return source{}, false
		case *ssa.UnOp:
			if alloc, ok := r.X.(*ssa.Alloc); ok && r.Op == token.MUL {
				v, ok := onlyStore(alloc)
				if !ok {
					return source{}, false
				}
				recv = v
				continue
			}
		}
		break
	}
	if isConn(recv.Type()) {
		return source{origin: fromNetwork, pos: pos}, true
	}
	// r.Body of a request: the request is the source.
	if s, ok := t.trace(recv, depth+1); ok && s.origin == fromRequest {
		return s, true
	}
	return source{}, false
}

func onlyStore(alloc *ssa.Alloc) (ssa.Value, bool) {
	var val ssa.Value
	for _, ref := range *alloc.Referrers() {
		if s, ok := ref.(*ssa.Store); ok && s.Addr == alloc {
			if val != nil {
				return nil, false
			}
			val = s.Val
		}
	}
	return val, val != nil
}

// returnedParams returns the indices of the parameters of fn, a function
// of this package, whose data fn returns (through the transformations the
// tracer follows).
func (t *tracer) returnedParams(fn *ssa.Function) []int {
	if r, ok := t.returns[fn]; ok {
		return r
	}
	t.returns[fn] = nil // recursion finds nothing
	saved := t.visited
	var out []int
	for i, p := range fn.Params {
		if t.returnsData(fn, p) {
			out = append(out, i)
		}
	}
	t.visited = saved
	t.returns[fn] = out
	return out
}

// returnsData reports whether fn returns data of its parameter p: a walk
// back from its results that treats p alone as a source.
func (t *tracer) returnsData(fn *ssa.Function, p *ssa.Parameter) bool {
	sub := &tracer{pass: t.pass, inits: t.inits, closure: t.closure, returns: t.returns, target: p}
	for _, ret := range code.Returns(fn) {
		for _, r := range ret.Results {
			sub.visited = make(map[ssa.Value]bool)
			if src, ok := sub.trace(r, 0); ok && src.origin == fromTarget {
				return true
			}
		}
	}
	return false
}

// passesOn reports whether a call returns data of its arguments unbounded:
// the functions of strings, bytes, strconv, path, net/url and the like,
// fmt's Sprint family, and the accessors of requests, headers, URLs and
// addresses.
func passesOn(call *ssa.CallCommon) bool {
	fn := code.Callee(call)
	if fn == nil {
		return false
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok || obj.Pkg() == nil {
		return false
	}
	switch obj.Pkg().Path() {
	case "strings", "bytes", "strconv", "path", "path/filepath", "net/url", "net/netip", "unicode",
		"encoding/hex", "encoding/base64", "encoding/base32", "crypto/sha256", "crypto/sha1",
		"crypto/sha512", "crypto/md5":
		return true
	}
	if obj.Pkg().Path() == "net" && obj.Name() == "String" {
		return true // the String methods of addresses and IPs
	}
	switch obj.FullName() {
	case "fmt.Sprint", "fmt.Sprintf", "fmt.Sprintln",
		"net.SplitHostPort", "net.JoinHostPort", "net.ParseIP", "net.ParseCIDR",
		"(net/http.Header).Get", "(net/http.Header).Values", "(*net/http.Cookie).String":
		return true
	}
	if sig, ok := obj.Type().(*types.Signature); ok && sig.Recv() != nil && isRequest(sig.Recv().Type()) {
		switch obj.Name() {
		case "Context", "WithContext", "Clone", "ParseForm", "ParseMultipartForm", "Write", "WriteProxy":
			return false
		}
		return true // FormValue, PathValue, Cookie, UserAgent, Referer, BasicAuth, ...
	}
	return false
}

func isRequest(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && code.IsNamed(p.Elem(), "net/http", "Request")
}

// isConn reports whether t has the methods of a network connection.
func isConn(t types.Type) bool {
	return hasMethods(t, "Read", "RemoteAddr")
}

func isPacketConn(t types.Type) bool {
	return hasMethods(t, "ReadFrom", "LocalAddr")
}

func hasMethods(t types.Type, names ...string) bool {
	ms := types.NewMethodSet(t)
	for _, name := range names {
		found := false
		for i := range ms.Len() {
			if ms.At(i).Obj().Name() == name {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// exportedFunc returns the name of fn when other packages can call it: an
// exported function, or an exported method of an exported type.
func exportedFunc(fn *ssa.Function) (string, bool) {
	obj, ok := fn.Object().(*types.Func)
	if !ok || !obj.Exported() || fn.Parent() != nil {
		return "", false
	}
	sig := fn.Signature
	if sig.Recv() == nil {
		return obj.Name(), true
	}
	rt := sig.Recv().Type()
	if p, ok := rt.(*types.Pointer); ok {
		rt = p.Elem()
	}
	n, ok := types.Unalias(rt).(*types.Named)
	if !ok || !n.Obj().Exported() {
		return "", false
	}
	return n.Obj().Name() + "." + obj.Name(), true
}
