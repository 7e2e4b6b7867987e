package iterdelete

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/budget"
	"github.com/mapguard/mapguard/internal/analysis/checkdoc"
	"github.com/mapguard/mapguard/internal/analysis/code"
	"github.com/mapguard/mapguard/internal/analysis/lazyssa"
	"github.com/mapguard/mapguard/internal/analysis/scope"
	"github.com/mapguard/mapguard/internal/run/guard"
)

//go:embed doc.go
var doc string

// Analyzer reports removals and insertions that make a loop over a
// container/list, a slice or a map skip or lose entries.
// The users' text is in doc.go, printed by `mapguard explain iterdelete`.
var Analyzer = &analysis.Analyzer{
	Name:      "iterdelete",
	Doc:       checkdoc.Extract(doc, "iterdelete"),
	URL:       checkdoc.URL("iterdelete"),
	Requires:  []*analysis.Analyzer{lazyssa.Analyzer},
	FactTypes: []analysis.Fact{new(removesElem), new(hasRemovers)},
	Run:       guard.Run(run),
}

// removesElem is the fact that a function removes one of its
// *list.Element parameters from a list (or moves it within one), directly or
// through other such functions. Callers that iterate over that list with
// e.Next() or e.Prev() and hand it the current element are reported.
type removesElem struct {
	Removals []Removal
}

// A Removal is one element parameter a function removes or moves, and the
// list it does that on, named by an access path from a parameter or a
// package-level variable.
type Removal struct {
	Elem  Ref    // the element: a parameter (or, locally, a free variable)
	List  Ref    // the root of the list's access path
	Steps []Step // the rest of the list's access path
	Op    string // the list method in the end: "Remove", "MoveToBack", ...
}

// A Ref is a value a function gets from its caller.
type Ref struct {
	Kind   byte   // 'p' a parameter (receiver first), 'f' a free variable, 'g' a package-level variable
	Index  int    // the parameter or free variable index
	Global string // "pkg/path.Name" for 'g'
}

func (*removesElem) AFact() {}

func (f *removesElem) String() string {
	parts := make([]string, len(f.Removals))
	for i, r := range f.Removals {
		parts[i] = r.String()
	}
	return "removesElem(" + strings.Join(parts, ", ") + ")"
}

func (r Removal) String() string {
	var list strings.Builder
	list.WriteString(r.List.String())
	for _, s := range r.Steps {
		if s.Op != '*' {
			list.WriteString("." + s.Name)
		}
	}
	return fmt.Sprintf("%s(%s) on %s", r.Op, r.Elem, list.String())
}

func (r Ref) String() string {
	switch r.Kind {
	case 'p':
		return fmt.Sprintf("#%d", r.Index)
	case 'f':
		return fmt.Sprintf("free#%d", r.Index)
	}
	return r.Global
}

// hasRemovers is the package fact that a package exports functions with
// removesElem facts.
type hasRemovers struct{}

func (*hasRemovers) AFact()         {}
func (*hasRemovers) String() string { return "hasRemovers" }

type checker struct {
	pass    *analysis.Pass
	budget  *budget.Func                // of the function being checked
	helpers map[*ssa.Function][]Removal // this package's removing functions
	loops   map[*ssa.BasicBlock]*loop
	calls   *code.Calls
}

func run(pass *analysis.Pass) (any, error) {
	w := scan(pass)
	if scope.FactsOnly() {
		// A dependency: only the removing helpers, which are facts, matter.
		w = wanted{listHelpers: w.listHelpers}
	}
	if !w.any() {
		return nil, nil
	}
	lazy := pass.ResultOf[lazyssa.Analyzer].(*lazyssa.SSA)
	var funcs []*ssa.Function
	if w.listHelpers {
		// Helpers are found to a fixed point over the whole package.
		_, funcs = lazy.Get()
	} else {
		funcs = lazy.Partial(func(fd *ast.FuncDecl) bool { return w.funcs[fd] })
	}
	c := &checker{pass: pass, helpers: make(map[*ssa.Function][]Removal), calls: code.NewCalls(pass.Files)}
	if w.listHelpers {
		c.findHelpers(funcs)
		c.exportFacts()
	}
	for fn, u := range budget.Funcs(pass, funcs) {
		if len(fn.Blocks) == 0 {
			continue
		}
		c.budget = u
		c.loops = make(map[*ssa.BasicBlock]*loop)
		if w.lists {
			c.checkLists(fn)
		}
		if w.slices {
			c.checkSlices(fn)
		}
		if w.maps {
			c.checkMaps(fn)
		}
	}
	return nil, nil
}

// wanted says which parts of the check can find anything in a package, and
// in which functions, as told cheaply from its syntax and imports before
// SSA is built.
type wanted struct {
	lists       bool // a loop advances with (*list.Element).Next or Prev
	listHelpers bool // functions here may remove a list element parameter
	slices      bool // a loop holds the syntax of an in-place deletion (see hasSliceDeletion)
	maps        bool // a range over a map assigns to an element of that map

	funcs map[*ast.FuncDecl]bool // the functions where lists, slices or maps were seen
}

func (w wanted) any() bool { return w.lists || w.listHelpers || w.slices || w.maps }

func scan(pass *analysis.Pass) wanted {
	w := wanted{funcs: make(map[*ast.FuncDecl]bool)}
	w.listHelpers = code.Imports(pass.Pkg, "container/list") || importsRemovers(pass)
	info := pass.TypesInfo
	for _, file := range pass.Files {
		for _, decl := range file.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					if sel := info.Selections[n]; sel != nil && isElementStep(sel.Obj()) {
						w.lists, w.funcs[fd] = true, true
					}
				case *ast.ForStmt:
					if hasSliceDeletion(info, n.Body) {
						w.slices, w.funcs[fd] = true, true
					}
				case *ast.RangeStmt:
					if hasSliceDeletion(info, n.Body) {
						w.slices, w.funcs[fd] = true, true
					}
					if code.IsCoreMap(info.TypeOf(n.X)) && hasMapAssign(info, n) {
						w.maps, w.funcs[fd] = true, true
					}
				}
				return true
			})
		}
	}
	return w
}

func importsRemovers(pass *analysis.Pass) bool {
	for _, f := range pass.AllPackageFacts() {
		if _, ok := f.Fact.(*hasRemovers); ok {
			return true
		}
	}
	return false
}

func isElementStep(obj types.Object) bool {
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	name := fn.FullName()
	return name == elemNext || name == elemPrev
}

// hasSliceDeletion reports whether body holds the syntax of an in-place
// deletion: append(s[:i], s[j:]...), slices.Delete, copy(s[i:], s[j:]), or
// s[i] = s[len(s)-1]. It is the prefilter that keeps most packages from
// needing SSA at all.
func hasSliceDeletion(info *types.Info, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch x := n.(type) {
		case *ast.CallExpr:
			switch fn := astutil.Unparen(x.Fun).(type) {
			case *ast.Ident:
				b, ok := info.Uses[fn].(*types.Builtin)
				if !ok || len(x.Args) != 2 {
					break
				}
				head, ok1 := astutil.Unparen(x.Args[0]).(*ast.SliceExpr)
				tail, ok2 := astutil.Unparen(x.Args[1]).(*ast.SliceExpr)
				if !ok1 || !ok2 || !sameText(head.X, tail.X) {
					break
				}
				switch b.Name() {
				case "append":
					found = x.Ellipsis.IsValid() && head.High != nil && tail.Low != nil
				case "copy":
					found = head.Low != nil && tail.Low != nil
				}
			case *ast.SelectorExpr, *ast.IndexExpr, *ast.IndexListExpr:
				if f, ok := typeutilCallee(info, x).(*types.Func); ok && f.Pkg() != nil {
					found = f.Pkg().Path() == "slices" && f.Name() == "Delete"
				}
			}
		case *ast.AssignStmt:
			if len(x.Lhs) != 1 || len(x.Rhs) != 1 {
				break
			}
			dst, ok1 := astutil.Unparen(x.Lhs[0]).(*ast.IndexExpr)
			src, ok2 := astutil.Unparen(x.Rhs[0]).(*ast.IndexExpr)
			if ok1 && ok2 && sameText(dst.X, src.X) {
				last, ok := astutil.Unparen(src.Index).(*ast.BinaryExpr)
				found = ok && last.Op == token.SUB && isLenCall(last.X)
			}
		}
		return !found
	})
	return found
}

// sameText reports whether a and b are spelled alike: the cheap syntactic
// stand-in for "the same slice" or "the same map".
func sameText(a, b ast.Expr) bool {
	return types.ExprString(a) == types.ExprString(b)
}

func isLenCall(e ast.Expr) bool {
	call, ok := astutil.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return false
	}
	id, ok := astutil.Unparen(call.Fun).(*ast.Ident)
	return ok && id.Name == "len"
}

// typeutilCallee returns the function or method a call names, looking
// through instantiation.
func typeutilCallee(info *types.Info, call *ast.CallExpr) types.Object {
	fun := astutil.Unparen(call.Fun)
	switch x := fun.(type) {
	case *ast.IndexExpr:
		fun = x.X
	case *ast.IndexListExpr:
		fun = x.X
	}
	switch x := astutil.Unparen(fun).(type) {
	case *ast.Ident:
		return info.Uses[x]
	case *ast.SelectorExpr:
		return info.Uses[x.Sel]
	}
	return nil
}

// hasMapAssign reports whether the body of a range over the map m assigns
// to an element of a map spelled like m, with a key other than the range's
// key variable.
func hasMapAssign(info *types.Info, loop *ast.RangeStmt) bool {
	found := false
	key, _ := loop.Key.(*ast.Ident)
	check := func(e ast.Expr) {
		ix, ok := astutil.Unparen(e).(*ast.IndexExpr)
		if !ok || !sameText(ix.X, loop.X) {
			return
		}
		if id, ok := astutil.Unparen(ix.Index).(*ast.Ident); ok && key != nil && id.Name == key.Name {
			return
		}
		found = true
	}
	ast.Inspect(loop.Body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch x := n.(type) {
		case *ast.AssignStmt:
			for _, lhs := range x.Lhs {
				check(lhs)
			}
		case *ast.IncDecStmt:
			check(x.X)
		}
		return !found
	})
	return found
}
