package unsavedload

import (
	"fmt"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/report"
)

func (c *checker) report(ev *evidence, savers []*ssa.Function) {
	sort.Slice(ev.loads, func(i, j int) bool { return ev.loads[i].pos < ev.loads[j].pos })
	load := ev.loads[0]
	from := load.val.from
	if load.val.kind != srcStored {
		from = load.key.from
	}
	when := "at start-up"
	if c.flags[load.in]&fStartup == 0 && (load.mode == modeOnce || c.flags[load.in]&fOnce != 0) {
		when = "on first use"
	}
	d := analysis.Diagnostic{
		Pos: load.pos,
		Message: fmt.Sprintf("%s is loaded from %s %s and changed at run time, but never written back: changes are lost on restart",
			ev.cand.name, from, when),
	}
	if call := c.calls.At(load.pos); call != nil {
		d.Pos, d.End = call.Pos(), call.End()
	}
	if !d.Pos.IsValid() {
		return
	}
	d.Related = append(d.Related, c.mutationNotes(ev)...)
	d.Related = append(d.Related, c.saverNotes(ev, savers)...)
	report.Report(c.pass, d)
}

// mutationNotes points at up to three run-time changes, one per function.
func (c *checker) mutationNotes(ev *evidence) []analysis.RelatedInformation {
	muts := append([]op(nil), ev.mutations...)
	sort.Slice(muts, func(i, j int) bool { return muts[i].pos < muts[j].pos })
	var notes []analysis.RelatedInformation
	seen := make(map[*ssa.Function]bool)
	for _, o := range muts {
		if seen[o.in] || len(notes) == 3 || !o.pos.IsValid() {
			continue
		}
		seen[o.in] = true
		verb := "changed"
		if o.kind == opDelete {
			verb = "deleted from"
		}
		at := o.at
		if at == nil {
			at = o.in
		}
		notes = append(notes, c.related(o.pos, "%s %s here at run time, %s", ev.cand.name, verb, c.describe(at)))
	}
	return notes
}

// saverNotes explains why the functions that would save the map do not
// count: never called, deferred in a main that never returns, or run only
// during start-up.
func (c *checker) saverNotes(ev *evidence, savers []*ssa.Function) []analysis.RelatedInformation {
	isSaver := make(map[*ssa.Function]bool)
	for _, fn := range savers {
		isSaver[fn] = true
	}
	var notes []analysis.RelatedInformation
	for _, fn := range savers {
		if len(notes) == 2 || fn == c.main || fn == c.pkgInit || c.isInit(fn) || fn.Parent() != nil {
			continue
		}
		top := true
		for _, e := range c.callers[fn] {
			if isSaver[e.from] && e.from != c.main && e.from != c.pkgInit && !c.isInit(e.from) {
				top = false
			}
		}
		if !top {
			continue
		}
		name := funcName(fn)
		switch {
		case c.flags[fn]&fReached == 0 || len(c.callers[fn]) == 0:
			notes = append(notes, analysis.RelatedInformation{Pos: fn.Pos(), Message: name + " is defined but never called"})
		case c.deadDefer(fn) != nil:
			notes = append(notes, c.related(sitePos(c.deadDefer(fn).site),
				"%s is deferred here, but main never returns: os.Exit and log.Fatal skip deferred calls", name))
		case c.flags[fn]&fEarly != 0:
			if e := c.earlyCall(fn); e != nil {
				notes = append(notes, c.related(sitePos(e.site),
					"%s runs only here, during start-up, before anything changes %s", name, ev.cand.name))
			}
		}
	}
	return notes
}

func (c *checker) deadDefer(fn *ssa.Function) *edge {
	for i, e := range c.callers[fn] {
		if e.from == c.main && e.mode == modeDefer && !c.mainReturns {
			return &c.callers[fn][i]
		}
	}
	return nil
}

func (c *checker) earlyCall(fn *ssa.Function) *edge {
	for i, e := range c.callers[fn] {
		if e.mode <= modeDefer && (c.flags[e.from]&fEarly != 0 || e.from == c.main) {
			return &c.callers[fn][i]
		}
	}
	return nil
}

func (c *checker) related(pos token.Pos, format string, args ...any) analysis.RelatedInformation {
	if call := c.calls.At(pos); call != nil {
		return report.Related(call, format, args...)
	}
	return report.RelatedAt(pos, format, args...)
}

// describe says where a function runs, for the notes: "in handlePut", "in
// a goroutine started by main".
func (c *checker) describe(fn *ssa.Function) string {
	if fn.Parent() == nil {
		return "in " + funcName(fn)
	}
	outer := fn
	for outer.Parent() != nil {
		outer = outer.Parent()
	}
	for _, e := range c.callers[fn] {
		switch e.mode {
		case modeGo:
			return "in a goroutine started by " + funcName(outer)
		case modeHandler:
			return "in an HTTP handler in " + funcName(outer)
		}
	}
	return "in " + funcName(outer)
}

// funcName is a function's name as the source spells it: "saveCache",
// "Store.save".
func funcName(fn *ssa.Function) string {
	if obj, ok := fn.Object().(*types.Func); ok {
		if recv := obj.Signature().Recv(); recv != nil {
			t := recv.Type()
			if p, ok := types.Unalias(t).(*types.Pointer); ok {
				t = p.Elem()
			}
			if n, ok := types.Unalias(t).(*types.Named); ok {
				return n.Obj().Name() + "." + obj.Name()
			}
		}
		return obj.Name()
	}
	return fn.Name()
}
