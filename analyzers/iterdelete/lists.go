package iterdelete

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/wrappers"
)

const (
	elemNext  = "(*container/list.Element).Next"
	elemPrev  = "(*container/list.Element).Prev"
	listFront = "(*container/list.List).Front"
	listBack  = "(*container/list.List).Back"
)

// listOps are the methods of *list.List that take an element out of its
// place, keyed by full name; the value is the method name. The element is
// the first argument after the receiver (for MoveBefore and MoveAfter, the
// element moved, not the mark).
var listOps = map[string]string{
	"(*container/list.List).Remove":      "Remove",
	"(*container/list.List).MoveToFront": "MoveToFront",
	"(*container/list.List).MoveToBack":  "MoveToBack",
	"(*container/list.List).MoveBefore":  "MoveBefore",
	"(*container/list.List).MoveAfter":   "MoveAfter",
}

// A listEvent is a call that removes or moves an element of a list: a
// direct list method call, or a call of a function with a removesElem fact.
type listEvent struct {
	call   *ssa.Call
	elem   ssa.Value
	list   path
	op     string      // the list method
	helper *types.Func // the function called, when not the list method itself
	direct bool        // a list method call
	ok     bool        // list is known
}

// listEvents returns the element removals and moves that fn's calls make.
func (c *checker) listEvents(fn *ssa.Function) []*listEvent {
	var out []*listEvent
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			common := call.Common()
			if op, ok := listOps[code.FuncName(common)]; ok {
				if len(common.Args) < 2 {
					continue
				}
				list, ok := pathOf(common.Args[0])
				out = append(out, &listEvent{call: call, elem: common.Args[1], list: list, op: op, direct: true, ok: ok})
				continue
			}
			callee := code.Callee(common)
			if callee == nil {
				continue
			}
			for _, r := range c.removalsOf(callee) {
				elem := argFor(common, r.Elem)
				if elem == nil {
					continue
				}
				list, ok := c.listAt(common, r)
				ev := &listEvent{call: call, elem: elem, list: list, op: r.Op, ok: ok}
				ev.helper, _ = callee.Object().(*types.Func)
				out = append(out, ev)
			}
		}
	}
	return out
}

// removalsOf returns what fn is known to remove: from this package's
// analysis, or from the fact of a function of another package.
func (c *checker) removalsOf(fn *ssa.Function) []Removal {
	if rs, ok := c.helpers[fn]; ok {
		return rs
	}
	if f := wrappers.Imported[removesElem](c.pass, fn); f != nil {
		return f.Removals
	}
	return nil
}

// argFor returns the value a call passes for ref: an argument, or a value
// bound into the closure it calls.
func argFor(call *ssa.CallCommon, ref Ref) ssa.Value {
	switch ref.Kind {
	case 'p':
		if ref.Index < len(call.Args) {
			return call.Args[ref.Index]
		}
	case 'f':
		if mc, ok := call.Value.(*ssa.MakeClosure); ok && ref.Index < len(mc.Bindings) {
			return mc.Bindings[ref.Index]
		}
	}
	return nil
}

// listAt returns the access path, in the caller, of the list r works on.
func (c *checker) listAt(call *ssa.CallCommon, r Removal) (path, bool) {
	var p path
	if r.List.Kind == 'g' {
		p = path{glob: r.List.Global}
	} else {
		v := argFor(call, r.List)
		if v == nil {
			return path{}, false
		}
		var ok bool
		if p, ok = pathOf(v); !ok {
			return path{}, false
		}
	}
	if len(p.steps)+len(r.Steps) > maxPathLen {
		return path{}, false
	}
	for _, s := range r.Steps {
		p = p.extend(s)
	}
	return p, true
}

// maxHelperRounds bounds the rounds of findHelpers: a helper of a helper is
// found up to that depth, and the access paths in the facts stop growing.
const maxHelperRounds = 8

// findHelpers computes, to a fixed point, which functions of the package
// remove or move an element they receive from a list they can name.
func (c *checker) findHelpers(funcs []*ssa.Function) {
	wrappers.SolveRounds(funcs, maxHelperRounds, func(fn *ssa.Function) bool {
		changed := false
		for _, ev := range c.listEvents(fn) {
			if !ev.ok {
				continue
			}
			elem, ok := refOf(fn, ev.elem)
			if !ok {
				continue
			}
			var list Ref
			switch {
			case ev.list.root == nil:
				list = Ref{Kind: 'g', Global: ev.list.glob}
			default:
				if list, ok = refOf(fn, ev.list.root); !ok {
					continue
				}
			}
			if c.addHelper(fn, Removal{Elem: elem, List: list, Steps: ev.list.steps, Op: ev.op}) {
				changed = true
			}
		}
		return changed
	})
}

// refOf returns how fn receives v from its caller, if it does.
func refOf(fn *ssa.Function, v ssa.Value) (Ref, bool) {
	switch v := v.(type) {
	case *ssa.Parameter:
		for i, p := range fn.Params {
			if p == v {
				return Ref{Kind: 'p', Index: i}, true
			}
		}
	case *ssa.FreeVar:
		for i, fv := range fn.FreeVars {
			if fv == v {
				return Ref{Kind: 'f', Index: i}, true
			}
		}
	}
	return Ref{}, false
}

func (c *checker) addHelper(fn *ssa.Function, r Removal) bool {
	for _, q := range c.helpers[fn] {
		if q.Elem == r.Elem && q.List == r.List && q.Op == r.Op && stepsEqual(q.Steps, r.Steps) {
			return false
		}
	}
	c.helpers[fn] = append(c.helpers[fn], r)
	return true
}

func stepsEqual(a, b []Step) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Op != b[i].Op || a[i].Index != b[i].Index {
			return false
		}
	}
	return true
}

// exportFacts exports the removals of exported functions that callers in
// other packages can match: those in terms of parameters and package-level
// variables.
func (c *checker) exportFacts() {
	exported := false
	for fn, rs := range c.helpers {
		obj, ok := fn.Object().(*types.Func)
		if !ok || !obj.Exported() || obj.Pkg() != c.pass.Pkg {
			continue
		}
		var keep []Removal
		for _, r := range rs {
			if r.Elem.Kind == 'p' && r.List.Kind != 'f' {
				keep = append(keep, r)
			}
		}
		if len(keep) > 0 {
			c.pass.ExportObjectFact(obj, &removesElem{Removals: keep})
			exported = true
		}
	}
	if exported {
		c.pass.ExportPackageFact(new(hasRemovers))
	}
}

// checkLists reports removals and moves of the current element of loops
// that advance with e.Next() or e.Prev() after them.
func (c *checker) checkLists(fn *ssa.Function) {
	var events []*listEvent
	computed := false
	for _, h := range fn.Blocks {
		for _, instr := range h.Instrs {
			e, ok := instr.(*ssa.Phi)
			if !ok {
				break // phis come first
			}
			if !isElementPtr(e.Type()) {
				continue
			}
			if c.budget.Exceeded() {
				return
			}
			l := c.loopAt(h)
			if l == nil {
				continue
			}
			list, ok := iteratedList(l, e)
			if !ok {
				continue
			}
			if !computed {
				events, computed = c.listEvents(fn), true
			}
			mine := make(map[ssa.Instruction]*listEvent)
			for _, ev := range events {
				if ev.ok && ev.list.equal(list) && l.contains(ev.call.Block()) {
					mine[ev.call] = ev
				}
			}
			if len(mine) == 0 {
				continue
			}
			for _, f := range advancesAfter(l, e, mine) {
				c.reportList(l, f.ev, f.adv)
			}
		}
	}
}

func isElementPtr(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && code.IsNamed(p.Elem(), "container/list", "Element")
}

// iteratedList returns the list a loop over e walks: the receiver of the
// Front() or Back() call that e starts from. When e starts from anything
// else, or the list's variable is assigned inside the loop, it is unknown.
func iteratedList(l *loop, e *ssa.Phi) (path, bool) {
	var list path
	found := false
	for i, v := range e.Edges {
		if l.isBackEdge(i) {
			continue
		}
		call, ok := v.(*ssa.Call)
		if !ok {
			return path{}, false
		}
		if name := code.FuncName(call.Common()); name != listFront && name != listBack || len(call.Call.Args) != 1 {
			return path{}, false
		}
		p, ok := pathOf(call.Call.Args[0])
		if !ok || found && !p.equal(list) {
			return path{}, false
		}
		list, found = p, true
	}
	if !found {
		return path{}, false
	}
	if n := len(list.steps); n > 0 && list.steps[n-1].Op == '*' {
		addr := path{root: list.root, glob: list.glob, steps: list.steps[:n-1]}
		if storedIn(l.blocks, addr) {
			return path{}, false
		}
	}
	return list, true
}

type listFinding struct {
	ev  *listEvent
	adv *ssa.Call
}

// advancesAfter searches the paths of one iteration of l, backwards from
// each back edge, for an advance x.Next() or x.Prev() whose result becomes
// the next e, with x removed or moved by one of events earlier on the same
// path. It follows values through phis edge by edge, so that only an
// advance that really feeds the next iteration on that path counts, and
// the element removed must be the very value the advance is called on
// there (usually e itself).
func advancesAfter(l *loop, e *ssa.Phi, events map[ssa.Instruction]*listEvent) []listFinding {
	type state struct {
		b   *ssa.BasicBlock
		v   ssa.Value // the value that becomes e, or, once adv is found, its receiver
		adv *ssa.Call // the advance
		cs  conds
	}
	var (
		found []listFinding
		done  = make(map[*listEvent]bool)
		seen  = make(map[state]bool)
		stack []state
	)
	for _, i := range l.latches {
		p := l.header.Preds[i]
		stack = append(stack, state{b: p, v: e.Edges[i], cs: edgeConds(p, l.header)})
	}
	for n := 0; len(stack) > 0 && n < maxStates; n++ {
		st := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[st] {
			continue
		}
		seen[st] = true
		v, adv, b := st.v, st.adv, st.b
		stop := false
		for j := len(b.Instrs) - 1; j >= 0 && !stop; j-- {
			instr := b.Instrs[j]
			if ev := events[instr]; ev != nil && adv != nil && ev.elem == v {
				if !done[ev] {
					done[ev] = true
					found = append(found, listFinding{ev: ev, adv: adv})
				}
				stop = true
				break
			}
			if !defines(instr, v) {
				continue
			}
			switch x := instr.(type) {
			case *ssa.Phi:
				if b != l.header {
					stepBack(b, st.cs, func(k int, pred *ssa.BasicBlock, cs conds) {
						stack = append(stack, state{b: pred, v: x.Edges[k], adv: adv, cs: cs})
					})
				}
			case *ssa.Call:
				name := code.FuncName(x.Common())
				if adv == nil && (name == elemNext || name == elemPrev) && len(x.Call.Args) == 1 {
					adv, v = x, x.Call.Args[0]
					continue
				}
			}
			stop = true // v is a phi handled above, or not an advance or its receiver
		}
		if stop || b == l.header {
			continue
		}
		stepBack(b, st.cs, func(_ int, pred *ssa.BasicBlock, cs conds) {
			stack = append(stack, state{b: pred, v: v, adv: adv, cs: cs})
		})
	}
	return found
}
