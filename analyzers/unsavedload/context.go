package unsavedload

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/graph"
)

// flags say when a function of the package may run.
type flags uint8

const (
	fStartup flags = 1 << iota // during start-up: from init, main or a sync.Once
	fEarly                     // before anything that changes maps at run time has started
	fLate                      // after that: while or after handlers and goroutines run
	fServing                   // in a goroutine or an HTTP handler
	fHandler                   // in an HTTP handler: changes that users asked for
	fAPI                       // whenever another package calls it (exported, or through an interface)
	fOnce                      // through a sync.Once outside start-up: on first use
	fReached                   // at all
)

// indexCallers sets c.callers, the edges into each function.
func (c *checker) indexCallers() {
	c.callers = make(map[*ssa.Function][]edge)
	for _, fn := range c.order {
		for _, e := range c.sums[fn].edges {
			c.callers[e.to] = append(c.callers[e.to], e)
		}
	}
}

// computeContexts sets c.flags for every summarised function, from the
// roots of the package along the edges between its functions.
func (c *checker) computeContexts() {
	if c.main != nil {
		c.findStartPoints()
	}
	work := make([]*ssa.Function, 0, len(c.order))
	set := func(fn *ssa.Function, f flags) {
		if old := c.flags[fn]; old|f != old {
			c.flags[fn] = old | f
			work = append(work, fn)
		}
	}
	if c.pkgInit != nil {
		set(c.pkgInit, fStartup|fEarly|fReached)
	}
	if c.main != nil {
		set(c.main, fStartup|fReached)
	}
	for _, fn := range c.order {
		set(fn, c.rootFlags(fn))
	}
	for len(work) > 0 {
		fn := work[len(work)-1]
		work = work[:len(work)-1]
		s := c.sums[fn]
		if s == nil {
			continue
		}
		for _, e := range s.edges {
			set(e.to, c.along(e))
		}
	}
}

// rootFlags are the flags a function has whoever calls it: exported
// functions of a library, and methods of types converted to interfaces.
func (c *checker) rootFlags(fn *ssa.Function) flags {
	if fn.Parent() != nil || fn.Synthetic != "" || c.inTest(fn) {
		return 0
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return 0
	}
	var f flags
	if !c.isMain && obj.Exported() {
		f |= fAPI | fLate | fReached
	}
	if !c.isMain && obj.Exported() && isHandler(fn) {
		// A function with the handler signature is a handler, whoever
		// registers it (the library's users, a router of another
		// package).
		f |= fServing | fHandler | fLate | fReached
	}
	if n := code.ReceiverNamed(obj); n != nil && c.ifaceTypes[n.Origin()] {
		// It may run whenever the holder of the interface calls it. In a
		// program it serves requests only if it looks like an RPC method:
		// a flag.Value's Set runs at start-up.
		f |= fLate | fReached
		if obj.Exported() && (!c.isMain || takesContext(obj)) {
			f |= fAPI
		}
		if obj.Name() == "ServeHTTP" && isHandler(fn) {
			f |= fServing | fHandler
		}
	}
	return f
}

func takesContext(fn *types.Func) bool {
	params := fn.Signature().Params()
	return params.Len() > 0 && code.IsNamed(params.At(0).Type(), "context", "Context")
}

// along is what running e passes on to the function it runs.
func (c *checker) along(e edge) flags {
	switch e.mode {
	case modeHandler:
		return fServing | fHandler | fLate | fReached
	case modeGo:
		return fServing | fLate | fReached
	case modeEscaped:
		return fLate | fReached
	}
	if e.from == c.main {
		f := fStartup | fReached
		switch {
		case e.mode == modeDefer && !c.mainReturns:
			return fReached // never runs: main ends in os.Exit or log.Fatal
		case e.mode == modeDefer:
			f |= fLate
		case c.early(e.site):
			f |= fEarly
		default:
			f |= fLate
		}
		return f
	}
	f := c.flags[e.from]&(fStartup|fEarly|fLate|fServing|fHandler|fAPI|fOnce) | fReached
	if e.mode == modeOnce && f&fStartup == 0 {
		f |= fOnce
	}
	return f
}

// findStartPoints finds the instructions of main after which the program
// runs its handlers and goroutines: go statements, calls that serve, that
// hand a function to a goroutine, that run code of other modules, or that
// call functions of the package doing any of these. It also notes whether
// main can return, without which its deferred calls never run.
func (c *checker) findStartPoints() {
	starts := c.startingFuncs()
	for _, b := range c.main.Blocks {
		if b == c.main.Recover {
			continue
		}
		for _, instr := range b.Instrs {
			switch in := instr.(type) {
			case *ssa.Return:
				c.mainReturns = true
			case *ssa.Go:
				c.startPoints = append(c.startPoints, in)
			case *ssa.Call:
				if c.starts(in, starts) {
					c.startPoints = append(c.startPoints, in)
				}
			}
		}
	}
}

// starts reports whether the call in main starts serving.
func (c *checker) starts(call *ssa.Call, starting map[*ssa.Function]bool) bool {
	common := call.Common()
	if common.IsInvoke() {
		return true
	}
	if target, _ := c.target(common); target != nil {
		if starting[target] {
			return true
		}
	} else if fn := code.Callee(common); fn != nil {
		if obj, ok := fn.Object().(*types.Func); ok {
			if servers[obj.FullName()] || callbacks[obj.FullName()] == modeGo {
				return true
			}
			if obj.Pkg() != nil && !isStdPath(obj.Pkg().Path()) {
				return true
			}
		}
	} else if _, ok := common.Value.(*ssa.Builtin); !ok {
		return true // a function value
	}
	for _, e := range c.sums[c.main].edges {
		if e.site == ssa.Instruction(call) && e.mode >= modeGo {
			return true
		}
	}
	return false
}

// startingFuncs are the functions of the package that start serving when
// called, as main's calls would.
func (c *checker) startingFuncs() map[*ssa.Function]bool {
	startsItself := func(fn *ssa.Function) bool {
		s := c.sums[fn]
		for _, e := range s.edges {
			if e.mode >= modeGo {
				return true
			}
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if _, ok := instr.(*ssa.Go); ok {
					return true
				}
				if call, ok := instr.(*ssa.Call); ok {
					if fn := code.Callee(call.Common()); fn != nil {
						if obj, ok := fn.Object().(*types.Func); ok && (servers[obj.FullName()] || callbacks[obj.FullName()] == modeGo) {
							return true
						}
					}
				}
			}
		}
		return false
	}
	direct := make(map[*ssa.Function]bool)
	for _, fn := range c.order {
		if startsItself(fn) {
			direct[fn] = true
		}
	}
	// A caller that runs a starting function in its own flow starts too.
	return c.transitiveCallers(direct, false)
}

// early reports whether an instruction of main runs only before main
// starts serving: main has start points, and no path leads from one of them
// back to the instruction.
func (c *checker) early(instr ssa.Instruction) bool {
	if c.main == nil || instr == nil || instr.Parent() != c.main || len(c.startPoints) == 0 {
		return false
	}
	if c.afterStart == nil {
		c.markAfterStart()
	}
	b := instr.Block()
	if c.afterStart[b] {
		return false
	}
	if first, ok := c.firstStart[b]; ok {
		for i, in := range b.Instrs {
			if in == instr {
				return i < first
			}
		}
	}
	return true
}

// markAfterStart finds the blocks of main that can run after a start
// point: those reachable from one, and, in a start point's own block, the
// instructions from the first start point on.
func (c *checker) markAfterStart() {
	c.firstStart = make(map[*ssa.BasicBlock]int)
	var next []*ssa.BasicBlock
	for _, sp := range c.startPoints {
		b := sp.Block()
		for i, in := range b.Instrs {
			if in == sp {
				if first, ok := c.firstStart[b]; !ok || i < first {
					c.firstStart[b] = i
				}
			}
		}
		next = append(next, b.Succs...)
	}
	c.afterStart = graph.Reach(slices.Values(next), func(b *ssa.BasicBlock, add func(*ssa.BasicBlock)) {
		for _, s := range b.Succs {
			add(s)
		}
	})
}

// lateInMain reports whether an instruction of main may run after main
// started serving (a deferred one: when main returns, if it can).
func (c *checker) lateInMain(instr ssa.Instruction, m mode) bool {
	if m == modeDefer {
		return c.mainReturns
	}
	return !c.early(instr)
}
