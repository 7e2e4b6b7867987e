// Command mapguard finds the ways Go programs silently lose data held in
// maps, sync.Map, container/list and atomic values.
//
// One binary serves every route: run it on packages (mapguard ./...), hand
// it to go vet (go vet -vettool=$(which mapguard) ./...), or ask it about a
// check (mapguard explain syncmarshal), or run it as a language server
// beside gopls (mapguard lsp). mapguard -help lists the checks, flags and
// exit codes.
package main

import (
	"os"

	"github.com/mapguard/mapguard/internal/run/driver"
	"github.com/mapguard/mapguard/internal/run/lsp"
)

func main() {
	args := os.Args[1:]
	switch {
	case len(args) > 0 && args[0] == "help":
		driver.Usage(os.Stdout)
	case len(args) > 0 && args[0] == "explain":
		if len(args) != 2 {
			os.Stderr.WriteString("usage: mapguard explain CHECK\n")
			os.Exit(driver.ExitUsage)
		}
		os.Exit(driver.Explain(args[1], os.Stdout, os.Stderr))
	case len(args) > 0 && args[0] == "lsp":
		os.Exit(lsp.Main(args[1:]))
	case driver.IsVetInvocation(args):
		vetMain(args)
	default:
		os.Exit(driver.Main(args, os.Stdout, os.Stderr))
	}
}
