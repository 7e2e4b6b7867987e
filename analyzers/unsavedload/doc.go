// Package unsavedload defines the unsavedload check of mapguard.
//
// # Analyzer unsavedload
//
// unsavedload: report a package-level sync.Map loaded from storage at start-up, changed at run time, and never written back
//
// A sync.Map lives in memory only. A service that fills one from a file or a
// database when it starts, lets its handlers change it, and never writes it
// back loses every change on restart, without an error:
//
//	var cache sync.Map
//
//	func init() {
//		data, err := os.ReadFile("cache.json")
//		if err != nil {
//			return
//		}
//		var saved map[string]int
//		if json.Unmarshal(data, &saved) == nil {
//			for k, v := range saved {
//				cache.Store(k, v) // reported here
//			}
//		}
//	}
//
//	func handlePut(w http.ResponseWriter, r *http.Request) {
//		cache.Store(r.FormValue("key"), 1) // a change made at run time
//	}
//
//	func saveCache() { ... } // writes cache.json, but nothing calls it
//
// The check judges each sync.Map that only its package can name: a
// package-level variable (unexported, or any variable of package main), or a
// field reached from one through struct fields and pointers (var store =
// &Store{} with a field items sync.Map). It reports the map when all of
// these hold:
//
//   - It is loaded from storage during start-up: in init, in main, in a
//     function they call, or in a sync.Once (then "on first use"). Loaded
//     means that the key stored, and the value unless it is a constant,
//     come from data read from storage: os.ReadFile, io.ReadAll of an opened
//     file, the lines of a bufio.Scanner or bufio.Reader, the rows of a
//     database/sql query, or what encoding/json, encoding/gob, encoding/xml,
//     encoding/csv (and gopkg.in/yaml, BurntSushi/toml) decode from them,
//     followed through local variables, ranges over maps and slices, struct
//     fields, conversions, the strings, strconv and bytes functions, and
//     helpers of the package or of other packages.
//   - It is changed at run time: Store, LoadOrStore, Swap, CompareAndSwap,
//     Delete, LoadAndDelete, CompareAndDelete or Clear, called in an HTTP
//     handler (registered by the package, a ServeHTTP method, or an exported
//     function or method of a library with the handler signature
//     func(http.ResponseWriter, *http.Request), whoever registers it), a
//     goroutine, an exported function of a library, or an
//     exported method of a type the package hands out as an interface (in a
//     program, only a method taking a context.Context first, as RPC
//     services do: a flag.Value's Set runs at start-up), or in what they
//     call. Storing data read from storage
//     again is not a change (a cache of files being filled), and neither is
//     anything a loading function does (clearing the map to reload it).
//   - No save of it can run after the changes. A save is a function that
//     reads the map (Range, Load) or changes it, and writes to storage
//     (os.WriteFile, os.Create, os.OpenFile, writing an *os.File other than
//     os.Stdout and os.Stderr, SQL Exec, or a helper that does), or calls a
//     method of an interface whose name says it persists (Save, Put,
//     Exec, Commit...). It counts when it runs from a goroutine (a signal
//     handler, a ticker), an HTTP handler (including write-through: the
//     handler that changes the map saves it), a call deferred in a main
//     that returns, main after it started serving, a shutdown hook or any
//     other place a function value is handed to, an exported function of a
//     library (its callers may save), or a method of a type converted to an
//     interface. A save that runs only in init, or in main before it starts
//     serving, is no save: nothing has changed yet.
//
// The finding points at the load. Its related information points at up to
// three run-time changes and says why the save that exists does not count:
// "saveCache is defined but never called", "saveCache runs only here,
// during start-up", or "saveCache is deferred here, but main never returns:
// os.Exit and log.Fatal skip deferred calls".
//
// When no save of the map exists at all, only changes that requests make
// (HTTP handlers, RPC methods) are reported: a map that a library's users
// extend through its API (like mime.AddExtensionType), or that the program
// refreshes by itself (a janitor, peer discovery), is more likely reference
// data meant to live in memory. The exception is a library's own state
// file: a map decoded with encoding/json or encoding/gob from a file whose
// name the package keeps in a package-level constant or variable
// (const membersFile = "members.gob"), and changed by its exported
// functions (Enroll, Retire), is reported too.
//
// It stays silent for maps seeded from constants, maps only read after
// loading, maps loaded from the network or from files of the system (/etc,
// /usr, /proc...), caches of files keyed by file name (the files stay the
// truth), maps loaded only at run time, maps whose changes are also sent on
// a channel while a goroutine writes to storage (write-behind), and, in
// doubt, whenever the map or a value holding it escapes where the check
// cannot follow it: returned, stored elsewhere, handed to code of another
// package that the check has not analysed, converted to an interface, or
// replaced by a new map while running.
//
// To fix it, save the map where changes stop: on a signal before exiting,
// on a ticker, in the handler that changes it, or in a shutdown hook. For
// example:
//
//	stop := make(chan os.Signal, 1)
//	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
//	<-stop
//	if err := saveCache(); err != nil {
//		log.Printf("saving the cache: %v", err)
//	}
//
// A call deferred in main does not run when main ends in log.Fatal or
// os.Exit.
//
// What the check cannot see: calls through interfaces and function values
// it cannot resolve (a save behind an interface whose method is not named
// like a save, a save queued in a slice of callbacks of another package),
// reflection, unsafe and cgo, storage other than files and database/sql
// (Redis, bbolt, cloud stores: their clients are only recognised by the
// names of their methods), saves done by another program or another binary
// of the module, and goroutines that serve raw connections (their changes
// count only when a save exists that never runs). Range-over-func
// iterators, functions called through variables (a recursive closure),
// method values of sync.Map (f := cache.Store), and maps held in slices,
// arrays or maps of maps are not followed. A library's state file is
// recognised only by a file name spelled as a string literal in a
// package-level declaration and by the JSON or gob decoding in the loading
// function or what it calls; a state file named at run time (a path given
// to an Open function), or kept in another format, is taken for reference
// data when only exported functions change it.
package unsavedload
