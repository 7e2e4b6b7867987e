package poolcopy

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/wrappers"
)

// An origin says where a copied value was stored: the container whose
// element, entry or field the copy leaves behind.
type origin int

const (
	fromMap     origin = iota // a map entry, read by index or by range
	fromElement               // an element of a slice or array
	fromField                 // a field reached through a pointer
	fromGlobal                // a package-level variable
	fromIface                 // the value inside an interface (sync.Map, map[K]any, any field)
	fromCall                  // the result of a function that returns a stored value
)

// A copy is the provenance of a value that is a copy of data stored
// elsewhere, which goes on existing after the copy is made.
type copy struct {
	origin origin
	at     token.Pos     // the instruction that reads the stored data
	call   *ssa.Call     // for fromCall: the call
	result int           // for fromCall: the index of the result
	callee *ssa.Function // for fromCall: the (generic origin) function called
}

// maxDepth bounds every walk over values.
const maxDepth = 24

// maxCalled bounds how many functions leavesStored looks into (the function
// whose result it trusts, and those it calls) before it gives up.
const maxCalled = 8

// copyOf returns where v, a value in fn, was copied from, when it is a copy
// of stored data: read from a map, from a slice, array or field reached
// through a pointer, from a package-level variable, out of an interface that
// itself is stored, or returned by a function that returns such a copy.
func (c *checker) copyOf(v ssa.Value, depth int) (copy, bool) {
	if depth > maxDepth {
		return copy{}, false
	}
	switch v := v.(type) {
	case *ssa.Lookup:
		if code.IsMap(v.X.Type()) && !v.CommaOk {
			return copy{origin: fromMap, at: v.Pos()}, true
		}
	case *ssa.Extract:
		switch t := v.Tuple.(type) {
		case *ssa.Lookup:
			if v.Index == 0 && code.IsMap(t.X.Type()) {
				return copy{origin: fromMap, at: t.Pos()}, true
			}
		case *ssa.Next:
			// Range over a map: #1 is the key, #2 the value.
			if !t.IsString && v.Index > 0 {
				return copy{origin: fromMap, at: t.Iter.Pos()}, true
			}
		case *ssa.TypeAssert:
			if v.Index == 0 && c.storedIface(t.X, depth+1) {
				return copy{origin: fromIface, at: t.Pos()}, true
			}
		case *ssa.Call:
			return c.callCopy(t, v.Index)
		}
	case *ssa.TypeAssert:
		if !v.CommaOk && c.storedIface(v.X, depth+1) {
			return copy{origin: fromIface, at: v.Pos()}, true
		}
	case *ssa.Call:
		return c.callCopy(v, 0)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return c.loadCopy(v, depth+1)
		}
	case *ssa.Field:
		return c.copyOf(v.X, depth+1)
	case *ssa.Index:
		return c.copyOf(v.X, depth+1)
	case *ssa.ChangeType:
		return c.copyOf(v.X, depth+1)
	}
	return copy{}, false
}

// returnedCopy is copyOf for a value a function returns. A function with a
// defer, or with named results, returns the contents of a local result
// variable: the values stored into it are what it returns. seen holds the
// variables already followed in this search, at the smallest depth: a
// variable met again no nearer finds nothing new (a search that found a
// copy has returned), and locals stored into each other in a loop (generic
// code keeps its values in them) would otherwise be followed along every
// path, exponentially (a 4-file dependency of prometheus ran for minutes).
func (c *checker) returnedCopy(v ssa.Value, depth int, seen map[*ssa.Alloc]int) (copy, bool) {
	if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL && depth <= maxDepth {
		if alloc, ok := load.X.(*ssa.Alloc); ok {
			if d, ok := seen[alloc]; ok && d <= depth {
				return copy{}, false
			}
			seen[alloc] = depth
			for _, ref := range *alloc.Referrers() {
				if s, ok := ref.(*ssa.Store); ok && s.Addr == alloc {
					if cp, ok := c.returnedCopy(s.Val, depth+1, seen); ok {
						return cp, true
					}
				}
			}
			return copy{}, false
		}
	}
	return c.copyOf(v, depth)
}

// loadCopy classifies a load *addr.
func (c *checker) loadCopy(load *ssa.UnOp, depth int) (copy, bool) {
	switch a := load.X.(type) {
	case *ssa.Global:
		return copy{origin: fromGlobal, at: load.Pos()}, true
	case *ssa.FieldAddr:
		if c.storedPointer(a.X, depth) {
			return copy{origin: fromField, at: a.Pos()}, true
		}
	case *ssa.IndexAddr:
		if c.storedElements(a.X, depth) {
			return copy{origin: fromElement, at: a.Pos()}, true
		}
	case *ssa.Parameter:
		// *p for a pointer parameter: the pointee is the caller's.
		return copy{origin: fromField, at: load.Pos()}, true
	}
	return copy{}, false
}

// storedPointer reports whether the pointer p points into memory that
// outlives the function: not into one of its own variables.
func (c *checker) storedPointer(p ssa.Value, depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch p := p.(type) {
	case *ssa.Parameter, *ssa.Global:
		return true
	case *ssa.UnOp:
		return p.Op == token.MUL // a pointer loaded from memory
	case *ssa.FieldAddr:
		return c.storedPointer(p.X, depth+1)
	case *ssa.IndexAddr:
		return c.storedElements(p.X, depth+1)
	case *ssa.Lookup:
		return code.IsMap(p.X.Type())
	case *ssa.Extract:
		switch t := p.Tuple.(type) {
		case *ssa.Lookup:
			return p.Index == 0
		case *ssa.TypeAssert:
			return p.Index == 0 && c.storedIface(t.X, depth+1)
		case *ssa.Next:
			return !t.IsString && p.Index > 0
		}
	case *ssa.TypeAssert:
		return !p.CommaOk && c.storedIface(p.X, depth+1)
	}
	return false
}

// storedElements reports whether x, the operand of an IndexAddr (a slice or
// a pointer to an array), addresses elements that outlive the function.
func (c *checker) storedElements(x ssa.Value, depth int) bool {
	if depth > maxDepth {
		return false
	}
	if _, isPtr := x.Type().Underlying().(*types.Pointer); isPtr {
		return c.storedPointer(x, depth+1)
	}
	switch x := x.(type) {
	case *ssa.Parameter:
		// A variadic parameter is a slice its caller built for the call.
		fn := x.Parent()
		sig := fn.Signature
		return !(sig.Variadic() && len(fn.Params) > 0 && fn.Params[len(fn.Params)-1] == x)
	case *ssa.Global:
		return true
	case *ssa.UnOp:
		return x.Op == token.MUL
	case *ssa.Slice:
		return c.storedElements(x.X, depth+1)
	case *ssa.Lookup:
		return code.IsMap(x.X.Type())
	case *ssa.Extract:
		if _, ok := x.Tuple.(*ssa.Lookup); ok && x.Index == 0 {
			return true
		}
	}
	return false
}

// storedIface reports whether the interface value x was read from storage,
// so that the value it holds stays stored after a type assertion copies it.
func (c *checker) storedIface(x ssa.Value, depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch x := x.(type) {
	case *ssa.Extract:
		switch t := x.Tuple.(type) {
		case *ssa.Call:
			// Load and LoadOrStore leave the value in the sync.Map.
			switch code.FuncName(t.Common()) {
			case "(*sync.Map).Load", "(*sync.Map).LoadOrStore":
				return x.Index == 0
			}
		case *ssa.Lookup:
			return x.Index == 0 && code.IsMap(t.X.Type())
		case *ssa.Next:
			return !t.IsString && x.Index > 0
		}
	case *ssa.Lookup:
		return code.IsMap(x.X.Type()) && !x.CommaOk
	case *ssa.UnOp:
		if x.Op == token.MUL {
			_, ok := c.loadCopy(x, depth+1)
			return ok
		}
	case *ssa.Field:
		_, ok := c.copyOf(x.X, depth+1)
		return ok
	case *ssa.Call:
		return code.FuncName(x.Common()) == "(*sync/atomic.Value).Load"
	}
	return false
}

// callCopy classifies result i of call: a copy when the function called
// returns, at that index, a copy of data it leaves stored.
func (c *checker) callCopy(call *ssa.Call, i int) (copy, bool) {
	fn := code.Callee(call.Common())
	if fn == nil {
		return copy{}, false
	}
	for _, r := range c.returnedCopies(fn) {
		if r == i {
			return copy{origin: fromCall, at: call.Pos(), call: call, result: i, callee: fn}, true
		}
	}
	return copy{}, false
}

// returnedCopies returns the indices of the results of fn (a source
// function or a generic origin) that can be copies of data fn leaves
// stored, from fn's body when it is in this package and from the facts of
// other packages otherwise.
func (c *checker) returnedCopies(fn *ssa.Function) []int {
	if s, ok := c.summaries[fn]; ok {
		return s.results
	}
	if fn.Blocks == nil {
		if f := wrappers.Imported[copiesOut](c.pass, fn); f != nil {
			return f.Results
		}
		return nil
	}
	// Recursion (a function that returns its own call's result) reads the
	// placeholder and finds nothing.
	c.summaries[fn] = &summary{}
	s := c.summarize(fn)
	c.summaries[fn] = s
	return s.results
}

// A summary is what the check knows of a function of this package.
type summary struct {
	results []int             // results that return stored copies
	copies  map[int]token.Pos // where the copy returned is read
}

func (c *checker) summarize(fn *ssa.Function) *summary {
	s := &summary{copies: make(map[int]token.Pos)}
	results := fn.Signature.Results()
	if results.Len() == 0 {
		return s
	}
	var candidates []int
	for i := range results.Len() {
		if returnsUnseen(results.At(i).Type()) {
			candidates = append(candidates, i)
		}
	}
	if len(candidates) == 0 {
		return s
	}
	rets := code.Returns(fn)
	for _, i := range candidates {
		for _, r := range rets {
			if i >= len(r.Results) {
				continue
			}
			if cp, ok := c.returnedCopy(r.Results[i], 0, make(map[*ssa.Alloc]int)); ok {
				s.results = append(s.results, i)
				s.copies[i] = cp.at
				break
			}
		}
	}
	if len(s.results) > 0 && !c.leavesStored(fn, rets, make(map[*ssa.Function]bool)) {
		return &summary{}
	}
	return s
}

// leavesStored reports whether fn can be trusted to leave in place the data
// whose copy it returns: it removes nothing (no delete or clear, no Store
// into memory it did not allocate, no map update but of the value it
// returns, no removing sync.Map method) and calls only functions that
// satisfy the same, locks, and the reading methods of sync.Map and
// sync/atomic. A pop from a queue or a swap returns the only remaining
// copy, which its caller may use freely.
func (c *checker) leavesStored(fn *ssa.Function, rets []*ssa.Return, visiting map[*ssa.Function]bool) bool {
	if visiting[fn] {
		return true // checked already, or being checked further up
	}
	if len(visiting) > maxCalled {
		return false // too deep to tell: in doubt, not trusted
	}
	visiting[fn] = true
	returned := returnedValues(rets)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Store:
				if !localAddr(instr.Addr, 0) {
					return false
				}
			case *ssa.MapUpdate:
				if !returned[instr.Value] && !localMap(instr.Map) {
					return false
				}
			case *ssa.Send, *ssa.Go:
				return false
			case ssa.CallInstruction:
				if !c.keepsData(instr.Common(), visiting) {
					return false
				}
			}
		}
	}
	for _, anon := range fn.AnonFuncs {
		if !c.leavesStored(anon, nil, visiting) {
			return false
		}
	}
	return true
}

// keepsData reports whether a call made by a function under leavesStored
// leaves stored data in place.
func (c *checker) keepsData(call *ssa.CallCommon, visiting map[*ssa.Function]bool) bool {
	if b, ok := call.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "delete", "clear", "copy":
			return false
		}
		return true
	}
	if call.IsInvoke() {
		return false
	}
	switch name := code.FuncName(call); name {
	case "(*sync.Mutex).Lock", "(*sync.Mutex).Unlock", "(*sync.Mutex).TryLock",
		"(*sync.RWMutex).Lock", "(*sync.RWMutex).Unlock", "(*sync.RWMutex).RLock",
		"(*sync.RWMutex).RUnlock", "(*sync.RWMutex).TryLock", "(*sync.RWMutex).TryRLock",
		"(*sync.Map).Load", "(*sync.Map).LoadOrStore", "(*sync.Map).Range",
		"(*sync.Once).Do",
		"(*sync/atomic.Value).Load", "(*sync/atomic.Bool).Load", "(*sync/atomic.Int32).Load",
		"(*sync/atomic.Int64).Load", "(*sync/atomic.Uint32).Load", "(*sync/atomic.Uint64).Load",
		"(*sync/atomic.Uintptr).Load", "(*sync/atomic.Pointer).Load":
		return true
	}
	fn := code.Callee(call)
	if fn == nil {
		return false // a dynamic call may do anything
	}
	if fn.Blocks != nil && fn.Pkg != nil && fn.Pkg.Pkg == c.pass.Pkg {
		return c.leavesStored(fn, code.Returns(fn), visiting)
	}
	// A function of another package is trusted when its fact says it
	// returns stored copies: the fact is only exported for such functions.
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return false
	}
	var f copiesOut
	return c.pass.ImportObjectFact(obj, &f)
}

// returnedValues returns the values rets return, through phis and the
// local result variables of functions with a defer or named results.
func returnedValues(rets []*ssa.Return) map[ssa.Value]bool {
	out := make(map[ssa.Value]bool)
	var add func(v ssa.Value, depth int)
	add = func(v ssa.Value, depth int) {
		if out[v] || depth > maxDepth {
			return
		}
		out[v] = true
		switch v := v.(type) {
		case *ssa.Phi:
			for _, e := range v.Edges {
				add(e, depth+1)
			}
		case *ssa.UnOp:
			alloc, ok := v.X.(*ssa.Alloc)
			if !ok || v.Op != token.MUL {
				return
			}
			for _, ref := range *alloc.Referrers() {
				if s, ok := ref.(*ssa.Store); ok && s.Addr == alloc {
					add(s.Val, depth+1)
				}
			}
		}
	}
	for _, r := range rets {
		for _, v := range r.Results {
			add(v, 0)
		}
	}
	return out
}

// localAddr reports whether addr is (a part of) a variable of its function.
func localAddr(addr ssa.Value, depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch a := addr.(type) {
	case *ssa.Alloc:
		return true
	case *ssa.FieldAddr:
		return localAddr(a.X, depth+1)
	case *ssa.IndexAddr:
		if _, isPtr := a.X.Type().Underlying().(*types.Pointer); isPtr {
			return localAddr(a.X, depth+1)
		}
		if s, ok := a.X.(*ssa.Slice); ok {
			return localAddr(s.X, depth+1)
		}
		_, made := a.X.(*ssa.MakeSlice)
		return made
	}
	return false
}

func localMap(m ssa.Value) bool {
	_, ok := m.(*ssa.MakeMap)
	return ok
}
