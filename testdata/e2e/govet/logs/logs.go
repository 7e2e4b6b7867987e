// Package logs has one bug go vet's printf check finds by default and one
// it finds only when told (with -printf.funcs=Emitf) that Emitf formats.
package logs

import "fmt"

func Count(n string) {
	fmt.Printf("%d items\n", n)
}

// Emitf formats like Printf, but printf cannot tell: it does not forward to
// fmt.
func Emitf(format string, args ...any) {
	_, _ = format, args
}

func Total(n string) {
	Emitf("%d in total", n)
}
