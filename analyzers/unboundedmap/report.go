package unboundedmap

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/internal/analysis/report"
)

// checkVar reports v when an insert outside initialization adds a key of an
// unbounded type that comes from input.
func checkVar(pass *analysis.Pass, t *tracer, v *types.Var, u *varUses) {
	sort.Slice(u.inserts, func(i, j int) bool { return u.inserts[i].pos < u.inserts[j].pos })
	for _, ins := range u.inserts {
		if t.inits[ins.fn] || !unboundedKey(ins.key.Type()) {
			continue
		}
		src, ok := t.source(ins.key)
		if !ok {
			continue
		}
		if src.origin == fromExported && !memoizes(src.param.Parent(), u.reads) {
			// A registry (Register, Publish, Intern) is filled with what
			// its callers name, usually a fixed set: only a memo that
			// hands the stored value back to its caller is reported.
			continue
		}
		key := t.keyExpr(ins)
		report.Report(pass, analysis.Diagnostic{
			Pos: ins.pos,
			Message: v.Name() + " only grows: entries keyed by " + src.describe() + key +
				" are added here, and nothing in the package deletes, clears or replaces them;" +
				" evict entries (on expiry, past a size cap, an LRU) or key it by a bounded set",
			Related: []analysis.RelatedInformation{
				report.RelatedAt(v.Pos(), "%s is declared here", v.Name()),
				report.RelatedAt(src.pos, "the key comes from %s here", src.describe()),
			},
		})
		return
	}
}

// keyExpr renders the key of an insert, " (r.URL.Path)", from the syntax.
func (t *tracer) keyExpr(ins insert) string {
	if t.exprs == nil {
		t.exprs = make(map[token.Pos]ast.Expr)
		for _, f := range t.pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.IndexExpr:
					t.exprs[n.Lbrack] = n.Index
				case *ast.CallExpr:
					if len(n.Args) > 0 {
						t.exprs[n.Lparen] = n.Args[0]
					}
				}
				return true
			})
		}
	}
	if e := t.exprs[ins.pos]; e != nil {
		return " (" + types.ExprString(e) + ")"
	}
	return ""
}

func (s source) describe() string {
	switch s.origin {
	case fromRequest:
		return "the HTTP request"
	case fromNetwork:
		return "data read from the network"
	default:
		return "a parameter of exported " + s.fn
	}
}
