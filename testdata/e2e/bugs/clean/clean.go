package clean

import (
	"encoding/json"
	"sync"
)

type Store struct {
	items sync.Map
}

func (s *Store) Save() ([]byte, error) {
	snapshot := make(map[string]string)
	s.items.Range(func(k, v any) bool {
		snapshot[k.(string)] = v.(string)
		return true
	})
	return json.Marshal(snapshot)
}
