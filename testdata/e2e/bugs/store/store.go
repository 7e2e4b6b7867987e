package store

import (
	"encoding/json"
	"io"
	"sync"

	"example.com/bugs/jsonutil"
)

type Store struct {
	Items sync.Map
}

func (s *Store) Save() ([]byte, error) {
	return json.Marshal(s)
}

func (s *Store) Dump(w io.Writer) error {
	return jsonutil.Write(w, &s.Items)
}

func (s *Store) Reviewed() ([]byte, error) {
	//mapguard:ignore syncmarshal the empty object is what the status page wants
	return json.Marshal(s)
}
