// Package unboundedmap defines the unboundedmap check of mapguard.
//
// # Analyzer unboundedmap
//
// unboundedmap: report package-level maps that gain an entry for every distinct request or network input and never lose one
//
// The check runs by default (-unboundedmap=false turns it off): on std, on
// the 230 modules of docs/evaluation.md and on thirteen servers and
// frameworks (nats-server, caddy, syncthing, alertmanager, gin, echo, ...)
// it reports nothing that is not a bug.
//
// A package-level map or sync.Map used as a cache, a set of seen clients or
// a table of counters keeps every key it is given. When the keys come from
// outside the program, a long-running server keeps one entry per distinct
// path, session, client address or line ever received: memory grows until
// the process is killed, and anyone who can send requests decides how fast.
//
//	var hits = map[string]int{}
//
//	func countHits(w http.ResponseWriter, r *http.Request) {
//		mu.Lock()
//		hits[r.URL.Path]++ // one entry per distinct path, forever
//		mu.Unlock()
//	}
//
// The check reports an unexported package-level map, *sync.Map or
// sync.Map when all of these hold:
//
//   - an entry is added (m[k] = v, m[k]++, Store, LoadOrStore, Swap)
//     outside the package's initialization;
//   - the key's data comes from outside the program: an *http.Request (its
//     URL, headers, form values, cookies, remote address, body), lines or
//     addresses read from a network connection (bufio and textproto
//     readers over a net.Conn, RemoteAddr, ReadFrom), or, in a package
//     that serves the network (it imports net/http or net and is not a
//     command), a parameter of an exported function that returns the value
//     it stored for that key (a memo: get or compute). It follows
//     the key through local variables, closures, calls within the package,
//     string and number conversions, composite keys, fmt.Sprintf and the
//     functions of strings, bytes, strconv, path, net/url and the like;
//   - the key's type can take more than a small closed set of values:
//     strings, integers of 32 bits or more, floats, and structs and arrays
//     of them;
//   - nothing in the package deletes from it, clears it, assigns the
//     variable anew (outside initialization), takes its length (a size cap
//     may guard the inserts), or lets the map escape (passes it to a
//     function, stores it elsewhere), where that might happen.
//
// It stays silent for maps filled only at initialization or with constant
// keys, for exported variables (another package may evict), for keys of
// type bool, int8, uint8, int16 or uint16, of a named type with declared
// constants (an enum), or holding a pointer, an interface, a channel or a
// function (bounded by the program's own objects and types, as in a cache
// keyed by reflect.Type), for keys the program derives itself from the
// input (a value looked up with it, a length, a value modulo a constant, a
// result of a function it cannot follow), for lines read from files and
// standard input, for registries (an exported function that records its
// argument, Register or Publish, without handing back the stored value),
// and for the memos and intern tables of packages that do not serve the
// network, which grow by design with what their program passes.
//
// To fix it, bound the map: delete entries when they expire (a janitor
// goroutine, or a check on read), cap its size and evict (an LRU), or key
// it by a bounded set (a route name instead of the raw path).
//
// # Limits
//
// Maps held in struct fields (s.cache[k] = v) are not followed: whether
// the struct lives as long as the program is not known. Keys from sources
// it does not know (a gRPC request, a message queue, a decoded JSON body)
// are not recognized. In a package that serves the network, a memo keyed
// by an exported function's argument is reported even when its callers
// pass a fixed set of keys: silence such a finding with a reason.
package unboundedmap
