package maprace

import (
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

// A mapOp is one map read or write an instruction makes.
type mapOp struct {
	m     ssa.Value
	write bool
}

// mapOps returns the map accesses instr makes that the runtime checks for
// concurrent use: an index, an assignment, an iteration, delete and clear,
// and the maps functions that do these. len(m) is not checked and not
// counted.
func mapOps(instr ssa.Instruction) []mapOp {
	switch in := instr.(type) {
	case *ssa.MapUpdate:
		return []mapOp{{in.Map, true}}
	case *ssa.Lookup:
		if code.IsMapOrMapParam(in.X.Type()) {
			return []mapOp{{in.X, false}}
		}
	case *ssa.Range:
		if code.IsMapOrMapParam(in.X.Type()) {
			return []mapOp{{in.X, false}}
		}
	case *ssa.Call:
		common := in.Common()
		if b, ok := common.Value.(*ssa.Builtin); ok {
			if (b.Name() == "delete" || b.Name() == "clear") && len(common.Args) > 0 && code.IsMapOrMapParam(common.Args[0].Type()) {
				return []mapOp{{common.Args[0], true}}
			}
			return nil
		}
		if len(common.Args) == 0 || !code.IsMapOrMapParam(common.Args[0].Type()) {
			return nil
		}
		switch code.FuncName(common) {
		case "maps.Copy":
			if len(common.Args) == 2 {
				return []mapOp{{common.Args[0], true}, {common.Args[1], false}}
			}
		case "maps.DeleteFunc", "maps.Insert":
			return []mapOp{{common.Args[0], true}}
		case "maps.Clone", "maps.Equal", "maps.EqualFunc":
			return []mapOp{{common.Args[0], false}}
		}
	}
	return nil
}
