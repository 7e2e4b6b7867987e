package copies

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/mapguard/mapguard/internal/analysis/fieldpath"
	"github.com/mapguard/mapguard/internal/analysis/report"
)

// Describe names the copy for a message: "value receiver c Config",
// "parameter u User", "range value t", "v, a copy of counts[endpoint]".
func (o *Origin) Describe(c *Copy, qual types.Qualifier) string {
	name := o.Name.Name
	typ := types.TypeString(pointee(c.Var.Type()), qual)
	switch {
	case o.Local(c):
		return name + ", a copy of " + o.kindWord(c) + " " + Short(o.From)
	case c.Kind == Receiver:
		return "value receiver " + name + " " + typ
	case c.Kind == Param:
		return "parameter " + name + " " + typ
	case o.Range != nil:
		return "range value " + name
	case c.Kind == SyncMapValue:
		if m := o.SyncMap(); m != nil {
			return name + ", a copy of the value loaded from " + Short(m)
		}
		return name + ", a copy of a value loaded from a sync.Map"
	}
	return name + ", a copy of " + Short(o.From)
}

// Original names the part p of the data the copy was taken from:
// "the caller's Tags", "tasks[i].Done", "counts[endpoint].Hits".
func (o *Origin) Original(c *Copy, p fieldpath.Path) string {
	part := c.PathString(p)
	dot := func(s string) string {
		if part == "" {
			return s
		}
		if strings.HasPrefix(part, "[") {
			return s + part
		}
		return s + "." + part
	}
	switch {
	case c.Kind == Receiver || c.Kind == Param:
		if part == "" {
			return "the caller's value"
		}
		return "the caller's " + part
	case o.Range != nil:
		return dot(Short(o.From) + "[" + o.rangeKey(c) + "]")
	case c.Kind == SyncMapValue:
		if m := o.SyncMap(); m != nil {
			return "the value stored in " + Short(m)
		}
		return "the value stored in the sync.Map"
	}
	from := o.From
	if star, ok := from.(*ast.StarExpr); ok && part != "" {
		from = star.X // *p → p.Field
	}
	return dot(Short(from))
}

// rangeKey is the name of the range key, or a stand-in: i for slices and
// arrays, k for maps.
func (o *Origin) rangeKey(c *Copy) string {
	if id, ok := o.Range.Key.(*ast.Ident); ok && id.Name != "_" {
		return id.Name
	}
	if c.Kind == MapValue {
		return "k"
	}
	return "i"
}

// SyncMap returns the sync.Map expression a SyncMapValue copy was loaded
// from (m in m.Load(k)), or nil.
func (o *Origin) SyncMap() ast.Expr {
	if o.Load == nil {
		return nil
	}
	if sel, ok := astutil.Unparen(o.Load.Fun).(*ast.SelectorExpr); ok {
		return sel.X
	}
	return nil
}

// PathString renders a part of the copy: "Tags", "cfg.Tags", "arr[...]".
func (c *Copy) PathString(p fieldpath.Path) string {
	var b strings.Builder
	for i, step := range p {
		if step == fieldpath.AnyIndex {
			b.WriteString("[...]")
			continue
		}
		f := c.Field(p[:i+1])
		if f == nil {
			return ""
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(f.Name())
	}
	return b.String()
}

// Note says where the copy is made, for a Related position: the node to
// point at and the text.
func (o *Origin) Note(c *Copy) (ast.Node, string) {
	name := o.Name.Name
	switch {
	case o.Local(c):
		return o.Decl, name + " is a copy of " + o.kindWord(c) + " " + Short(o.From)
	case c.Kind == Receiver:
		return o.Decl, name + " is a copy of the value the method is called on"
	case c.Kind == Param:
		return o.Decl, name + " is a copy of the caller's argument"
	case o.Range != nil && c.Kind == MapValue:
		return o.Range.X, name + " is a copy of each value of " + Short(o.From)
	case o.Range != nil:
		return o.Range.X, name + " is a copy of each element of " + Short(o.From)
	case c.Kind == SyncMapValue:
		return o.Decl, name + " is a copy of the value stored in the sync.Map"
	}
	return o.Decl, name + " is a copy of " + Short(o.From)
}

// Related is Note as the related position of a finding.
func (o *Origin) Related(c *Copy) analysis.RelatedInformation {
	node, text := o.Note(c)
	return report.Related(node, "%s", text)
}

// Local reports whether a receiver or parameter copy is a local variable
// declared from it (base := proto), rather than the receiver or parameter
// itself.
func (o *Origin) Local(c *Copy) bool {
	_, field := o.Decl.(*ast.Field)
	return (c.Kind == Receiver || c.Kind == Param) && !field && o.From != nil
}

func (o *Origin) kindWord(c *Copy) string {
	if c.Kind == Receiver {
		return "receiver"
	}
	return "parameter"
}
