// Package p has one bug in its code and one in each kind of test file.
package p

import (
	"encoding/json"
	"sync"
)

func Save(m *sync.Map) ([]byte, error) {
	return json.Marshal(m)
}
