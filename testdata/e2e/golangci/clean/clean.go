package clean

import (
	"encoding/json"
	"sync"
)

type Sessions struct {
	byID sync.Map
}

func (s *Sessions) Save() ([]byte, error) {
	snapshot := make(map[string]string)
	s.byID.Range(func(k, v any) bool {
		snapshot[k.(string)] = v.(string)
		return true
	})
	return json.Marshal(snapshot)
}
