package mapkey

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/report"
)

// report reports sink s, whose key is (or may be) the value leaf: an
// unhashable one when reason says why, a NaN otherwise.
func (c *checker) report(s sink, leaf ssa.Value, reason string) {
	if c.reported == nil {
		c.indexes = code.NodesAt(c.pass.Files, func(n *ast.IndexExpr) token.Pos { return n.Lbrack })
		c.keyVals = code.NodesAt(c.pass.Files, func(n *ast.KeyValueExpr) token.Pos { return n.Colon })
		c.reported = make(map[token.Pos]bool)
	}
	key := c.keyExpr(s)
	if key == nil || c.reported[key.Pos()] {
		return // no syntax to point at; or m[k] op= v, reported once
	}
	c.reported[key.Pos()] = true
	what := s.what
	if s.via != nil {
		what += " (which uses it as a map key)"
	}
	var msg string
	if reason != "" {
		t := code.TypeString(leaf.Type(), c.pass.Pkg)
		msg = fmt.Sprintf("unhashable key: %s panics on a key of type %s, since %s (runtime error: hash of unhashable type %s)", what, t, reason, t)
	} else {
		switch s.op {
		case "insert":
			msg = fmt.Sprintf("NaN key: %s adds an entry that can never be found, replaced or deleted, since NaN is not equal to itself (only clear removes it); each call adds another", what)
		case "delete":
			msg = fmt.Sprintf("NaN key: %s never removes anything, since NaN is not equal to itself", what)
		default:
			msg = fmt.Sprintf("NaN key: %s never finds anything, since NaN is not equal to itself", what)
		}
	}
	d := analysis.Diagnostic{Pos: key.Pos(), End: key.End(), Message: msg}
	if _, isParam := leaf.(*ssa.Parameter); !isParam && leaf.Pos().IsValid() && !(key.Pos() <= leaf.Pos() && leaf.Pos() < key.End()) {
		d.Related = append(d.Related, report.RelatedAt(leaf.Pos(), "the key's value comes from here"))
	}
	if reason != "" {
		if fix := c.stringFix(key, leaf); fix != nil {
			d.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
	}
	report.Report(c.pass, d)
}

// keyExpr returns the syntax of the key of sink s, or nil.
func (c *checker) keyExpr(s sink) ast.Expr {
	switch x := s.instr.(type) {
	case *ssa.MapUpdate:
		if ix := c.indexes[x.Pos()]; ix != nil {
			return ix.Index
		}
		if kv := c.keyVals[x.Pos()]; kv != nil {
			return kv.Key
		}
	case *ssa.Lookup:
		if ix := c.indexes[x.Pos()]; ix != nil {
			return ix.Index
		}
	case *ssa.Call:
		call := c.calls.At(x.Pos())
		if call == nil {
			return nil
		}
		// The SSA arguments of a method call start with the receiver.
		i := s.arg - (len(x.Call.Args) - len(call.Args))
		if i >= 0 && i < len(call.Args) && call.Ellipsis == token.NoPos {
			return call.Args[i]
		}
	}
	return nil
}

// stringFix converts a []byte key to a string: the usual intent, and the
// one conversion that keeps the key's content as it is.
func (c *checker) stringFix(key ast.Expr, leaf ssa.Value) *analysis.SuggestedFix {
	tv, ok := c.pass.TypesInfo.Types[key]
	if !ok || !types.Identical(tv.Type, leaf.Type()) || !isByteSlice(tv.Type) {
		return nil
	}
	scope := c.pass.Pkg.Scope().Innermost(key.Pos())
	if scope == nil {
		return nil
	}
	if _, obj := scope.LookupParent("string", key.Pos()); obj != types.Universe.Lookup("string") {
		return nil
	}
	return &analysis.SuggestedFix{
		Message: "use the bytes as a string key",
		TextEdits: []analysis.TextEdit{
			{Pos: key.Pos(), End: key.Pos(), NewText: []byte("string(")},
			{Pos: key.End(), End: key.End(), NewText: []byte(")")},
		},
	}
}

func isByteSlice(t types.Type) bool {
	s, ok := t.Underlying().(*types.Slice)
	if !ok {
		return false
	}
	b, ok := s.Elem().Underlying().(*types.Basic)
	return ok && b.Kind() == types.Byte
}

// unhashable explains why values of type t cannot be hashed.
func (c *checker) unhashable(t types.Type) string {
	switch u := t.Underlying().(type) {
	case *types.Slice:
		return "slices cannot be hashed"
	case *types.Map:
		return "maps cannot be hashed"
	case *types.Signature:
		return "functions cannot be hashed"
	case *types.Array:
		return fmt.Sprintf("its elements are of type %s, which cannot be hashed", code.TypeString(u.Elem(), c.pass.Pkg))
	case *types.Struct:
		for i := range u.NumFields() {
			if f := u.Field(i); !types.Comparable(f.Type()) {
				return fmt.Sprintf("its field %s is of type %s, which cannot be hashed", f.Name(), code.TypeString(f.Type(), c.pass.Pkg))
			}
		}
	}
	return "it cannot be hashed"
}
