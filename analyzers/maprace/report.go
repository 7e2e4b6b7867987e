package maprace

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/report"
)

const fix = "guard every access with one sync.Mutex, use sync.Map, or confine the map to one goroutine"

// reportSelf reports a write that races with itself in another instance of
// its context.
func (c *checker) reportSelf(w *access) {
	c.reports[w.instr.Pos()] = true
	var msg string
	if readLocked(w) {
		msg = fmt.Sprintf("write to %s under a read lock only, %s: read locks do not exclude each other, so two writes at once crash the program (fatal error: concurrent map writes); take the write lock (Lock) here",
			w.desc, c.where(w))
	} else {
		msg = fmt.Sprintf("write to %s with no lock held, %s: two writes at once crash the program (fatal error: concurrent map writes); %s",
			w.desc, c.where(w), fix)
	}
	report.Report(c.pass, analysis.Diagnostic{
		Pos:     w.instr.Pos(),
		Message: msg,
		Related: []analysis.RelatedInformation{report.RelatedAt(w.root.pos, "%s", w.root.startedHere())},
	})
}

// reportPair reports a write that races with another access.
func (c *checker) reportPair(w, other *access) {
	c.reports[w.instr.Pos()] = true
	kind, fatal := "read", "read and map write"
	if other.write {
		kind, fatal = "write", "writes"
	}
	msg := fmt.Sprintf("write to %s %s races with a %s of it %s, and no one lock guards both: fatal error: concurrent map %s; %s",
		w.desc, c.where(w), kind, c.where(other), fatal, fix)
	related := []analysis.RelatedInformation{report.RelatedAt(other.instr.Pos(), "the concurrent %s, %s", kind, c.where(other))}
	for _, a := range []*access{w, other} {
		if a.root != nil {
			related = append(related, report.RelatedAt(a.root.pos, "%s", a.root.startedHere()))
		}
	}
	report.Report(c.pass, analysis.Diagnostic{Pos: w.instr.Pos(), Message: msg, Related: related})
}

// where says in which context an access runs.
func (c *checker) where(a *access) string {
	if a.outer {
		line := c.pass.Fset.Position(a.after.Pos()).Line
		return fmt.Sprintf("in %s after it starts a goroutine (line %d) without waiting for it", code.ShortName(a.fn), line)
	}
	if a.fn != a.root.fn && a.fn.Parent() == nil {
		return fmt.Sprintf("in %s, called from %s", code.ShortName(a.fn), a.root.describe())
	}
	return "in " + a.root.describe()
}

// startedHere is the Related note at the place a context is registered or
// started.
func (r *root) startedHere() string {
	switch r.kind {
	case handler:
		return r.name + " serves HTTP requests, each on a goroutine of its own"
	case analyzerRun:
		return r.name + " is the Run of an analyzer"
	case callback:
		return r.name + " is started here on a goroutine of its own"
	}
	return r.name + " is started here"
}
