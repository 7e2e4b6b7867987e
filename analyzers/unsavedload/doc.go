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
//		cache.Store(r.FormValue("k"), 1) // changed at run time
//	}
//
//	func saveCache() { ... } // defined, but never called
package unsavedload
