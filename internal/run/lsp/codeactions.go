package lsp

import (
	"context"
	"strings"
)

// codeAction returns the quick fixes of the findings in the requested
// range, once the checks of the latest edits are done.
func (s *Server) codeAction(ctx context.Context, p CodeActionParams) (any, error) {
	actions := []CodeAction{}
	if !wantsQuickFix(p.Context.Only) {
		return actions, nil
	}
	name := path(p.TextDocument.URI)
	if err := s.settle(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pub := s.published[name]
	if pub == nil {
		return actions, nil
	}
	if d := s.docs[name]; d != nil && pub.version != nil && *pub.version != d.version {
		return actions, nil // the findings are of another version of the buffer
	}
	for i, d := range pub.diags {
		if overlaps(d.Range, p.Range) {
			actions = append(actions, pub.fixes[i]...)
		}
	}
	return actions, nil
}

// wantsQuickFix reports whether a code action request filtered by only
// accepts quick fixes.
func wantsQuickFix(only []string) bool {
	if len(only) == 0 {
		return true
	}
	for _, kind := range only {
		if kind == "" || kind == CodeActionQuickFix || strings.HasPrefix(CodeActionQuickFix, kind+".") {
			return true
		}
	}
	return false
}

func overlaps(a, b Range) bool {
	return !before(a.End, b.Start) && !before(b.End, a.Start)
}

func before(p, q Position) bool {
	return p.Line < q.Line || p.Line == q.Line && p.Character < q.Character
}
