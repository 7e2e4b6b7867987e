package unsavedload

import (
	"fmt"
	"go/types"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

// storageFact is what an exported function does that matters to callers in
// other packages: whether it writes to storage, what data read from storage
// its results carry or it decodes into its arguments, and what it does to
// the sync.Maps its parameters reach.
//
// It travels in analyzedPkg; tests also export it as the function's own
// object fact (funcFactsForTests), where analysistest can match it.
type storageFact struct {
	Writes   bool // opens a file for writing, writes one, or executes SQL
	MayWrite bool // calls a save-like method the check cannot see into
	Result   factSrc
	Fills    []factFill
	Maps     []factOp
}

type factSrc struct {
	Kind      srcKind
	Param     int
	From      string
	PathParam int
}

func (f factSrc) src() src {
	return src{kind: f.Kind, param: f.Param, from: f.From, pathParam: f.PathParam}
}

func toFactSrc(s src) factSrc {
	if s.kind == srcNone {
		return factSrc{Kind: srcOther}
	}
	return factSrc{Kind: s.kind, Param: s.param, From: s.from, PathParam: s.pathParam}
}

type factFill struct {
	Param int
	Src   factSrc
}

type factOp struct {
	Param    int
	Path     string
	Kind     opKind
	Key, Val factSrc
	Mode     mode
}

func (*storageFact) AFact() {}

func (f *storageFact) String() string {
	var parts []string
	if f.Writes {
		parts = append(parts, "writes")
	} else if f.MayWrite {
		parts = append(parts, "may write")
	}
	if k := f.Result.Kind; k == srcStored || k == srcParam {
		parts = append(parts, "returns "+f.Result.String())
	}
	for _, fl := range f.Fills {
		parts = append(parts, fmt.Sprintf("fills p%d with %s", fl.Param, fl.Src))
	}
	for _, o := range f.Maps {
		s := fmt.Sprintf("%s p%d%s", opNames[o.Kind], o.Param, o.Path)
		if o.Kind == opStore {
			s += fmt.Sprintf(" key=%s val=%s", o.Key, o.Val)
		}
		if o.Mode != modeSync {
			s += " " + modeNames[o.Mode]
		}
		parts = append(parts, s)
	}
	return "storage(" + strings.Join(parts, "; ") + ")"
}

func (f factSrc) String() string {
	switch f.Kind {
	case srcStored:
		if f.PathParam > 0 {
			return fmt.Sprintf("data from the file p%d names", f.PathParam-1)
		}
		return "data from " + f.From
	case srcParam:
		return fmt.Sprintf("p%d", f.Param)
	case srcConst:
		return "const"
	}
	return "other"
}

var opNames = map[opKind]string{
	opStore: "store", opDelete: "delete", opRead: "read",
	opLeak: "leak", opLeakExported: "leak-exported", opReassign: "reassign",
}

var modeNames = map[mode]string{
	modeSync: "sync", modeOnce: "once", modeDefer: "deferred",
	modeEscaped: "escaped", modeGo: "goroutine", modeHandler: "handler",
}

// analyzedPkg is the package fact that the check analysed the package, with
// a storageFact for each of its exported functions and methods that needs
// one: a function of it without a fact does none of these things.
//
// The functions' facts are part of the package fact, not object facts of
// their own, because the check reads them only for packages that carry
// analyzedPkg, which are direct imports (a package fact crosses one import),
// while x/tools passes an imported method's object facts on in every
// importer's facts file: on k8s.io/apiserver, 2.3 million decoded copies of
// storageFact, a fifth of a vet run's CPU time, for facts no one read.
type analyzedPkg struct {
	Funcs []funcFact // sorted by Key (a map would not encode the same way twice)
}

// funcFactsForTests makes exportFacts also export each function's
// storageFact as an object fact, for analysistest's want comments; the
// check reads only analyzedPkg.
var funcFactsForTests = false

// funcFact is the fact of one function, named by funcKey.
type funcFact struct {
	Key  string
	Fact *storageFact
}

func (*analyzedPkg) AFact()         {}
func (*analyzedPkg) String() string { return "analyzed" }

// funcKey names an exported function ("F") or method ("T.M") of its
// package in analyzedPkg.Funcs.
func funcKey(fn *types.Func) string {
	if fn.Signature().Recv() == nil {
		return fn.Name()
	}
	if n := code.ReceiverNamed(fn); n != nil {
		return n.Obj().Name() + "." + fn.Name()
	}
	return "" // an interface method: no fact
}

// analyzedPackages returns the packages that carry analyzedPkg, with it.
func analyzedPackages(pass *analysis.Pass) map[*types.Package]*analyzedPkg {
	out := make(map[*types.Package]*analyzedPkg)
	for _, f := range pass.AllPackageFacts() {
		if a, ok := f.Fact.(*analyzedPkg); ok {
			out[f.Package] = a
		}
	}
	return out
}

// factOfFunc returns the fact of a function of an analysed package, or nil.
// An instance of a generic function or method has none (its fact is its
// origin's; as with the object facts this replaced, it is not looked up).
func (c *checker) factOfFunc(obj *types.Func) *storageFact {
	if f, ok := c.factCache[obj]; ok {
		return f
	}
	var out *storageFact
	if a := c.analyzed[obj.Pkg()]; a != nil && obj.Pkg() != c.pass.Pkg && obj == obj.Origin() {
		key := funcKey(obj)
		if i, ok := slices.BinarySearchFunc(a.Funcs, key, func(f funcFact, key string) int { return strings.Compare(f.Key, key) }); ok && key != "" {
			out = a.Funcs[i].Fact
		}
	}
	c.factCache[obj] = out
	return out
}

func (c *checker) factOf(call *ssa.CallCommon) *storageFact {
	if call.IsInvoke() {
		return nil
	}
	fn := call.StaticCallee()
	if fn == nil {
		return nil
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok || obj.Pkg() == nil || c.analyzed[obj.Pkg()] == nil {
		return nil
	}
	return c.factOfFunc(obj)
}

// exportFacts exports the analyzedPkg package fact, with a storageFact for
// each exported function and method of the package that needs one.
func (c *checker) exportFacts() {
	var funcs []funcFact
	for _, obj := range exportedFuncs(c.pass.Pkg) {
		fn := c.pkg.Prog.FuncValue(obj)
		if fn == nil || c.inTest(fn) {
			continue
		}
		s := c.summary(fn)
		if s == nil {
			continue
		}
		if f := c.factFor(fn, s); f != nil {
			if key := funcKey(obj); key != "" {
				funcs = append(funcs, funcFact{key, f})
			}
			if funcFactsForTests {
				c.pass.ExportObjectFact(obj, f)
			}
		}
	}
	slices.SortFunc(funcs, func(a, b funcFact) int { return strings.Compare(a.Key, b.Key) })
	c.pass.ExportPackageFact(&analyzedPkg{Funcs: funcs})
}

func (c *checker) factFor(fn *ssa.Function, s *summary) *storageFact {
	f := &storageFact{Writes: c.writesStorage[fn], MayWrite: c.mayWriteStorage[fn]}
	if r := s.result.final(); r.kind == srcStored || r.kind == srcParam {
		f.Result = toFactSrc(r)
	}
	var params []int
	for i := range s.fills {
		params = append(params, i)
	}
	sort.Ints(params)
	for _, i := range params {
		f.Fills = append(f.Fills, factFill{Param: i, Src: toFactSrc(s.fills[i])})
	}
	seen := make(map[factOp]bool)
	for _, o := range s.ops {
		if o.place.global != nil || o.place.param >= len(fn.Params) {
			continue
		}
		kind := o.kind
		if kind == opReassign {
			kind = opLeak
		}
		fo := factOp{Param: o.place.param, Path: o.place.path, Kind: kind, Mode: o.mode}
		if kind == opStore {
			fo.Key, fo.Val = toFactSrc(o.key), toFactSrc(o.val)
		}
		if !seen[fo] {
			seen[fo] = true
			f.Maps = append(f.Maps, fo)
		}
	}
	if !f.Writes && !f.MayWrite && f.Result.Kind == srcNone && len(f.Fills) == 0 && len(f.Maps) == 0 {
		return nil
	}
	return f
}

// exportedFuncs lists the exported functions of pkg and the exported
// methods of its exported types.
func exportedFuncs(pkg *types.Package) []*types.Func {
	var out []*types.Func
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		switch obj := scope.Lookup(name).(type) {
		case *types.Func:
			if obj.Exported() {
				out = append(out, obj)
			}
		case *types.TypeName:
			if !obj.Exported() || obj.IsAlias() {
				continue
			}
			n, ok := obj.Type().(*types.Named)
			if !ok {
				continue
			}
			for m := range n.Methods() {
				if m.Exported() {
					out = append(out, m)
				}
			}
		}
	}
	return out
}

// wantsFacts reports whether the package may do something worth a fact
// for its importers: read or write storage, decode, take a sync.Map, or
// call functions that do. It looks only at the objects the package uses.
func wantsFacts(pass *analysis.Pass, analyzed map[*types.Package]*analyzedPkg) bool {
	funcs := exportedFuncs(pass.Pkg)
	if len(funcs) == 0 {
		return false
	}
	for _, fn := range funcs {
		sig := fn.Signature()
		for i := range sig.Params().Len() {
			if reachesSyncMap(sig.Params().At(i).Type()) {
				return true
			}
		}
		if recv := sig.Recv(); recv != nil && reachesSyncMap(recv.Type()) {
			return true
		}
	}
	for _, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Pkg() == pass.Pkg {
			continue
		}
		if analyzed[fn.Pkg()] != nil || ioPackages[fn.Pkg().Path()] {
			return true
		}
		if recv := fn.Signature().Recv(); recv != nil && types.IsInterface(recv.Type()) &&
			!isStdPath(fn.Pkg().Path()) && saveLike(fn.Name()) {
			return true
		}
	}
	return false
}

// ioPackages hold the functions of the tables above.
var ioPackages = map[string]bool{
	"os": true, "io": true, "io/ioutil": true, "bufio": true, "database/sql": true,
	"encoding/json": true, "encoding/gob": true, "encoding/xml": true, "encoding/csv": true,
	"encoding/binary": true, "compress/gzip": true, "compress/zlib": true, "compress/flate": true,
	"gopkg.in/yaml.v2": true, "gopkg.in/yaml.v3": true, "sigs.k8s.io/yaml": true,
	"github.com/BurntSushi/toml": true,
}

// isStdPath reports whether an import path is in the standard library (or
// the go command's tree): its first element is one of the standard roots.
// A module path without a dot ("myservice") is not standard. (maprace's
// isStd takes any path without a dot as standard; see there why the two stay
// apart.)
func isStdPath(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return stdRoots[first]
}

var stdRoots = map[string]bool{
	"archive": true, "bufio": true, "bytes": true, "cmp": true, "compress": true,
	"container": true, "context": true, "crypto": true, "database": true, "debug": true,
	"embed": true, "encoding": true, "errors": true, "expvar": true, "flag": true,
	"fmt": true, "go": true, "hash": true, "html": true, "image": true, "index": true,
	"internal": true, "io": true, "iter": true, "log": true, "maps": true, "math": true,
	"mime": true, "net": true, "os": true, "path": true, "plugin": true, "reflect": true,
	"regexp": true, "runtime": true, "slices": true, "sort": true, "strconv": true,
	"strings": true, "structs": true, "sync": true, "syscall": true, "testing": true,
	"text": true, "time": true, "unicode": true, "unique": true, "unsafe": true,
	"vendor": true, "weak": true, "cmd": true, "C": true,
}
