package a

import (
	"container/list"
	"encoding/json"
	"encoding/xml"
	"io"
	"sync"
	"time"
)

// Tagged out of the encoding.

type Skipped struct {
	Name  string
	Items sync.Map `json:"-" xml:"-"`
}

func saveSkipped(s *Skipped) {
	_, _ = json.Marshal(s)
	_, _ = xml.Marshal(s)
}

// Unexported fields are skipped by the encoders: that is the author's choice.

type Private struct {
	Name  string
	items sync.Map
	mu    sync.Mutex
	order list.List
}

func savePrivate(p *Private) ([]byte, error) { return json.Marshal(p) }

// Types that marshal themselves.

type Snapshotting struct {
	items sync.Map
	Items sync.Map
}

func (s *Snapshotting) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	s.Items.Range(func(k, v any) bool { m[k.(string)] = v; return true })
	return json.Marshal(m)
}

func saveSnapshotting(s *Snapshotting) ([]byte, error) { return json.Marshal(s) }

func saveSnapshottingInSlice(s []Snapshotting) ([]byte, error) {
	return json.Marshal(s) // slice elements are addressable: the pointer method is called
}

type ValueMarshaler struct{ M sync.Map }

func (ValueMarshaler) MarshalJSON() ([]byte, error) { return []byte(`{}`), nil }

type HoldsValueMarshaler struct{ V *ValueMarshaler }

func saveValueMarshaler(h HoldsValueMarshaler) ([]byte, error) { return json.Marshal(h) }

type TextMarshaler struct{ M sync.Map }

func (*TextMarshaler) MarshalText() ([]byte, error) { return nil, nil }

func saveTextMarshaler(t *TextMarshaler) ([]byte, error) { return json.Marshal(t) }

type XMLMarshaler struct{ M sync.Map }

func (*XMLMarshaler) MarshalXML(e *xml.Encoder, start xml.StartElement) error { return nil }

func saveXMLMarshaler(x *XMLMarshaler) ([]byte, error) { return xml.Marshal(x) }

type PtrMarshalerNeg struct{ M sync.Map }

func (p *PtrMarshalerNeg) MarshalJSON() ([]byte, error) { return []byte(`{}`), nil }

func savePtrMarshalerByPointer(p *PtrMarshalerNeg) ([]byte, error) { return json.Marshal(p) }

// The data copied into an ordinary map first.

func saveSnapshot(m *sync.Map) ([]byte, error) {
	snapshot := make(map[string]any)
	m.Range(func(k, v any) bool {
		snapshot[k.(string)] = v
		return true
	})
	return json.Marshal(snapshot)
}

func saveList(l *list.List) ([]byte, error) {
	var items []any
	for e := l.Front(); e != nil; e = e.Next() {
		items = append(items, e.Value)
	}
	return json.Marshal(items)
}

// Values whose dynamic type is not visible here.

func lookup() any { return nil }

func saveUnknown(w io.Writer) error { return json.NewEncoder(w).Encode(lookup()) }

func saveField(r *Response) ([]byte, error) { return json.Marshal(r) }

// Stored only after the encoding.

func storedAfter() ([]byte, error) {
	r := Response{Status: "ok"}
	data, err := json.Marshal(r)
	r.Data = &cache
	_ = r
	return data, err
}

// Look-alike types that encode their data.

type Node struct {
	Elem *list.Element // Element's Value is exported and encoded
	Lock sync.Mutex    // holds no data
	At   time.Time
}

func saveNode(n *Node) ([]byte, error) { return json.Marshal(n) }

// Decoding is not encoding.

func loadStore(data []byte, s *Store) error { return json.Unmarshal(data, s) }

// encoding/xml cannot encode maps: it returns an error instead of dropping data.

func saveMapXML(m map[string]*sync.Map) ([]byte, error) { return xml.Marshal(m) }

// A function that takes an any but does not encode it is not a wrapper.

func logValue(w io.Writer, v any) { _, _ = io.WriteString(w, "value") }

func useLogValue(w io.Writer) { logValue(w, &cache) }

// A loaded value of an ordinary type.

func saveLoaded(m *sync.Map) ([]byte, error) {
	v, _ := m.Load("k")
	return json.Marshal(v)
}
