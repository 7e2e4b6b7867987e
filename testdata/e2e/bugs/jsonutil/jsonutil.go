// Package jsonutil wraps encoding/json, so that the encoder call is in
// another package than the bug.
package jsonutil

import (
	"encoding/json"
	"io"
)

// Write encodes v as JSON on w.
func Write(w io.Writer, v any) error {
	return json.NewEncoder(w).Encode(v)
}
