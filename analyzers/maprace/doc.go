// Package maprace defines the maprace check of mapguard.
//
// # Analyzer maprace
//
// maprace: report plain maps written from concurrent code without a lock, which crashes with "concurrent map writes"
//
// Two goroutines that use one plain map at once, at least one of them
// writing, do not lose an entry quietly: the runtime stops the whole
// program with "fatal error: concurrent map writes" (or "concurrent map read
// and map write"), which no recover catches. The race detector finds it
// only when a test happens to run both accesses at once under -race. The
// classic case is an HTTP handler, which net/http runs on a goroutine per
// request, so that its write races with itself:
//
//	var hits = map[string]int{}
//
//	func count(w http.ResponseWriter, r *http.Request) {
//		hits[r.URL.Path]++ // two requests at once crash the server
//	}
//
// The check finds the package's concurrent contexts:
//
//   - HTTP handlers: ServeHTTP methods, and functions, function literals
//     and method values of type func(http.ResponseWriter, *http.Request)
//     passed to a call, converted to http.HandlerFunc or stored; each runs
//     once per request, so at any moment several times;
//   - the methods of a gRPC service implementation registered with a
//     generated Register...Server function, run once per call;
//   - the Run function of an analysis.Analyzer literal, which the drivers
//     (gopls, golangci-lint, multichecker) run on many packages at once;
//   - functions, literals and method values started with go, or handed to
//     time.AfterFunc, (*sync.WaitGroup).Go or errgroup's Go and TryGo;
//   - subtests that call t.Parallel, from that call on: they run together
//     with their parallel siblings once the parent test returns.
//
// It follows each context through the package's own functions it calls
// (and function literals it calls or defers), and into exported functions
// of other packages that write a package-level map of their own package
// in their body with no lock (and take no lock at all): such a call is a
// write to that map, reported at the call. It records every map access
// whose map all instances share: a package-level variable, a field of the
// receiver of a served method (reached through fields, not through map
// lookups or calls), a variable or value of the function that starts a
// goroutine or creates a handler literal (captured, or passed to the
// started function). It reports a write (m[k] = v, m[k]++, delete, clear,
// maps.Copy, maps.Insert, maps.DeleteFunc into it) when
//
//   - its context runs several times at once (a handler, a gRPC method,
//     an analyzer's Run, a go statement or a parallel t.Run that runs
//     again, in a loop, without waiting in between for the goroutines it
//     started, a goroutine started by a handler) and no mutex is held at
//     the write, or only a read lock (RLock, which other readers share); or
//   - another access to the same map runs in another context at the same
//     time (two handlers; a handler and a goroutine; two goroutines started
//     by one function, one after the other without waiting; two parallel
//     subtests of one test; a goroutine and the code that started it, after
//     the go statement) and no one mutex is held at both, exclusively by at
//     least one of them.
//
// Locks are the calls of Lock, RLock, TryLock (and lock, rlock helpers)
// taken on a path to the access and not released on any path from there
// to it, in the function or in its callers on the way from the context (a
// deferred Unlock keeps the lock to the end). A lock taken on some paths
// only counts: code such as "if !locked { mu.Lock() }" runs under its
// caller's lock on the other paths. Two locks are the same mutex when they
// are the same package-level variable, or the same field of the same
// shared value; a lock the check cannot name (a local mutex, a sync.Locker)
// is taken to guard everything, and so are a channel send that comes first
// on every path (a channel of capacity one used as a lock) and a
// sync/atomic CompareAndSwap on the way (it lets one goroutine through).
// The function that starts a goroutine may itself run under a lock its
// callers took, which the check does not see: its accesses count as
// guarded when the goroutine's access holds any lock.
//
// It stays silent when:
//
//   - every access holds the same mutex;
//   - the map is made by the context itself (created in the handler or the
//     goroutine, reached from the request), or anew for each goroutine
//     started in a loop;
//   - the map is written only before the goroutines start (in init, in main
//     before serving, in a constructor), and read after: writes outside
//     concurrent contexts are not considered;
//   - the starter waits before its own access: a channel receive or send,
//     a select, any Wait (WaitGroup, errgroup, Cond), time.Sleep, or a call
//     to a function of the package or of another module, which may wait,
//     lies on every path from the go statement to the access;
//   - the map is read only, is a sync.Map, or hangs from an atomic pointer
//     (copy-on-write): none is a write to a plain map;
//   - a write runs inside sync.Once.Do or any function literal handed to a
//     function the check does not follow;
//   - handler values made or registered in _test.go files (tests send
//     their requests one at a time), handler literals made inside a handler
//     (made for one request), and a test's goroutines against the
//     package's handlers (the test need not serve them);
//   - a parallel subtest's accesses before its t.Parallel call, and the
//     parent test's accesses (parallel subtests wait for it to return).
//
// Not followed: other calls into other packages (methods, helpers that
// write through a callee or a literal, or lock anything), interface calls
// and calls of function values (the options pattern, func(*Config),
// writing a map the config shares with a package-level one); locks held
// by callers outside the walk from a context; maps reached through slices,
// arrays, map values or the results of calls made inside a context; a
// field of a served method's receiver against the same field reached from
// a goroutine's starter; the starter's callees after the go statement; an
// Analyzer whose Run is a function literal.
// Each of these leaves the check silent rather than guessing.
//
// The message names the write and the access it races with (as related
// information), the context of each, and the fix: guard every access with
// one sync.Mutex (or RWMutex, writes under Lock), use sync.Map, or confine
// the map to one goroutine and send it requests over a channel. Which one
// fits is a design decision, so no fix is suggested.
package maprace
