package store

import (
	"encoding/json"
	"io"
	"sync"

	"example.com/golangci/jsonutil"
)

type Sessions struct {
	ByID sync.Map
}

func (s *Sessions) Save() ([]byte, error) {
	return json.Marshal(s)
}

func (s *Sessions) Dump(w io.Writer) error {
	return jsonutil.Write(w, &s.ByID)
}

func (s *Sessions) Status() ([]byte, error) {
	//mapguard:ignore syncmarshal the status page shows the empty object on purpose
	return json.Marshal(s)
}
