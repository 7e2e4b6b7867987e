package lsp

import (
	"fmt"
	"go/token"
	"maps"
	"reflect"
	"slices"

	"github.com/mapguard/mapguard/internal/run/incremental"
)

// published is what the client was last told about one file: its
// diagnostics and, for each, the quick fixes.
type published struct {
	uri     DocumentURI
	version *int32
	diags   []Diagnostic
	fixes   [][]CodeAction
}

// publish records the diagnostics of rep and returns the notifications that
// tell the client: for every file with findings, every open file, and every
// file that had findings before (now none). s.mu is held.
func (s *Server) publish(rep *incremental.Report, snap snapshot) []func() {
	next := make(map[string]*published)
	entry := func(name string) *published {
		if next[name] == nil {
			next[name] = &published{uri: s.uriFor(name), diags: []Diagnostic{}}
			if v, ok := snap.versions[name]; ok {
				next[name].version = &v
			}
		}
		return next[name]
	}
	for _, name := range snap.files {
		entry(name)
	}
	for _, f := range rep.Findings {
		if f.Pos.Filename == "" {
			continue // no position to show it at
		}
		diag, fixes := s.convert(f, rep.Sources, snap)
		e := entry(f.Pos.Filename)
		e.diags = append(e.diags, diag)
		e.fixes = append(e.fixes, fixes)
	}
	for name, old := range s.published {
		if next[name] == nil && len(old.diags) > 0 {
			entry(name)
		}
	}
	var notes []func()
	for _, name := range slices.Sorted(maps.Keys(next)) {
		e := next[name]
		if old := s.published[name]; old != nil && sameVersion(old.version, e.version) && reflect.DeepEqual(old.diags, e.diags) {
			continue // the client has these already
		}
		params := PublishDiagnosticsParams{URI: e.uri, Version: e.version, Diagnostics: e.diags}
		notes = append(notes, func() { s.notify("textDocument/publishDiagnostics", params) })
	}
	s.published = next

	var problems []string
	for _, p := range rep.Problems {
		if !s.logged[p] {
			s.logged[p] = true
			problems = append(problems, p)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(rep.Unowned)) {
		msg := fmt.Sprintf("%s is not checked: %s", name, rep.Unowned[name])
		if !s.logged[msg] {
			s.logged[msg] = true
			problems = append(problems, msg)
		}
	}
	for _, p := range problems {
		notes = append(notes, func() { s.logMessage(MessageWarning, "mapguard: "+p) })
	}
	return notes
}

func sameVersion(a, b *int32) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// convert turns a finding into a diagnostic and its fixes into quick fixes.
func (s *Server) convert(f incremental.Finding, sources map[string][]byte, snap snapshot) (Diagnostic, []CodeAction) {
	rng := func(start, end token.Position) Range {
		return Range{
			Start: toPosition(sources[start.Filename], start.Line, start.Column),
			End:   toPosition(sources[end.Filename], end.Line, end.Column),
		}
	}
	d := Diagnostic{
		Range:    rng(f.Pos, f.End),
		Severity: SeverityWarning,
		Code:     f.Check,
		Source:   "mapguard",
		Message:  f.Message,
	}
	if f.URL != "" {
		d.CodeDescription = &CodeDescription{Href: f.URL}
	}
	for _, r := range f.Related {
		d.RelatedInformation = append(d.RelatedInformation, DiagnosticRelatedInformation{
			Location: Location{URI: s.uriFor(r.Pos.Filename), Range: rng(r.Pos, r.End)},
			Message:  r.Message,
		})
	}
	var actions []CodeAction
	for _, fix := range f.Fixes {
		byFile := make(map[string][]TextEdit)
		for _, e := range fix.Edits {
			byFile[e.Pos.Filename] = append(byFile[e.Pos.Filename], TextEdit{Range: rng(e.Pos, e.End), NewText: e.NewText})
		}
		edit := &WorkspaceEdit{}
		for _, name := range slices.Sorted(maps.Keys(byFile)) {
			if s.caps.Workspace.WorkspaceEdit.DocumentChanges {
				id := OptionalVersionedTextDocumentIdentifier{URI: s.uriFor(name)}
				if v, ok := snap.versions[name]; ok {
					id.Version = &v
				}
				edit.DocumentChanges = append(edit.DocumentChanges, TextDocumentEdit{TextDocument: id, Edits: byFile[name]})
			} else {
				if edit.Changes == nil {
					edit.Changes = make(map[DocumentURI][]TextEdit)
				}
				edit.Changes[s.uriFor(name)] = byFile[name]
			}
		}
		actions = append(actions, CodeAction{
			Title:       fix.Message,
			Kind:        CodeActionQuickFix,
			Diagnostics: []Diagnostic{d},
			IsPreferred: len(f.Fixes) == 1,
			Edit:        edit,
		})
	}
	return d, actions
}
