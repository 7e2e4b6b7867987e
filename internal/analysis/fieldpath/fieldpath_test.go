package fieldpath_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/mapguard/mapguard/internal/analysis/fieldpath"
)

func TestPaths(t *testing.T) {
	for _, tt := range []struct {
		p, q            fieldpath.Path
		overlap, covers bool
	}{
		{fieldpath.Path{}, fieldpath.Path{1, 2}, true, true},
		{fieldpath.Path{1}, fieldpath.Path{1, 2}, true, true},
		{fieldpath.Path{1, 2}, fieldpath.Path{1}, true, false},
		{fieldpath.Path{1, 2}, fieldpath.Path{1, 3}, false, false},
		{fieldpath.Path{fieldpath.AnyIndex}, fieldpath.Path{0}, true, false},
		{fieldpath.Path{2}, fieldpath.Path{3}, false, false},
	} {
		if got := fieldpath.Overlap(tt.p, tt.q); got != tt.overlap {
			t.Errorf("Overlap(%v, %v) = %v", tt.p, tt.q, got)
		}
		if got := fieldpath.Covers(tt.p, tt.q); got != tt.covers {
			t.Errorf("Covers(%v, %v) = %v", tt.p, tt.q, got)
		}
		if got, want := fieldpath.Equal(tt.p, tt.q), len(tt.p) == len(tt.q) && tt.covers; got != want {
			t.Errorf("Equal(%v, %v) = %v", tt.p, tt.q, got)
		}
	}
}

func TestAppendLeavesThePathAlone(t *testing.T) {
	p := make(fieldpath.Path, 1, 4)
	q := p.Append(2)
	r := p.Append(3)
	if len(p) != 1 || q[1] != 2 || r[1] != 3 {
		t.Errorf("p %v, p.Append(2) %v, p.Append(3) %v", p, q, r)
	}
}

const src = `package p

type Config struct {
	Name  string
	Slots [4]struct{ Val int }
	Inner *Config
}
`

func TestTypeOfAndField(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	root := pkg.Scope().Lookup("Config").Type()
	for _, tt := range []struct {
		path      fieldpath.Path
		typ       string // "" for nil
		fieldName string // "" for nil
	}{
		{fieldpath.Path{}, "p.Config", ""},
		{fieldpath.Path{0}, "string", "Name"},
		{fieldpath.Path{1, fieldpath.AnyIndex}, "struct{Val int}", ""},
		{fieldpath.Path{1, fieldpath.AnyIndex, 0}, "int", "Val"},
		{fieldpath.Path{2}, "*p.Config", "Inner"},
		{fieldpath.Path{2, 0}, "", ""}, // not through pointers
		{fieldpath.Path{3}, "", ""},
	} {
		typ := ""
		if got := fieldpath.TypeOf(root, tt.path); got != nil {
			typ = got.String()
		}
		if typ != tt.typ {
			t.Errorf("TypeOf(Config, %v) = %q, want %q", tt.path, typ, tt.typ)
		}
		if tt.typ == "" {
			continue // Field asks TypeOf of the path's parent, which must fit
		}
		name := ""
		if f := fieldpath.Field(root, tt.path); f != nil {
			name = f.Name()
		}
		if name != tt.fieldName {
			t.Errorf("Field(Config, %v) = %q, want %q", tt.path, name, tt.fieldName)
		}
	}
}
