// Package scope tells a check whether the package it is given is one the
// user asked about, or only a dependency of one, analysed for its facts.
//
// go vet runs a vet tool on every dependency of the named packages with
// VetxOnly set: nobody sees what it reports there, only the facts it
// exports reach the importers. A check that exports facts still runs on
// those units, but it can stop once its facts are exported instead of
// going on to look for findings. The driver sets FactsOnly once per
// process, before any check runs (one vet tool process checks one unit);
// every other driver leaves it false.
package scope

import "sync/atomic"

var factsOnly atomic.Bool

// SetFactsOnly records whether this process analyses a dependency only for
// its facts.
func SetFactsOnly(v bool) { factsOnly.Store(v) }

// FactsOnly reports whether findings on the current package would be
// dropped: a check should export its facts and do nothing else.
func FactsOnly() bool { return factsOnly.Load() }
