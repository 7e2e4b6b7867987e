package lsp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// stream frames JSON-RPC messages the LSP way ("Content-Length: N\r\n\r\n"
// then N bytes of JSON) for github.com/sourcegraph/jsonrpc2.
//
// That library ends the connection on a message it cannot decode. An editor
// server must not die of one bad message, so stream checks each message
// first: what is not JSON gets a Parse error response, what is JSON but not
// a JSON-RPC 2.0 request, notification or response gets an Invalid Request
// response (with the message's id when it has a usable one), and reading
// goes on with the next message. Only the end of input or a broken pipe
// ends the connection.
type stream struct {
	r      *bufio.Reader
	closer io.Closer
	start  chan struct{} // closed when the handler may receive messages

	mu sync.Mutex // serializes writes
	w  io.Writer
}

// maxMessage bounds the size of one message (a whole Go file, or a large
// batch of edits, is far smaller).
const maxMessage = 64 << 20

func newStream(r io.Reader, w io.Writer, closer io.Closer) *stream {
	return &stream{r: bufio.NewReader(r), w: w, closer: closer, start: make(chan struct{})}
}

// WriteObject implements jsonrpc2.ObjectStream.
func (s *stream) WriteObject(obj any) error {
	data, err := json.Marshal(obj)
	if err != nil {
		return fmt.Errorf("encode message: %w", err)
	}
	return s.writeRaw(data)
}

func (s *stream) writeRaw(data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := fmt.Fprintf(s.w, "Content-Length: %d\r\n\r\n", len(data)); err != nil {
		return err
	}
	_, err := s.w.Write(data)
	return err
}

// ReadObject implements jsonrpc2.ObjectStream: it stores the next
// well-formed message in v, answering malformed ones on the way.
func (s *stream) ReadObject(v any) error {
	<-s.start
	for {
		body, err := s.readFrame()
		var framing *framingError
		if errors.As(err, &framing) {
			s.replyError(nil, CodeParseError, framing.Error())
			continue
		}
		if err != nil {
			return err
		}
		if id, code, msg := validate(body); code != 0 {
			s.replyError(id, code, msg)
			continue
		}
		if err := json.Unmarshal(body, v); err != nil {
			s.replyError(nil, CodeInvalidRequest, "invalid message: "+err.Error())
			continue
		}
		return nil
	}
}

// Close implements jsonrpc2.ObjectStream.
func (s *stream) Close() error {
	if s.closer == nil {
		return nil
	}
	return s.closer.Close()
}

// A framingError is a header that could not be understood; reading can go
// on at the next header.
type framingError struct{ msg string }

func (e *framingError) Error() string { return e.msg }

// readFrame returns the body of the next message.
func (s *stream) readFrame() ([]byte, error) {
	length := -1
	sawHeader := false
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			if err == io.EOF && line != "" {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			if !sawHeader {
				continue // stray blank line between messages
			}
			break
		}
		// A header may follow garbage on the same line (a body longer than
		// announced, say): resynchronize on it.
		if i := strings.Index(strings.ToLower(line), "content-length:"); i > 0 {
			line = line[i:]
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, &framingError{fmt.Sprintf("malformed header line %q", truncate(line))}
		}
		sawHeader = true
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 || n > maxMessage {
				return nil, &framingError{fmt.Sprintf("bad Content-Length %q", truncate(value))}
			}
			length = n
		}
	}
	if length < 0 {
		return nil, &framingError{"message without Content-Length header"}
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(s.r, body); err != nil {
		return nil, fmt.Errorf("read message body: %w", err)
	}
	return body, nil
}

// validate checks that body is one JSON-RPC 2.0 message. It returns an
// error code and message, with the id to answer with, if it is not.
func validate(body []byte) (id json.RawMessage, code int, msg string) {
	if !json.Valid(body) {
		return nil, CodeParseError, "parse error: the message is not valid JSON"
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		return nil, CodeInvalidRequest, "batch messages are not supported by the Language Server Protocol"
	}
	var m struct {
		JSONRPC *string         `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Method  json.RawMessage `json:"method"`
		Result  json.RawMessage `json:"result"`
		Error   json.RawMessage `json:"error"`
		Params  json.RawMessage `json:"params"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, CodeInvalidRequest, "invalid request: the message is not a JSON object"
	}
	if !validID(m.ID) {
		return nil, CodeInvalidRequest, "invalid request: id must be a string or an integer"
	}
	id = m.ID
	if m.JSONRPC == nil || *m.JSONRPC != "2.0" {
		return id, CodeInvalidRequest, `invalid request: "jsonrpc" must be "2.0"`
	}
	if m.Method != nil {
		var method string
		if err := json.Unmarshal(m.Method, &method); err != nil {
			return id, CodeInvalidRequest, "invalid request: method must be a string"
		}
		if p := bytes.TrimSpace(m.Params); len(p) > 0 && p[0] != '{' && p[0] != '[' && string(p) != "null" {
			return id, CodeInvalidRequest, "invalid request: params must be an object or an array"
		}
		return nil, 0, ""
	}
	if m.ID != nil && (m.Result != nil || m.Error != nil) {
		return nil, 0, "" // a response to one of our requests
	}
	return id, CodeInvalidRequest, "invalid request: the message has no method and is not a response"
}

// validID reports whether raw is absent, null, a string or an integer that
// the JSON-RPC library can echo back unchanged.
func validID(raw json.RawMessage) bool {
	if raw == nil || string(raw) == "null" {
		return true
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return true
	}
	_, err := strconv.ParseUint(string(raw), 10, 63)
	return err == nil
}

// replyError answers a malformed message directly on the stream.
func (s *stream) replyError(id json.RawMessage, code int, msg string) {
	if id == nil {
		id = json.RawMessage("null")
	}
	resp := struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}{JSONRPC: "2.0", ID: id}
	resp.Error.Code, resp.Error.Message = code, msg
	data, err := json.Marshal(resp)
	if err == nil {
		_ = s.writeRaw(data) // a broken pipe shows on the next read
	}
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
