package syncmarshal

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/report"
)

func (c *checker) report(call ssa.CallInstruction, s encodedParam, arg ssa.Value, l *loss) {
	if l.root == nil {
		l.root = arg.Type()
		if o := origins(arg, nil); types.IsInterface(arg.Type()) && len(o) > 0 {
			l.root = o[0].Type()
		}
	}
	encoder := s.Sink
	var rng ast.Node
	if expr := c.calls.At(call.Common().Pos()); expr != nil {
		rng = expr
		if name := code.FuncName(call.Common()); sinks[name].Sink != s.Sink {
			encoder += " (via " + code.ShortName(code.Callee(call.Common())) + ")"
		}
		if i := argIndex(expr, call.Common(), s.Index); i >= 0 {
			rng = expr.Args[i]
		}
	}
	if rng == nil {
		return // no syntax to point at (synthesized code)
	}
	d := analysis.Diagnostic{
		Pos:     rng.Pos(),
		End:     rng.End(),
		Message: c.message(encoder, s.Format, l),
	}
	if n := len(l.steps); n > 0 && l.steps[n-1].field != nil {
		f := l.steps[n-1].field
		d.Related = append(d.Related, report.RelatedAt(f.Pos(), "field %s (%s) is declared here", f.Name(), code.TypeString(f.Type(), c.pass.Pkg)))
	}
	report.Report(c.pass, d)
}

// argIndex maps the SSA argument index to the index in the call syntax,
// which lacks the receiver of a method call.
func argIndex(expr *ast.CallExpr, call *ssa.CallCommon, i int) int {
	switch len(call.Args) - len(expr.Args) {
	case 0:
		return i
	case 1:
		return i - 1
	}
	return -1
}

func (c *checker) message(encoder, format string, l *loss) string {
	what := c.describe(l)
	empty := "as {}"
	if format == "xml" {
		empty = "as an empty element"
	}
	switch l.kind {
	case entries:
		return fmt.Sprintf("%s encodes %s %s: its entries are not serialized", encoder, what, empty)
	case elements:
		return fmt.Sprintf("%s encodes %s %s: its elements are not serialized", encoder, what, empty)
	case ringKind:
		return fmt.Sprintf("%s encodes %s with only the Value of the element it points to: the rest of the ring is not serialized", encoder, what)
	default:
		return fmt.Sprintf("%s encodes %s %s: its value is not serialized", encoder, what, empty)
	}
}

// describe renders where the container sits in the encoded value:
// "*sync.Map", "field Store.Items (sync.Map)", "each element of []*list.List".
func (c *checker) describe(l *loss) string {
	first := -1
	for i, s := range l.steps {
		if s.field != nil {
			first = i
			break
		}
	}
	if first < 0 {
		if len(l.steps) == 0 {
			return code.TypeString(l.root, c.pass.Pkg)
		}
		what := "each element of "
		if l.steps[len(l.steps)-1].elem == "[k]" {
			what = "each value of "
		}
		return what + code.TypeString(l.root, c.pass.Pkg)
	}
	var b strings.Builder
	b.WriteString("field ")
	b.WriteString(ownerName(c, l.steps[first].owner))
	for _, s := range l.steps[first:] {
		if s.field != nil {
			b.WriteString("." + s.field.Name())
		} else {
			b.WriteString(s.elem)
		}
	}
	fmt.Fprintf(&b, " (%s)", code.TypeString(l.typ, c.pass.Pkg))
	return b.String()
}

func ownerName(c *checker, t types.Type) string {
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return "struct"
}
