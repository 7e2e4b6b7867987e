// Package guard keeps one check's panic on one package from taking down a
// whole run: the panic becomes an error that names the check and the package,
// and the driver goes on with every other check and package.
package guard

import (
	"fmt"
	"os"
	"runtime/debug"

	"golang.org/x/tools/go/analysis"
)

// PanicError is the error a guarded check returns when it panicked.
type PanicError struct {
	Check, Package string
	Value          any
	Stack          []byte
}

func (e *PanicError) Error() string {
	msg := fmt.Sprintf("internal error: check %s panicked on package %s: %v", e.Check, e.Package, e.Value)
	if os.Getenv("MAPGUARD_DEBUG") != "" {
		msg += "\n" + string(e.Stack)
	} else {
		msg += " (set MAPGUARD_DEBUG=1 for the stack; please report it)"
	}
	return msg
}

// Run wraps an analyzer's run function so that a panic is returned as a
// *PanicError instead of crashing the process.
func Run(run func(*analysis.Pass) (any, error)) func(*analysis.Pass) (any, error) {
	return func(pass *analysis.Pass) (result any, err error) {
		defer func() {
			if r := recover(); r != nil {
				result, err = nil, Recovered(pass.Analyzer.Name, pass.Pkg.Path(), r)
			}
		}()
		return run(pass)
	}
}

// Recovered is the error for the panic value r of check on package pkg. Call
// it from the deferred function that recovered, so that the stack it keeps
// is the panic's. Drivers that run checks themselves (incremental) use it
// so that a panic reads the same from every route.
func Recovered(check, pkg string, r any) *PanicError {
	return &PanicError{Check: check, Package: pkg, Value: r, Stack: debug.Stack()}
}
