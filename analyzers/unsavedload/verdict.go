package unsavedload

import (
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/graph"
)

// The facts about one candidate map gathered from every summary.
type evidence struct {
	cand      *candidate
	loads     []op // stores of data read from storage, at start-up
	mutations []op // changes at run time
	reads     map[*ssa.Function]bool
	changes   map[*ssa.Function]bool
	loaders   map[*ssa.Function]bool
	asyncSave bool // handed, in a goroutine or callback, to code that saves it
	inMain    []op // ops of main itself, for a save written inline in main
}

// judge reports cand when it is loaded from storage at start-up, changed at
// run time, and no save of it can run after the changes.
func (c *checker) judge(cand *candidate) {
	ev, ok := c.gather(cand)
	if !ok || len(ev.loads) == 0 || len(ev.mutations) == 0 {
		return
	}
	if ev.asyncSave || c.savedInMain(ev) {
		return
	}
	if c.writeBehind(ev) {
		return
	}
	runsRead := c.transitiveCallersWithCallbacks(ev.reads)
	runsChange := c.transitiveCallersWithCallbacks(ev.changes)
	var savers []*ssa.Function
	for _, fn := range c.order {
		if !(runsRead[fn] || runsChange[fn]) || !(c.writesStorage[fn] || c.mayWriteStorage[fn]) {
			continue
		}
		if c.flags[fn]&fLate != 0 {
			return // a save that can run after the changes
		}
		if fn != c.main && fn != c.pkgInit && !c.isInit(fn) {
			savers = append(savers, fn)
		}
	}
	if len(savers) == 0 && !ev.requestedMutation(c) && !c.stateFileChangedByAPI(ev) {
		// Nothing in the package ever writes this map back, and no
		// request changes it: only other packages (through an API to
		// extend it, like mime.AddExtensionType) or the program itself
		// (a janitor, peer discovery). It is more likely reference
		// data that is meant to live in memory than lost state.
		return
	}
	c.report(ev, savers)
}

// gather collects what the package does to cand. It returns false when the
// map escapes where the check cannot follow it.
func (c *checker) gather(cand *candidate) (*evidence, bool) {
	ev := &evidence{
		cand:    cand,
		reads:   make(map[*ssa.Function]bool),
		changes: make(map[*ssa.Function]bool),
		loaders: make(map[*ssa.Function]bool),
	}
	var stores []op
	for _, fn := range c.order {
		for _, o := range c.sums[fn].ops {
			if o.place.global != cand.place.global {
				continue
			}
			if o.place != cand.place {
				if o.place.within(cand.place) && c.hides(cand, o) {
					return nil, false
				}
				continue
			}
			if o.template() {
				// Judged at each call; and as called from outside
				// the package, with anything for its parameters.
				open := c.openFlags(o.in)
				if open == 0 {
					ev.changes[o.in] = true
					if isLoad(o) {
						ev.loaders[o.in] = true
					}
					continue
				}
				o.key, o.val, o.ctx = opaqueParam(o.key), opaqueParam(o.val), open
			}
			if o.in == c.main {
				ev.inMain = append(ev.inMain, o)
			}
			switch o.kind {
			case opLeak, opLeakExported, opReassign:
				if c.hides(cand, o) {
					return nil, false
				}
			case opRead:
				ev.reads[o.in] = true
				if c.asyncSave(o) {
					ev.asyncSave = true
				}
			case opStore, opDelete:
				ev.changes[o.in] = true
				if c.asyncSave(o) {
					ev.asyncSave = true
				}
				if isLoad(o) {
					ev.loaders[o.in] = true
					if c.atStartup(o) && !fromSystem(o) {
						ev.loads = append(ev.loads, o)
					}
				}
				stores = append(stores, o)
			}
		}
	}
	for _, o := range stores {
		if c.partOfLoading(ev, o.in) || (o.kind == opStore && o.val.kind == srcStored) {
			continue // loading, reloading, or filling from storage
		}
		if c.atRunTime(o) {
			ev.mutations = append(ev.mutations, o)
		}
	}
	return ev, true
}

// partOfLoading reports whether fn is a loader, a function literal in one
// (pruning entries the file no longer has), or a helper only loaders call
// (clearing the map first).
func (c *checker) partOfLoading(ev *evidence, fn *ssa.Function) bool {
	for f := fn; f != nil; f = f.Parent() {
		if ev.loaders[f] {
			return true
		}
	}
	callers := c.callers[fn]
	for _, e := range callers {
		if !ev.loaders[e.from] || e.mode > modeDefer {
			return false
		}
	}
	return len(callers) > 0
}

// hides reports whether o, done to cand or to a value on the way to it,
// lets code the check cannot see reach cand.
func (c *checker) hides(cand *candidate, o op) bool {
	switch o.kind {
	case opLeak:
		return true
	case opLeakExported:
		// Only cand's exported fields are reachable from o's place.
		n := strings.Count(o.place.path, "*") + strings.Count(o.place.path, ".")
		for _, st := range cand.steps[min(n, len(cand.steps)):] {
			if st.field != nil && !st.field.Exported() {
				return false
			}
		}
		return true
	case opReassign:
		// Setting the variable up at start-up is fine; replacing the
		// map (or what holds it) while running is a change the check
		// does not model.
		f := c.flags[o.in]
		return !o.fresh || f&fStartup == 0 || f&(fLate|fServing|fAPI) != 0
	}
	return false
}

// asyncSave reports whether o hands the map, in a goroutine or a callback
// that may run at any time, to a function that writes to storage.
func (c *checker) asyncSave(o op) bool {
	return o.mode >= modeEscaped && c.flags[o.in]&fReached != 0 && c.throughSaves(o)
}

func (c *checker) throughSaves(o op) bool {
	if o.throughWrites {
		return true
	}
	if o.through == nil {
		return false
	}
	return c.writesStorage[o.through] || c.mayWriteStorage[o.through]
}

// isLoad reports whether o stores an entry read from storage: its key comes
// from there, and its value too (or is a constant, for a set).
func isLoad(o op) bool {
	return o.kind == opStore && o.key.kind == srcStored && (o.val.kind == srcStored || o.val.kind == srcConst)
}

func fromSystem(o op) bool {
	from := o.val.from
	if o.val.kind != srcStored {
		from = o.key.from
	}
	for _, d := range systemDirs {
		if strings.HasPrefix(from, d) {
			return true
		}
	}
	return false
}

// atStartup reports whether o runs while the program starts, or once on
// first use.
func (c *checker) atStartup(o op) bool {
	if o.mode == modeOnce {
		return true
	}
	return c.ctxOf(o)&(fStartup|fOnce) != 0 && o.mode <= modeDefer
}

func (c *checker) atRunTime(o op) bool {
	if o.mode >= modeGo {
		return true
	}
	return c.ctxOf(o)&(fServing|fAPI) != 0
}

func (c *checker) ctxOf(o op) flags {
	if o.ctx != 0 {
		return o.ctx
	}
	return c.flags[o.in]
}

// openFlags are the flags fn has as called from where its arguments are
// not known: from other packages, through interfaces, as a callback.
func (c *checker) openFlags(fn *ssa.Function) flags {
	f := c.rootFlags(fn)
	for _, e := range c.callers[fn] {
		if e.mode >= modeEscaped {
			f |= c.along(e)
		}
	}
	return f
}

func opaqueParam(s src) src {
	if s.kind == srcParam {
		return otherSrc
	}
	return s
}

// requestedMutation reports whether a change comes from a request: an
// HTTP handler, or in a program an exported method of a type handed out as
// an interface (an RPC service).
func (ev *evidence) requestedMutation(c *checker) bool {
	for _, o := range ev.mutations {
		f := c.ctxOf(o)
		if o.mode == modeHandler || f&fHandler != 0 || (c.isMain && f&fAPI != 0) {
			return true
		}
	}
	return false
}

// writeBehind reports whether a function that changes the map also sends
// on a channel while some goroutine or handler of the package writes to
// storage: the change may be queued for a writer the check cannot connect
// to the map.
func (c *checker) writeBehind(ev *evidence) bool {
	sends := make(map[*ssa.Function]bool)
	for _, fn := range c.order {
		if c.sums[fn].sends {
			sends[fn] = true
		}
	}
	runsSend := c.transitiveCallers(sends, false)
	changerSends := false
	for _, o := range ev.mutations {
		if runsSend[o.in] {
			changerSends = true
		}
	}
	if !changerSends {
		return false
	}
	for _, fn := range c.order {
		if c.sums[fn].writes && c.flags[fn]&fLate != 0 {
			return true
		}
	}
	return false
}

// savedInMain reports whether main itself, after it started serving, reads
// or changes the map and writes to storage: a save written inline after
// <-stop.
func (c *checker) savedInMain(ev *evidence) bool {
	if c.main == nil {
		return false
	}
	touched := false
	for _, o := range ev.inMain {
		if (o.kind == opRead || o.kind == opStore || o.kind == opDelete) && c.lateInMain(o.site, o.mode) {
			touched = true
			break
		}
	}
	if !touched {
		return false
	}
	for _, b := range c.main.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok || modeOf(call) == modeGo || !c.lateInMain(instr, modeOf(call)) {
				continue // (a goroutine is judged as a function of its own)
			}
			if c.callWrites(call) {
				return true
			}
		}
	}
	return false
}

// callWrites reports whether a call may write to storage, itself or in what
// it calls.
func (c *checker) callWrites(call ssa.CallInstruction) bool {
	common := call.Common()
	if target, _ := c.target(common); target != nil {
		return c.writesStorage[target] || c.mayWriteStorage[target]
	}
	if common.IsInvoke() {
		return saveLike(common.Method.Name())
	}
	fn := code.Callee(common)
	if fn == nil {
		return false
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return false
	}
	if writers[obj.FullName()] && writesHere(obj.FullName(), common.Args) {
		return true
	}
	if obj.Pkg() == nil || isStdPath(obj.Pkg().Path()) {
		return false
	}
	if c.analyzed[obj.Pkg()] != nil {
		f := c.factOfFunc(obj)
		return f != nil && (f.Writes || f.MayWrite)
	}
	return saveLike(obj.Name())
}

// transitiveCallers returns the functions that run (synchronously,
// directly or through calls) a function of set, set included; withGo also
// follows goroutines started on the way.
func (c *checker) transitiveCallers(set map[*ssa.Function]bool, withGo bool) map[*ssa.Function]bool {
	return c.callersVia(set, func(m mode) bool { return m <= modeDefer || withGo && m == modeGo })
}

// transitiveCallersWithCallbacks returns the functions that run a
// function of set synchronously, or hand it as a callback to code that may
// run it then (db.Update(func(tx *bolt.Tx) error { ... })), set included: a
// save split that way is still a save.
func (c *checker) transitiveCallersWithCallbacks(set map[*ssa.Function]bool) map[*ssa.Function]bool {
	return c.callersVia(set, func(m mode) bool { return m <= modeEscaped })
}

// callersVia returns the functions of set and, transitively, those that
// call one of them in a way (a mode) that follow accepts.
func (c *checker) callersVia(set map[*ssa.Function]bool, follow func(mode) bool) map[*ssa.Function]bool {
	return graph.Reach(maps.Keys(set), func(fn *ssa.Function, add func(*ssa.Function)) {
		for _, e := range c.callers[fn] {
			if follow(e.mode) {
				add(e.from)
			}
		}
	})
}

// computeWrites sets writesStorage and mayWriteStorage: the functions that
// may write to storage, themselves or through what they run (goroutines
// included: a save may write in the background).
func (c *checker) computeWrites() {
	w, m := make(map[*ssa.Function]bool), make(map[*ssa.Function]bool)
	for _, fn := range c.order {
		s := c.sums[fn]
		if s.writes {
			w[fn] = true
		}
		if s.mayWrite {
			m[fn] = true
		}
	}
	c.writesStorage = c.transitiveCallers(w, true)
	c.mayWriteStorage = c.transitiveCallers(m, true)
}

func (c *checker) isInit(fn *ssa.Function) bool {
	return fn.Parent() == nil && fn.Synthetic == "" && strings.HasPrefix(fn.Name(), "init#")
}

// stateDecoders decode the formats a program writes its own state in.
var stateDecoders = map[string]bool{
	"encoding/json.Unmarshal":         true,
	"(*encoding/json.Decoder).Decode": true,
	"(*encoding/gob.Decoder).Decode":  true,
}

// stateFileChangedByAPI reports whether a library changes, through its
// exported functions, a map it decoded from a JSON or gob file whose name
// it keeps in a package-level constant or variable (const membersFile =
// "members.gob"; Enroll, Retire): a file the package treats as its own
// state, unlike reference data shipped with it and extended in memory.
func (c *checker) stateFileChangedByAPI(ev *evidence) bool {
	if c.isMain {
		return false
	}
	api := false
	for _, o := range ev.mutations {
		if c.ctxOf(o)&fAPI != 0 {
			api = true
		}
	}
	if !api {
		return false
	}
	named := c.namedFiles()
	for _, o := range ev.loads {
		from := o.val.from
		if o.val.kind != srcStored {
			from = o.key.from
		}
		if named[from] && c.decodesState(o.in) {
			return true
		}
	}
	return false
}

// namedFiles are the file names the package's constants and variables
// are initialised with, cleaned as describePath names files.
func (c *checker) namedFiles() map[string]bool {
	out := make(map[string]bool)
	for _, f := range c.pass.Files {
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || (gd.Tok != token.CONST && gd.Tok != token.VAR) {
				continue
			}
			for _, spec := range gd.Specs {
				for _, v := range spec.(*ast.ValueSpec).Values {
					if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						if s, err := strconv.Unquote(lit.Value); err == nil && s != "" {
							out[cleanPath(s)] = true
						}
					}
				}
			}
		}
	}
	return out
}

// maxDecodeFuncs bounds how many functions decodesState looks into.
const maxDecodeFuncs = 64

// decodesState reports whether fn, its function literals or the functions
// of the package it calls decode JSON or gob.
func (c *checker) decodesState(fn *ssa.Function) bool {
	seen := make(map[*ssa.Function]bool)
	work := []*ssa.Function{fn}
	for len(work) > 0 && len(seen) < maxDecodeFuncs {
		f := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[f] {
			continue
		}
		seen[f] = true
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(ssa.CallInstruction); ok && stateDecoders[code.FuncName(call.Common())] {
					return true
				}
			}
		}
		work = append(work, f.AnonFuncs...)
		if s := c.sums[f]; s != nil {
			for _, e := range s.edges {
				if e.mode <= modeDefer {
					work = append(work, e.to)
				}
			}
		}
	}
	return false
}
