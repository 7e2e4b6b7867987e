package code_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

const mapsSrc = `package p

type M map[string]int

func F[
	Tilde ~map[string]int,
	Exact interface{ map[string]int },
	Two interface{ ~map[string]int | ~map[int]int },
	Mixed interface{ ~map[string]int | ~[]int },
	Any any,
]() {}
`

// TestMapQuestions pins where the three ways of asking "is this a map?"
// differ: on type parameters, whose constraint IsMap never looks at,
// IsMapOrMapParam wants every term to be a map, and IsCoreMap wants one
// map type shared by the terms of its unions.
func TestMapQuestions(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", mapsSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	named := pkg.Scope().Lookup("M").Type()
	params := pkg.Scope().Lookup("F").Type().(*types.Signature).TypeParams()
	param := func(name string) types.Type {
		for i := range params.Len() {
			if tp := params.At(i); tp.Obj().Name() == name {
				return tp
			}
		}
		t.Fatalf("no type parameter %s", name)
		return nil
	}
	for _, tt := range []struct {
		name                   string
		typ                    types.Type
		isMap, orParam, isCore bool
	}{
		{"map[string]int", types.NewMap(types.Typ[types.String], types.Typ[types.Int]), true, true, true},
		{"M", named, true, true, true},
		{"*M", types.NewPointer(named), false, false, false},
		{"Tilde", param("Tilde"), false, true, true},
		{"Exact", param("Exact"), false, true, false},
		{"Two", param("Two"), false, true, false},
		{"Mixed", param("Mixed"), false, false, false},
		{"Any", param("Any"), false, false, false},
	} {
		if got := code.IsMap(tt.typ); got != tt.isMap {
			t.Errorf("IsMap(%s) = %v", tt.name, got)
		}
		if got := code.IsMapOrMapParam(tt.typ); got != tt.orParam {
			t.Errorf("IsMapOrMapParam(%s) = %v", tt.name, got)
		}
		if got := code.IsCoreMap(tt.typ); got != tt.isCore {
			t.Errorf("IsCoreMap(%s) = %v", tt.name, got)
		}
	}
	if code.IsMap(nil) || code.IsCoreMap(nil) {
		t.Error("nil is a map")
	}
	if got := code.TypeString(types.NewPointer(named), pkg); got != "*M" {
		t.Errorf("TypeString(*M) in its own package = %q", got)
	}
	if got := code.TypeString(types.NewPointer(named), types.NewPackage("q", "q")); got != "*p.M" {
		t.Errorf("TypeString(*M) in another package = %q", got)
	}
}
