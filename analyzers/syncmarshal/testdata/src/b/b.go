package b

import (
	"io"
	"net/http"
	"sync"
	"sync/atomic"

	"wrap"
)

type Sessions struct {
	ByID sync.Map
}

var sessions Sessions

type Stats struct {
	Requests atomic.Uint64
	Name     string
}

func handle(w http.ResponseWriter, r *http.Request, out io.Writer, stats *Stats) {
	_ = wrap.WriteJSON(w, 200, &sessions) // want `json.Encoder.Encode \(via WriteJSON\) encodes field Sessions.ByID \(sync.Map\) as \{\}`
	_ = wrap.OK(w, stats)                 // want `json.Encoder.Encode \(via OK\) encodes field Stats.Requests \(atomic.Uint64\) as \{\}`
	_ = wrap.Save(out, &sessions)         // want `xml.Marshal \(via Save\) encodes field Sessions.ByID \(sync.Map\) as an empty element`
	c := &wrap.Codec{Indent: "  "}
	_, _ = c.Encode(&sessions.ByID) // want `json.MarshalIndent \(via Codec.Encode\) encodes \*sync.Map as \{\}`
	_, _ = wrap.Dump(stats)         // want `json.Marshal \(via Dump\) encodes field Stats.Requests`

	// Silent: ordinary data.
	_ = wrap.OK(w, map[string]int{"n": 1})
	_ = wrap.Save(out, stats.Name)
}
