package code

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// SyncMapMethod returns the name of the sync.Map method that c statically
// calls ("Load", "Store", ...), or "" when c calls something else. Calls
// through an embedded sync.Map and through aliases of it count; calls of a
// method value (f := m.Load; f(k)) do not, so that c.Args[0] is always the
// map and c.Args[1] the key.
func SyncMapMethod(c *ssa.CallCommon) string {
	fn := c.StaticCallee()
	if fn == nil {
		return ""
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return ""
	}
	recv := obj.Signature().Recv()
	if recv == nil || !IsSyncMap(recv.Type()) || !ArgsMatch(c, obj) {
		return ""
	}
	return obj.Name()
}

// ArgsMatch reports whether the arguments of call are fn's receiver, if it
// has one, and its parameters, one for one: false for a call of a method
// value (f := x.M; f()), whose receiver is bound in the closure.
func ArgsMatch(call *ssa.CallCommon, fn *types.Func) bool {
	sig := fn.Signature()
	n := sig.Params().Len()
	if sig.Recv() != nil {
		n++
	}
	return len(call.Args) == n
}

// UsesSyncMapMethod reports whether the package whose type information is
// info refers to any of the named sync.Map methods: a cheap test, on syntax
// already type-checked, that a package can hold a call to one.
func UsesSyncMapMethod(info *types.Info, names ...string) bool {
	for _, obj := range info.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
			continue
		}
		recv := fn.Signature().Recv()
		if recv == nil || !IsSyncMap(recv.Type()) {
			continue
		}
		for _, name := range names {
			if fn.Name() == name {
				return true
			}
		}
	}
	return false
}

// NodesAt indexes the nodes of type N in files by the position pos returns
// for each: the position go/ssa gives the instruction built from it.
func NodesAt[N ast.Node](files []*ast.File, pos func(N) token.Pos) map[token.Pos]N {
	nodes := make(map[token.Pos]N)
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if n, ok := n.(N); ok {
				nodes[pos(n)] = n
			}
			return true
		})
	}
	return nodes
}

// IsTestFile reports whether pos lies in a _test.go file.
func IsTestFile(fset *token.FileSet, pos token.Pos) bool {
	name := fset.Position(pos).Filename
	return len(name) > len("_test.go") && name[len(name)-len("_test.go"):] == "_test.go"
}
