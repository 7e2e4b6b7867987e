// Package syncmarshal defines the syncmarshal check of mapguard.
//
// # Analyzer syncmarshal
//
// syncmarshal: report values that encoding/json or encoding/xml encode as {} because their data is unexported
//
// A sync.Map, a container/list.List and the sync/atomic value types
// (atomic.Int64, atomic.Value, atomic.Pointer[T], ...) keep their data in
// unexported fields. encoding/json encodes them as {} and encoding/xml as an
// empty element, with no error. A container/ring.Ring encodes only the Value of
// the element it points to. A program that saves its cache this way writes an
// empty file and loses every entry on the next start:
//
//	var cache sync.Map
//
//	func save() error {
//		data, err := json.Marshal(&cache) // always {}
//		if err != nil {
//			return err
//		}
//		return os.WriteFile("cache.json", data, 0o644)
//	}
//
// The check follows the value handed to json.Marshal, json.MarshalIndent,
// (*json.Encoder).Encode, xml.Marshal, xml.MarshalIndent,
// (*xml.Encoder).Encode and (*xml.Encoder).EncodeElement, and reports when
// what gets encoded holds such a type: directly or through pointers, as an
// element of a slice, array or map, as an exported or embedded field at any
// depth, after conversion to an interface (through local variables and
// composite literals such as map[string]any{"cache": &cache}), and through
// wrapper functions in the same or another package (a function such as
// writeJSON(w http.ResponseWriter, v any) that hands its parameter to an
// encoder, including wrappers of wrappers and generic ones).
//
// It stays silent when the path to the container passes a field tagged
// `json:"-"` or `xml:"-"`, an unexported field (encoding/json skips those:
// that is the author's choice), or a type with its own MarshalJSON,
// MarshalText or MarshalXML method that the encoder would call; and when the
// data was first copied into an ordinary map or slice. Values whose dynamic
// type it cannot see (an interface from a call or a field) are not reported.
//
// To fix it, snapshot the entries into an ordinary map before encoding:
//
//	snapshot := make(map[string]Entry)
//	cache.Range(func(k, v any) bool {
//		snapshot[k.(string)] = v.(Entry)
//		return true
//	})
//	data, err := json.Marshal(snapshot)
//
// or give the type that holds the container MarshalJSON and UnmarshalJSON
// methods that do this snapshot and its reverse. For an atomic value, encode
// its Load() result.
package syncmarshal
