package mapkey

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/mapguard/mapguard/internal/analysis/code"
)

// isNaN reports whether v is certain to be NaN: math.NaN(), arithmetic with
// a NaN operand, ∞-∞, ∞·0, ∞/∞ and 0/0 (from variables: constant
// expressions cannot be NaN), conversions of those, and unexported package
// variables that are only ever assigned such values.
func (c *checker) isNaN(v ssa.Value, depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch x := v.(type) {
	case *ssa.Call:
		return code.FuncName(x.Common()) == "math.NaN"
	case *ssa.Convert:
		return isFloat(x.X.Type()) && c.isNaN(x.X, depth+1)
	case *ssa.ChangeType:
		return c.isNaN(x.X, depth+1)
	case *ssa.UnOp:
		switch x.Op {
		case token.SUB:
			return c.isNaN(x.X, depth+1)
		case token.MUL:
			g, ok := x.X.(*ssa.Global)
			return ok && c.nanVar(g)
		}
	case *ssa.BinOp:
		switch x.Op {
		case token.ADD, token.SUB, token.MUL, token.QUO:
		default:
			return false
		}
		if c.isNaN(x.X, depth+1) || c.isNaN(x.Y, depth+1) {
			return true
		}
		a, b := infSign(x.X, 0), infSign(x.Y, 0)
		switch x.Op {
		case token.ADD:
			return a != 0 && a == -b
		case token.SUB:
			return a != 0 && a == b
		case token.MUL:
			return (a != 0 && isZero(x.Y)) || (b != 0 && isZero(x.X))
		case token.QUO:
			return (a != 0 && b != 0) || (isZero(x.X) && isZero(x.Y))
		}
	}
	return false
}

// infSign returns +1 or -1 when v is certain to be +∞ or -∞, otherwise 0.
func infSign(v ssa.Value, depth int) int {
	if depth > maxDepth {
		return 0
	}
	switch x := v.(type) {
	case *ssa.Call:
		common := x.Common()
		if code.FuncName(common) != "math.Inf" || len(common.Args) != 1 {
			return 0
		}
		k, ok := common.Args[0].(*ssa.Const)
		if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
			return 0
		}
		if constant.Sign(k.Value) >= 0 {
			return 1
		}
		return -1
	case *ssa.UnOp:
		if x.Op == token.SUB {
			return -infSign(x.X, depth+1)
		}
	case *ssa.Convert:
		if isFloat(x.X.Type()) {
			return infSign(x.X, depth+1)
		}
	}
	return 0
}

// isZero reports whether v is the constant zero.
func isZero(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.Value != nil && (k.Value.Kind() == constant.Float || k.Value.Kind() == constant.Int) && constant.Sign(k.Value) == 0
}

// nanVar reports whether g is an unexported package variable that every
// assignment in the package sets to NaN, and whose address goes nowhere
// else: var missing = math.NaN().
func (c *checker) nanVar(g *ssa.Global) bool {
	if !c.nanDone {
		c.nanDone = true
		c.findNaNVars()
	}
	return c.nanVars[g]
}

func (c *checker) findNaNVars() {
	funcs := c.funcs
	if c.pkg != nil {
		if init := c.pkg.Func("init"); init != nil {
			funcs = append(append([]*ssa.Function{init}, init.AnonFuncs...), funcs...)
		}
	}
	candidates := make(map[*ssa.Global]bool) // false once disqualified
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, isStore := instr.(*ssa.Store)
				for _, op := range instr.Operands(nil) {
					if op == nil {
						continue
					}
					g, ok := (*op).(*ssa.Global)
					if !ok || !isFloat(deref(g)) {
						continue
					}
					switch {
					case g.Object() == nil || g.Object().Exported():
						candidates[g] = false
					case isStore && st.Addr == g:
						if _, seen := candidates[g]; !seen {
							candidates[g] = true
						}
						if !c.isNaN(st.Val, maxDepth/2) {
							candidates[g] = false
						}
					default:
						if u, ok := instr.(*ssa.UnOp); !ok || u.Op != token.MUL {
							candidates[g] = false // its address escapes
						}
					}
				}
			}
		}
	}
	for g, ok := range candidates {
		if ok {
			c.nanVars[g] = true
		}
	}
}

// deref returns the type a package variable holds.
func deref(g *ssa.Global) types.Type {
	if p, ok := g.Type().Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return g.Type()
}
