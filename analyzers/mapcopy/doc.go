// Package mapcopy defines the mapcopy check of mapguard.
//
// # Analyzer mapcopy
//
// mapcopy: report maps held in struct fields that are assigned or written through a copy of the struct
//
// A struct is copied whenever it is a value receiver, a by-value parameter,
// a range value, a value read from a map (v := m[k]) or from a sync.Map
// (v.(T) after Load), or a value loaded through a pointer (v := *p). A map
// field of the copy is a second reference to the same map, and two bugs
// follow.
//
// The assignment is lost. Assigning the map field of the copy (a new map,
// nil, a filtered map, or the lazy initialisation of a nil map) changes only
// the copy; the original keeps its old map, or stays nil and panics on its
// first write:
//
//	func (c Counter) Add(k string) {
//		if c.counts == nil {
//			c.counts = make(map[string]int) // c is a copy: the caller's counts stays nil
//		}
//		c.counts[k]++
//	}
//
// A value receiver that swaps out its map (old := s.m; s.m = make(...);
// return old) hands out the map the caller goes on writing into.
//
// The mutation leaks. A method that looks like it returns a modified copy
// writes into the map the copy shares with the original, so the caller's
// value changes too:
//
//	func (c Config) WithTag(k, v string) Config {
//		c.Tags[k] = v // also adds the tag to the caller's Config
//		return c
//	}
//
// The check follows the copy through go/ssa (any depth of value-typed
// nesting: s.cfg.Tags). It reports an assignment to a map-typed field when,
// after it, neither the copy nor the new map reaches anything that outlives
// the function: the copy is not returned, stored, sent, appended, passed to
// a call (its address included, as in a pointer-method call), captured by a
// closure that may run afterwards (one that only reads the copy while a call
// runs is a read during that call) or written back (m[k] = v, m.Store(k, v)), and the new map is not
// read there (a copy used as a local scratch value is fine). Filling the
// new map does not count as a use: that data is lost too. It reports a
// write into a map field (m[k] = v, delete, clear, maps.Copy) of a value
// receiver or by-value parameter when the function then returns the copy
// and, on some path, the field was not first replaced (by maps.Clone, make,
// a literal or any other assignment).
//
// It stays silent for pointer receivers and pointer parameters, writes
// through an index (items[i].Tags = ...), copies that are returned, stored,
// passed on or written back, maps replaced before the write, read-only
// access, writes into a map field on a value receiver that never assigns
// it (r.byName[k] = h: a registry that all copies share on purpose), nil
// assigned to a map field after reading it (dropping a reference once done
// with it), and copies whose address, or the address of any part of them,
// is passed on.
//
// Fixes: for a value receiver, a suggested fix changes it to a pointer
// receiver when that cannot break the build or change other code: the
// method uses the receiver only through its fields; no other package can
// call it (package main, or the method or its type is unexported) and the
// type is not embedded; and in the package no value of the type is
// converted to an interface with that method, used as a type argument,
// used in a method expression, or the receiver of a call to it that is not
// addressable (m[k].M(), f().M()). For a range value over a slice or array,
// used only through its fields and methods, a fix writes through the index
// (servers[i].Tags = nil). For a write into a map the returned copy shares,
// a fix clones the map at the start of the function (c.Tags =
// maps.Clone(c.Tags)) and imports maps, when the file's Go version is 1.21
// or later and the name maps is free. Otherwise take a pointer or write the
// copy back.
//
// Limitations: the analysis is within one function; a copy made in one
// function and modified by another through a pointer is not followed.
// Variables assigned more than once (var v T; ...; v = m[k]) are not
// followed, nor copies of copies (w := v). Pointer methods of other
// packages are assumed not to keep their receiver.
package mapcopy
