package lostwrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/code"
	"github.com/mapguard/mapguard/internal/copies"
	"github.com/mapguard/mapguard/internal/report"
)

// checkLoadOrStore reports calls of (*sync.Map).LoadOrStore whose actual
// result is dropped while the candidate value, a pointer, map or channel, is
// used afterwards as if it were the stored one. When the key is already
// present, the candidate is not in the map: what is done to it is lost.
func (c *checker) checkLoadOrStore(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || code.FuncName(call.Common()) != "(*sync.Map).LoadOrStore" || len(call.Call.Args) != 3 {
				continue
			}
			mi, ok := call.Call.Args[2].(*ssa.MakeInterface)
			if !ok || !hasIdentity(mi.X.Type()) {
				continue
			}
			actual, loaded := results(call)
			if actual {
				continue
			}
			if use := unguardedUse(call, mi, loaded); use != nil {
				c.reportLoadOrStore(call, mi.X, use)
			}
		}
	}
}

// hasIdentity reports whether values of type t refer to shared state that
// the stored value and the candidate would not share: pointers, maps and
// channels.
func hasIdentity(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Map, *types.Chan:
		return true
	}
	return false
}

// results reports whether the actual value of call is used, and returns the
// loaded result if it is used.
func results(call *ssa.Call) (actualUsed bool, loaded *ssa.Extract) {
	for _, r := range referrers(call) {
		ext, ok := r.(*ssa.Extract)
		if !ok {
			return true, nil // the tuple flows somewhere this check does not follow
		}
		if len(referrers(ext)) == 0 {
			continue
		}
		if ext.Index == 0 {
			actualUsed = true
		} else {
			loaded = ext
		}
	}
	return actualUsed, loaded
}

// unguardedUse returns a use of the candidate v (converted by mi for the
// call) that runs after the call without the code having checked loaded:
// a use inside either branch of if loaded { ... } else { ... } knows
// whether v was stored. It returns nil if there is none, or if loaded is
// used in a way this check does not follow.
func unguardedUse(call *ssa.Call, mi *ssa.MakeInterface, loaded *ssa.Extract) ssa.Instruction {
	var branches []*ssa.BasicBlock
	if loaded != nil {
		for _, r := range referrers(loaded) {
			b := r.Block()
			switch r := r.(type) {
			case *ssa.If:
				branches = append(branches, b.Succs...)
				continue
			case *ssa.UnOp:
				if r.Op == token.NOT && len(referrers(r)) == 1 {
					if _, ok := referrers(r)[0].(*ssa.If); ok {
						branches = append(branches, b.Succs...)
						continue
					}
				}
			}
			return nil
		}
	}
	v := mi.X
	for _, r := range referrers(v) {
		if r == mi {
			continue
		}
		switch r.(type) {
		case *ssa.Phi, *ssa.DebugRef:
			continue // merged with another value: not followed
		case *ssa.BinOp:
			continue // compared
		}
		if !runsAfter(call, r) {
			continue
		}
		guarded := false
		for _, br := range branches {
			if len(br.Preds) == 1 && br.Dominates(r.Block()) {
				guarded = true
			}
		}
		if !guarded {
			return r
		}
	}
	return nil
}

// runsAfter reports whether instr can run after call in the same execution
// of the function: later in call's block, or in a block reachable from it.
func runsAfter(call, instr ssa.Instruction) bool {
	b := call.Block()
	if instr.Block() == b {
		for _, x := range b.Instrs {
			if x == call {
				return true
			}
			if x == instr {
				break
			}
		}
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[x] {
			continue
		}
		seen[x] = true
		if x == instr.Block() {
			return true
		}
		work = append(work, x.Succs...)
	}
	return false
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
