package lostwrite

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/copies"
	"github.com/mapguard/mapguard/internal/analysis/report"
)

// report reports l and says whether it could.
func (c *checker) report(cp *copies.Copy, l lost) bool {
	files := c.pass.Files
	o := copies.FindOrigin(files, cp)
	stmt := copies.StmtAt(files, l.access.Instr.Pos())
	if o == nil || stmt == nil {
		return false
	}
	what := copies.Statement(stmt)
	if call, ok := stmt.(*ast.ExprStmt); ok && l.method != nil {
		what = copies.Short(call.X)
	}
	if what == "" {
		return false
	}
	d := analysis.Diagnostic{
		Pos:     stmt.Pos(),
		End:     stmt.End(),
		Message: c.message(cp, o, what, l),
		Related: []analysis.RelatedInformation{o.Related(cp)},
	}
	if o.Range != nil {
		if edits, ok := copies.IndexRewrite(c.pass.TypesInfo, o.Range); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{{Message: "update the elements through the index", TextEdits: edits}}
		}
	}
	report.Report(c.pass, d)
	return true
}

func (c *checker) message(cp *copies.Copy, o *copies.Origin, what string, l lost) string {
	qual := code.Qualifier(c.pass.Pkg)
	because := ""
	if l.method != nil {
		because = fmt.Sprintf(" (%s has a pointer receiver)", l.method.Name())
	}
	name := o.Name.Name
	typ := types.TypeString(cp.TypeOf(nil), qual)
	switch {
	case o.Local(cp):
		return fmt.Sprintf("%s updates %s%s, and nothing reads it afterwards: the update is lost", what, o.Describe(cp, qual), because)
	case cp.Kind == copies.Receiver:
		return fmt.Sprintf("%s updates value receiver %s, a copy of the caller's %s%s, and nothing reads it afterwards: the caller's value is unchanged (use a pointer receiver)", what, name, typ, because)
	case cp.Kind == copies.Param:
		return fmt.Sprintf("%s updates parameter %s, a copy of the caller's %s%s, and nothing reads it afterwards: the caller's value is unchanged (pass a *%s, or return %s)", what, name, typ, because, typ, name)
	case cp.Kind == copies.SyncMapValue:
		m, key := "the sync.Map", "key"
		if e := o.SyncMap(); e != nil {
			m = copies.Short(e)
		}
		if k := loadKey(o.Load); k != "" {
			key = k
		}
		return fmt.Sprintf("%s updates a copy of a value loaded from %s%s; the sync.Map keeps the old value (store it back with %s.Store(%s, %s), or store pointers)", what, m, because, m, key, name)
	}
	original := o.Original(cp, nil)
	container := containerOf(c.pass.TypesInfo, o)
	switch {
	case o.Range != nil && cp.Kind == copies.MapValue:
		return fmt.Sprintf("%s updates %s, a copy of %s%s; the map keeps the old value (write it back with %s = %s, or store pointers)", what, name, original, because, original, name)
	case o.Range != nil:
		return fmt.Sprintf("%s updates %s, a copy of %s%s; the %s keeps the old value (update %s through the index, or range over pointers)", what, name, original, because, container, original)
	case cp.Kind == copies.MapValue:
		return fmt.Sprintf("%s updates a copy of %s%s; the map keeps the old value (write it back with %s = %s, or store pointers)", what, original, because, original, name)
	case cp.Kind == copies.Element:
		return fmt.Sprintf("%s updates a copy of %s%s; the %s keeps the old value (write it back with %s = %s, or update %s directly)", what, original, because, container, original, name, original)
	default:
		return fmt.Sprintf("%s updates a copy of %s%s; %s keeps the old value (update it through the pointer, or store the copy back)", what, copies.Short(o.From), because, original)
	}
}

// loadKey renders the key of m.Load(k) or m.LoadOrStore(k, v), or the name
// of the key parameter of the function passed to m.Range.
func loadKey(call *ast.CallExpr) string {
	if call == nil || len(call.Args) == 0 {
		return ""
	}
	if lit, ok := call.Args[0].(*ast.FuncLit); ok {
		params := lit.Type.Params.List
		if len(params) > 0 && len(params[0].Names) > 0 && params[0].Names[0].Name != "_" {
			return params[0].Names[0].Name
		}
		return ""
	}
	return copies.Short(call.Args[0])
}

// containerOf names what a copied element comes from: "slice", "array".
func containerOf(info *types.Info, o *copies.Origin) string {
	from := o.From
	if o.Range == nil {
		if ix, ok := from.(*ast.IndexExpr); ok {
			from = ix.X
		}
	}
	t := info.TypeOf(from)
	if t == nil {
		return "slice"
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if _, ok := t.Underlying().(*types.Array); ok {
		return "array"
	}
	return "slice"
}

func (c *checker) reportLoadOrStore(call *ssa.Call, v ssa.Value, use ssa.Instruction) {
	files := c.pass.Files
	expr, ok := copies.NodeAt[*ast.CallExpr](files, call.Pos())
	if !ok || len(expr.Args) != 2 {
		return
	}
	cand := copies.Short(expr.Args[1])
	d := analysis.Diagnostic{
		Pos: expr.Pos(),
		End: expr.End(),
		Message: fmt.Sprintf("%s drops the value actually stored, but %s is used afterwards as if it were: when %s is already present, %s is not in the map and what is done to it is lost (use the returned actual value)",
			copies.Short(expr), cand, copies.Short(expr.Args[0]), cand),
	}
	if stmt := copies.StmtAt(files, use.Pos()); stmt != nil && use.Pos().IsValid() {
		d.Related = append(d.Related, report.Related(stmt, "%s is used here", cand))
	}
	report.Report(c.pass, d)
}

// reportCandidateUse reports work done on the candidate of a LoadOrStore
// whose actual value the code uses: when the key was present, the work
// went to a value nobody will find.
func (c *checker) reportCandidateUse(call *ssa.Call, v ssa.Value, use ssa.Instruction) {
	files := c.pass.Files
	expr, ok := copies.NodeAt[*ast.CallExpr](files, call.Pos())
	if !ok || len(expr.Args) != 2 {
		return
	}
	if !use.Pos().IsValid() {
		return
	}
	var node ast.Node
	what := ""
	if ce, ok := copies.NodeAt[*ast.CallExpr](files, use.Pos()); ok && use.Pos() == ce.Lparen {
		node, what = ce, copies.Short(ce)
	} else if stmt := copies.StmtAt(files, use.Pos()); stmt != nil {
		node, what = stmt, copies.Statement(stmt)
	}
	if what == "" {
		return
	}
	cand := copies.Short(expr.Args[1])
	report.Report(c.pass, analysis.Diagnostic{
		Pos: node.Pos(),
		End: node.End(),
		Message: fmt.Sprintf("%s works on %s, the candidate of %s, without checking whether it was stored: when %s is already present, LoadOrStore returns the stored value and the work is lost on %s (do it on the returned value, or only when not loaded)",
			what, cand, copies.Short(expr), copies.Short(expr.Args[0]), cand),
		Related: []analysis.RelatedInformation{report.Related(expr, "%s may keep the value already stored here", copies.Short(expr))},
	})
}
