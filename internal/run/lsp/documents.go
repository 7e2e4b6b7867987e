package lsp

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

type document struct {
	uri     DocumentURI
	version int32
	text    []byte
}

// path returns the file path of a file URI, or "" for other schemes.
func path(uri DocumentURI) string {
	u, err := url.Parse(string(uri))
	if err != nil || u.Scheme != "file" || u.Path == "" {
		return ""
	}
	p := u.Path
	if len(p) >= 3 && p[0] == '/' && p[2] == ':' {
		p = p[1:] // file:///C:/x on Windows
	}
	return filepath.Clean(filepath.FromSlash(p))
}

// uriFor returns the URI of path: the client's own for an open document.
func (s *Server) uriFor(p string) DocumentURI {
	if d := s.docs[p]; d != nil {
		return d.uri
	}
	slashed := filepath.ToSlash(p)
	if !strings.HasPrefix(slashed, "/") {
		slashed = "/" + slashed
	}
	return DocumentURI((&url.URL{Scheme: "file", Path: slashed}).String())
}

func (s *Server) didOpen(p DidOpenTextDocumentParams) {
	name := path(p.TextDocument.URI)
	if name == "" {
		s.logOnce(MessageInfo, fmt.Sprintf("mapguard checks files only, not %s", p.TextDocument.URI))
		return
	}
	if !strings.HasSuffix(name, ".go") {
		return // go.mod and the like: not ours to check
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs[name] = &document{uri: p.TextDocument.URI, version: p.TextDocument.Version, text: []byte(p.TextDocument.Text)}
	s.schedule(0, false)
}

func (s *Server) didChange(p DidChangeTextDocumentParams) {
	name := path(p.TextDocument.URI)
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docs[name]
	if d == nil {
		return
	}
	for _, c := range p.ContentChanges {
		d.text = applyChange(d.text, c)
	}
	d.version = p.TextDocument.Version
	if s.settings.onChange {
		s.schedule(s.settings.changeDelay, true)
	}
}

func (s *Server) didSave(p DidSaveTextDocumentParams) {
	name := path(p.TextDocument.URI)
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.docs[name]; d != nil && p.Text != nil {
		d.text = []byte(*p.Text)
	}
	s.schedule(0, false)
}

func (s *Server) didClose(p DidCloseTextDocumentParams) {
	name := path(p.TextDocument.URI)
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.docs, name)
	s.schedule(0, false)
}
