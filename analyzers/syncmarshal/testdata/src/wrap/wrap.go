package wrap // want package:"hasEncoders"

// Package wrap holds encoder wrappers used from package b.

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
)

// WriteJSON is the usual HTTP helper.
func WriteJSON(w http.ResponseWriter, status int, v any) error { // want WriteJSON:`encodes\(2→json.Encoder.Encode\)`
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// OK wraps WriteJSON: a wrapper of a wrapper.
func OK(w http.ResponseWriter, v any) error { // want OK:`encodes\(1→json.Encoder.Encode\)`
	return WriteJSON(w, http.StatusOK, v)
}

// Save is generic.
func Save[T any](w io.Writer, v T) error { // want Save:`encodes\(1→xml.Marshal\)`
	data, err := xml.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// Codec has a wrapper method.
type Codec struct{ Indent string }

// Encode is a method wrapper.
func (c *Codec) Encode(v any) ([]byte, error) { // want Encode:`encodes\(1→json.MarshalIndent\)`
	return json.MarshalIndent(v, "", c.Indent)
}

// helper is unexported: it gets no fact.
func helper(v any) ([]byte, error) { return json.Marshal(v) }

// Dump uses helper.
func Dump(v any) ([]byte, error) { return helper(v) } // want Dump:`encodes\(0→json.Marshal\)`
