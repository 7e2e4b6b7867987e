// Package jsonutil wraps encoding/json in another package than the bug, so
// that finding it needs mapguard's facts to cross packages.
package jsonutil

import (
	"encoding/json"
	"io"
)

// Write encodes v as JSON on w.
func Write(w io.Writer, v any) error {
	return json.NewEncoder(w).Encode(v)
}
