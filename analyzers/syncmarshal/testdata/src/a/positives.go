package a

import (
	"container/list"
	"container/ring"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"sync"
	"sync/atomic"
)

var cache sync.Map

func saveDirect() ([]byte, error) {
	return json.Marshal(&cache) // want `json.Marshal encodes \*sync.Map as \{\}: its entries are not serialized`
}

func saveParam(m *sync.Map) ([]byte, error) {
	return json.MarshalIndent(m, "", "  ") // want `json.MarshalIndent encodes \*sync.Map as \{\}: its entries are not serialized`
}

type Store struct {
	Name  string
	Items sync.Map
}

func saveStore(w io.Writer, s *Store) error {
	return json.NewEncoder(w).Encode(s) // want `json.Encoder.Encode encodes field Store.Items \(sync.Map\) as \{\}: its entries are not serialized`
}

func saveStoreXML(s *Store) ([]byte, error) {
	return xml.Marshal(s) // want `xml.Marshal encodes field Store.Items \(sync.Map\) as an empty element: its entries are not serialized`
}

func saveStoreXMLEncoder(w io.Writer, s *Store) error {
	enc := xml.NewEncoder(w)
	if err := enc.EncodeElement(s, xml.StartElement{Name: xml.Name{Local: "store"}}); err != nil { // want `xml.Encoder.EncodeElement encodes field Store.Items`
		return err
	}
	return enc.Encode(s) // want `xml.Encoder.Encode encodes field Store.Items`
}

type Queue struct {
	Pending list.List
	Count   atomic.Int64
}

func saveQueue(q *Queue) ([]byte, error) {
	return json.Marshal(q) // want `json.Marshal encodes field Queue.Pending \(list.List\) as \{\}: its elements are not serialized`
}

type Counter struct {
	Hits atomic.Int64
}

func saveCounter(c *Counter) ([]byte, error) {
	return json.Marshal(c) // want `json.Marshal encodes field Counter.Hits \(atomic.Int64\) as \{\}: its value is not serialized`
}

type Config struct{ Name string }

type Live struct {
	Current atomic.Pointer[Config]
	Any     atomic.Value
}

func saveLive(l *Live) ([]byte, error) {
	return json.Marshal(l) // want `json.Marshal encodes field Live.Current \(atomic.Pointer\[Config\]\) as \{\}: its value is not serialized`
}

type Recent struct {
	Ring *ring.Ring
}

func saveRecent(r Recent) ([]byte, error) {
	return json.Marshal(r) // want `json.Marshal encodes field Recent.Ring \(ring.Ring\) with only the Value of the element it points to: the rest of the ring is not serialized`
}

// Containers as elements of slices, arrays and map values.

func saveShards(shards []*sync.Map) ([]byte, error) {
	return json.Marshal(shards) // want `json.Marshal encodes each element of \[\]\*sync.Map as \{\}`
}

func saveQueues(qs [2]list.List) ([]byte, error) {
	return json.Marshal(&qs) // want `json.Marshal encodes each element of \*\[2\]list.List as \{\}: its elements are not serialized`
}

func saveByName(m map[string]*sync.Map) ([]byte, error) {
	return json.Marshal(m) // want `json.Marshal encodes each value of map\[string\]\*sync.Map as \{\}`
}

func saveStores(stores []Store) ([]byte, error) {
	return json.Marshal(stores) // want `json.Marshal encodes field Store.Items \(sync.Map\) as \{\}`
}

// Nested and embedded fields.

type Inner struct {
	Cache sync.Map
}

type Outer struct {
	Name  string
	Inner Inner
	Ptr   *Inner
}

func saveOuter(o *Outer) ([]byte, error) {
	return json.Marshal(o) // want `json.Marshal encodes field Outer.Inner.Cache \(sync.Map\) as \{\}`
}

type Registry struct {
	Shards map[string][]*Inner
}

func saveRegistry(r *Registry) ([]byte, error) {
	return json.Marshal(r) // want `json.Marshal encodes field Registry.Shards\[k\]\[\].Cache \(sync.Map\) as \{\}`
}

type EmbedsMap struct {
	sync.Map
}

func saveEmbedsMap(e *EmbedsMap) ([]byte, error) {
	return json.Marshal(e) // want `json.Marshal encodes field EmbedsMap.Map \(sync.Map\) as \{\}`
}

type hidden struct {
	Entries sync.Map
}

type EmbedsHidden struct {
	hidden
	ID int
}

func saveEmbedsHidden(e *EmbedsHidden) ([]byte, error) {
	return json.Marshal(e) // want `json.Marshal encodes field EmbedsHidden.hidden.Entries \(sync.Map\) as \{\}`
}

type DashKey struct {
	Data sync.Map `json:"-,"` // the key "-", still encoded
}

func saveDashKey(d *DashKey) ([]byte, error) {
	return json.Marshal(d) // want `json.Marshal encodes field DashKey.Data \(sync.Map\) as \{\}`
}

// A pointer-receiver MarshalJSON is not called on a value that is not
// addressable, such as the top-level value passed by value.

type PtrMarshaler struct {
	M sync.Map
}

func (p *PtrMarshaler) MarshalJSON() ([]byte, error) { return []byte(`{}`), nil }

func savePtrMarshalerByValue(p *PtrMarshaler) ([]byte, error) {
	return json.Marshal(*p) // want `json.Marshal encodes field PtrMarshaler.M \(sync.Map\) as \{\}`
}

type HoldsPtrMarshalers struct {
	ByName map[string]PtrMarshaler
}

func saveHolds(h *HoldsPtrMarshalers) ([]byte, error) {
	return json.Marshal(h) // want `json.Marshal encodes field HoldsPtrMarshalers.ByName\[k\].M \(sync.Map\) as \{\}`
}

// Values converted to interfaces before the call.

func saveViaAny() ([]byte, error) {
	var v any = &cache
	return json.Marshal(v) // want `json.Marshal encodes \*sync.Map as \{\}`
}

func saveViaPhi(useCache bool, snapshot map[string]int) ([]byte, error) {
	var v any = snapshot
	if useCache {
		v = &cache
	}
	return json.Marshal(v) // want `json.Marshal encodes \*sync.Map as \{\}`
}

func saveMapLiteral(w io.Writer) error {
	return json.NewEncoder(w).Encode(map[string]any{ // want `json.Encoder.Encode encodes each value of map\[string\]any as \{\}`
		"version": 1,
		"cache":   &cache,
	})
}

type Response struct {
	Status string
	Data   any
}

func saveResponse(w io.Writer) error {
	return json.NewEncoder(w).Encode(Response{Status: "ok", Data: &cache}) // want `json.Encoder.Encode encodes field Response.Data \(sync.Map\) as \{\}`
}

func saveResponsePtr() ([]byte, error) {
	resp := &Response{Status: "ok"}
	resp.Data = &cache
	return json.Marshal(resp) // want `json.Marshal encodes field Response.Data \(sync.Map\) as \{\}`
}

func saveSliceLiteral() ([]byte, error) {
	return json.Marshal([]any{"header", &cache}) // want `json.Marshal encodes each element of \[\]any as \{\}`
}

// Wrappers in the same package, including wrappers of wrappers, methods,
// closures and generic functions.

func writeJSON(w io.Writer, v any) error {
	return json.NewEncoder(w).Encode(v)
}

func writeFile(path string, v any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return writeJSON(f, v)
}

type Server struct{ out io.Writer }

func (s *Server) reply(v any) error { return writeJSON(s.out, v) }

func saveGeneric[T any](v T) ([]byte, error) { return json.Marshal(v) }

func saveAllGeneric[T any](vs []T) ([]byte, error) { return json.Marshal(vs) }

func useWrappers(w io.Writer, s *Server, st *Store) {
	_ = writeJSON(w, &cache)            // want `json.Encoder.Encode \(via writeJSON\) encodes \*sync.Map as \{\}`
	_ = writeFile("cache.json", st)     // want `json.Encoder.Encode \(via writeFile\) encodes field Store.Items \(sync.Map\) as \{\}`
	_ = s.reply(&cache)                 // want `json.Encoder.Encode \(via Server.reply\) encodes \*sync.Map as \{\}`
	_, _ = saveGeneric(&cache)          // want `json.Marshal \(via saveGeneric\) encodes \*sync.Map as \{\}`
	_, _ = saveAllGeneric([]*Store{st}) // want `json.Marshal \(via saveAllGeneric\) encodes field Store.Items \(sync.Map\) as \{\}`

	enc := func(v any) { _ = json.NewEncoder(w).Encode(v) }
	enc(&cache) // want `json.Encoder.Encode \(via useWrappers\$1\) encodes \*sync.Map as \{\}`
}

func deferred(w io.Writer) {
	defer json.NewEncoder(w).Encode(&cache) // want `json.Encoder.Encode encodes \*sync.Map as \{\}`
}
