// Package ext is another module, replaced by a directory: checked as a
// dependency of ../app, it is checked for its facts alone.
package ext

import (
	"encoding/json"
	"sync"
)

// Registry holds the registered names.
type Registry struct{ Names sync.Map }

// Dump returns the registry as JSON.
func Dump(r *Registry) ([]byte, error) { return json.Marshal(r) }
