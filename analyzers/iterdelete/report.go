package iterdelete

import (
	"go/ast"
	"go/format"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/report"
)

// callAt returns the call expression whose opening parenthesis is at pos,
// the position go/ssa gives a call.
func (c *checker) callAt(pos token.Pos) *ast.CallExpr {
	if c.calls == nil {
		c.calls = code.CallExprs(c.pass.Files)
	}
	return c.calls[pos]
}

func (c *checker) fileOf(pos token.Pos) *ast.File {
	for _, f := range c.pass.Files {
		if f.FileStart <= pos && pos < f.FileEnd {
			return f
		}
	}
	return nil
}

// enclosing returns the syntax nodes that enclose [start, end), innermost
// first.
func (c *checker) enclosing(start, end token.Pos) []ast.Node {
	f := c.fileOf(start)
	if f == nil {
		return nil
	}
	path, _ := astutil.PathEnclosingInterval(f, start, end)
	return path
}

// text renders e as gofmt would print it.
func (c *checker) text(e ast.Expr) string {
	var b strings.Builder
	if err := format.Node(&b, c.pass.Fset, e); err != nil {
		return types.ExprString(e)
	}
	return b.String()
}

func (c *checker) reportList(l *loop, ev *listEvent, adv *ssa.Call) {
	call := c.callAt(ev.call.Pos())
	advCall := c.callAt(adv.Pos())
	if call == nil || advCall == nil {
		return // no syntax to point at
	}
	elem := "e"
	if args := call.Args; ev.direct && len(args) > 0 {
		elem = c.text(args[0])
	} else if sel, ok := astutil.Unparen(advCall.Fun).(*ast.SelectorExpr); ok {
		elem = c.text(sel.X)
	}
	step := "Next"
	if code.FuncName(adv.Common()) == elemPrev {
		step = "Prev"
	}
	advText := elem + "." + step + "()"
	what := c.text(call)
	if !ev.direct {
		if ev.op == "Remove" {
			what += " removes " + elem + " from its list"
		} else {
			what += " moves " + elem + " (" + ev.op + ")"
		}
	}
	d := analysis.Diagnostic{
		Pos:     call.Pos(),
		End:     call.End(),
		Message: what + " inside a loop advancing with " + advText + ": " + consequence(ev.op, step, elem),
		Related: []analysis.RelatedInformation{report.Related(advCall, "the loop advances with %s here", advText)},
	}
	if ev.helper != nil {
		d.Related = append(d.Related, report.RelatedAt(ev.helper.Pos(), "%s %s its element argument", ev.helper.Name(), verb(ev.op)))
	}
	if ev.op == "Remove" {
		if fix := c.listFix(advCall, step); fix != nil {
			d.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
	}
	report.Report(c.pass, d)
}

func verb(op string) string {
	if op == "Remove" {
		return "removes"
	}
	return "moves"
}

// consequence says what the removal or move does to a loop advancing with
// e.Next() or e.Prev() (step).
func consequence(op, step, elem string) string {
	forward := step == "Next"
	switch {
	case op == "Remove":
		return "Remove clears " + elem + "'s links, so the loop stops after the first removal"
	case op == "MoveToBack" && forward:
		return elem + " is then the last element, so " + elem + ".Next() is nil and the loop stops at the first move"
	case op == "MoveToFront" && !forward:
		return elem + " is then the first element, so " + elem + ".Prev() is nil and the loop stops at the first move"
	case op == "MoveToFront":
		return elem + ".Next() then returns the old first element, so the loop starts over and visits elements again"
	case op == "MoveToBack":
		return elem + ".Prev() then returns the old last element, so the loop starts over and visits elements again"
	}
	return elem + "." + step + "() then continues from " + elem + "'s new place, so the loop skips or revisits elements"
}
