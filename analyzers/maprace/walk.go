package maprace

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

// A frame is one function on the way from a context's root to an access:
// where its parameters and free variables come from, and which locks its
// callers hold.
type frame struct {
	fn     *ssa.Function
	root   *root
	caller *frame      // nil for the root's own frame and for outer frames
	args   []ssa.Value // in caller (or, for a root, in root.outer), bound to fn.Params
	free   []ssa.Value // in freeIn, bound to fn.FreeVars
	freeIn *frame      // the frame where free's values live
	locks  []heldLock  // held by the callers at the call
	outer  bool        // the function that starts or registers a context
	depth  int
}

// An access is a read or a write of a map reachable by several goroutines.
type access struct {
	instr ssa.Instruction
	write bool
	key   string // which map: equal keys, same map
	desc  string // the map, for messages
	locks []heldLock
	root  *root         // the context it runs in (nil for outer accesses)
	fn    *ssa.Function // the function holding instr
	// outer accesses are made by the function that starts a goroutine,
	// after starting it (at after).
	outer bool
	after ssa.Instruction
	// fresh: the map is made anew each time the context's start runs (a
	// loop's own variable); spawnerLocal: it lives in the starting
	// function's own variables.
	fresh, spawnerLocal bool
}

// walkRoot records the accesses of the context r and of the package's
// functions it calls.
func (c *checker) walkRoot(r *root) {
	f := &frame{fn: r.fn, root: r, args: r.args, free: r.free, freeIn: r.outer}
	visits := 0
	seen := make(map[ssa.Instruction]bool) // call sites walked into
	var walk func(f *frame)
	walk = func(f *frame) {
		visits++
		for _, b := range f.fn.Blocks {
			for _, instr := range b.Instrs {
				if f.caller == nil && r.from != nil && !code.Reaches(r.from, instr) {
					continue // a parallel subtest runs alone up to t.Parallel
				}
				for _, op := range mapOps(instr) {
					c.record(f, instr, op)
				}
				if w := c.importedWrite(instr); w != nil {
					c.access = append(c.access, &access{
						instr: instr, write: true, key: w.Key,
						desc:  "package-level map " + w.Name + " (in " + calleeName(instr) + ")",
						locks: c.locksAt(f, instr), root: f.root, fn: f.fn,
					})
				}
				if visits >= maxVisits || f.depth >= maxCallDepth {
					continue
				}
				if callee := c.calleeFrame(f, instr); callee != nil && !seen[instr] {
					seen[instr] = true
					walk(callee)
				}
			}
		}
	}
	walk(f)
}

// calleeFrame returns the frame of the package's function that instr calls
// (or defers) with its body, or nil.
func (c *checker) calleeFrame(f *frame, instr ssa.Instruction) *frame {
	var common *ssa.CallCommon
	switch in := instr.(type) {
	case *ssa.Call:
		common = in.Common()
	case *ssa.Defer:
		common = in.Common()
	default:
		return nil
	}
	if common.IsInvoke() {
		return nil
	}
	callee := &frame{caller: f, root: f.root, depth: f.depth + 1}
	switch v := common.Value.(type) {
	case *ssa.Function:
		callee.fn, callee.args = v, common.Args
	case *ssa.MakeClosure:
		fn, ok := v.Fn.(*ssa.Function)
		if !ok {
			return nil
		}
		callee.fn, callee.args, callee.free, callee.freeIn = fn, common.Args, v.Bindings, f
	default:
		return nil
	}
	if o := callee.fn.Origin(); o != nil {
		callee.fn = o
	}
	if callee.fn.Pkg == nil || callee.fn.Pkg.Pkg != c.pass.Pkg || len(callee.fn.Blocks) == 0 || onStack(f, callee.fn) {
		return nil
	}
	callee.locks = append(append([]heldLock(nil), f.locks...), c.localLocksAt(f, instr)...)
	return callee
}

func onStack(f *frame, fn *ssa.Function) bool {
	for ; f != nil; f = f.caller {
		if f.fn == fn {
			return true
		}
	}
	return false
}

// record notes the access op of instr when its map is shared.
func (c *checker) record(f *frame, instr ssa.Instruction, op mapOp) {
	key, ok := c.resolve(f, op.m, 0)
	if !ok {
		return
	}
	a := &access{
		instr: instr, write: op.write, key: key.key, desc: key.desc,
		locks: c.locksAt(f, instr), root: f.root, fn: f.fn,
		spawnerLocal: key.spawnerLocal,
	}
	if r := f.root; r.site != nil {
		for _, v := range key.outerVals {
			if def, ok := v.(ssa.Instruction); ok && code.Reaches(r.site, def) {
				a.fresh = true
			}
		}
	}
	c.access = append(c.access, a)
}

// A mapKey says which map a value is: the same key, the same map.
type mapKey struct {
	key, desc    string
	outerVals    []ssa.Value // values of the starting function it depends on
	spawnerLocal bool        // it depends on a local of the starting function
}

// resolve returns the key of the map (or, for a pointer, of the variable)
// v denotes in frame f, when every context that runs f's function sees the
// same one: a package-level variable, a field of a shared value, a
// variable or value of the function that started the context. Values made
// by the context itself are its own, and unknown values are left alone.
func (c *checker) resolve(f *frame, v ssa.Value, depth int) (mapKey, bool) {
	if depth > maxDepth || f == nil {
		return mapKey{}, false
	}
	switch v := v.(type) {
	case *ssa.Global:
		obj, ok := v.Object().(*types.Var)
		if !ok {
			return mapKey{}, false
		}
		desc := "package-level map " + v.Name()
		if obj.Pkg() != c.pass.Pkg {
			desc = "package-level map " + obj.Pkg().Name() + "." + v.Name()
		}
		return mapKey{key: globalKey(obj), desc: desc}, true
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return c.resolve(f, v.X, depth+1)
		}
		return mapKey{}, false
	case *ssa.ChangeType:
		return c.resolve(f, v.X, depth+1)
	case *ssa.FieldAddr:
		return c.field(f, v.X, fieldOf(v.X.Type(), v.Field), depth)
	case *ssa.Field:
		return c.field(f, v.X, fieldOf(v.X.Type(), v.Field), depth)
	case *ssa.Parameter:
		if f.outer {
			return local(f, v, v.Name()), true
		}
		i := paramIndex(f.fn, v)
		if i < 0 {
			return mapKey{}, false
		}
		if f.caller == nil && f.root != nil && f.root.recvShared && i == 0 && f.fn.Signature.Recv() != nil {
			return mapKey{key: fmt.Sprintf("r:%p", recvNamed(f.fn)), desc: "the receiver " + v.Name()}, recvNamed(f.fn) != nil
		}
		if i < len(f.args) {
			in := f.caller
			if in == nil && f.root != nil {
				in = f.root.outer
			}
			return named(c.resolve(in, f.args[i], depth+1))(v.Name())
		}
		return mapKey{}, false
	case *ssa.FreeVar:
		if f.outer {
			return local(f, v, v.Name()), true
		}
		for i, fv := range f.fn.FreeVars {
			if fv == v && i < len(f.free) {
				return named(c.resolve(f.freeIn, f.free[i], depth+1))(v.Name())
			}
		}
		return mapKey{}, false
	case *ssa.Alloc:
		if f.outer {
			return local(f, v, v.Comment), true
		}
	case *ssa.MakeMap, *ssa.Call, *ssa.Phi, *ssa.Lookup, *ssa.Extract:
		if f.outer {
			return local(f, v, ""), true
		}
	}
	return mapKey{}, false
}

// named names an unnamed map after the parameter or variable it reaches a
// function through.
func named(k mapKey, ok bool) func(string) (mapKey, bool) {
	return func(name string) (mapKey, bool) {
		if ok && k.desc == "the map" {
			k.desc = "map " + name
		}
		return k, ok
	}
}

// local is the key of a value of the function that starts a context.
func local(f *frame, v ssa.Value, name string) mapKey {
	desc := "the map"
	if name != "" {
		desc = "map " + name
	}
	return mapKey{key: fmt.Sprintf("v:%p", v), desc: desc, outerVals: []ssa.Value{v}, spawnerLocal: true}
}

// field is the key of a field of the value base denotes.
func (c *checker) field(f *frame, base ssa.Value, fld *types.Var, depth int) (mapKey, bool) {
	if fld == nil {
		return mapKey{}, false
	}
	b, ok := c.resolve(f, base, depth+1)
	if !ok {
		return mapKey{}, false
	}
	desc := "map field " + fld.Name()
	if n := namedOf(base.Type()); n != nil {
		desc = "map field " + n.Obj().Name() + "." + fld.Name()
	}
	return mapKey{key: fmt.Sprintf("f:%p/%s", fld, b.key), desc: desc, outerVals: b.outerVals, spawnerLocal: b.spawnerLocal}, true
}

func fieldOf(t types.Type, i int) *types.Var {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	s, ok := t.Underlying().(*types.Struct)
	if !ok || i >= s.NumFields() {
		return nil
	}
	return s.Field(i)
}

func namedOf(t types.Type) *types.Named {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
	if n != nil {
		n = n.Origin()
	}
	return n
}

func recvNamed(fn *ssa.Function) *types.Named {
	if len(fn.Params) == 0 {
		return nil
	}
	return namedOf(fn.Params[0].Type())
}

func paramIndex(fn *ssa.Function, p *ssa.Parameter) int {
	for i, q := range fn.Params {
		if q == p {
			return i
		}
	}
	return -1
}

// calleeName names the function a call of another package calls: "pkg.F".
func calleeName(instr ssa.Instruction) string {
	fn := instr.(*ssa.Call).Common().StaticCallee()
	if fn.Pkg != nil {
		return fn.Pkg.Pkg.Name() + "." + fn.Name()
	}
	return fn.Name()
}
