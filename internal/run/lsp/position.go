package lsp

import (
	"bytes"
	"unicode/utf8"
)

// LSP positions count UTF-16 code units from the start of a zero-based
// line; go/token counts bytes from one. A line with non-ASCII text before a
// finding is where the two part: "é" is two bytes and one unit, "𝄞" four
// bytes and two units.

// lineStart returns the byte offset of the start of the zero-based line, or
// -1 if content has fewer lines.
func lineStart(content []byte, line int) int {
	off := 0
	for ; line > 0; line-- {
		i := bytes.IndexByte(content[off:], '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	return off
}

// utf16Units returns the number of UTF-16 code units encoding b (invalid
// bytes count as one unit each, as U+FFFD does).
func utf16Units(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		b = b[size:]
	}
	return n
}

// toPosition converts a one-based line and one-based byte column of
// content to an LSP position. Without content (an unreadable file), the
// byte column stands in for the unit count.
func toPosition(content []byte, line, column int) Position {
	if line < 1 {
		return Position{}
	}
	if column < 1 {
		column = 1
	}
	start := -1
	if content != nil {
		start = lineStart(content, line-1)
	}
	if start < 0 {
		return Position{Line: uint32(line - 1), Character: uint32(column - 1)}
	}
	end := start + column - 1
	if nl := bytes.IndexByte(content[start:], '\n'); nl >= 0 && end > start+nl {
		end = start + nl
	}
	if end > len(content) {
		end = len(content)
	}
	return Position{Line: uint32(line - 1), Character: uint32(utf16Units(content[start:end]))}
}

// offset converts an LSP position to a byte offset in content, clamping
// positions past the end of a line or of the content (as the specification
// asks) and never splitting a character.
func offset(content []byte, pos Position) int {
	start := lineStart(content, int(pos.Line))
	if start < 0 {
		return len(content)
	}
	lineEnd := len(content)
	if nl := bytes.IndexByte(content[start:], '\n'); nl >= 0 {
		lineEnd = start + nl
	}
	off, units := start, 0
	for off < lineEnd && units < int(pos.Character) {
		r, size := utf8.DecodeRune(content[off:lineEnd])
		if r >= 0x10000 {
			units += 2
		} else {
			units++
		}
		off += size
	}
	return off
}

// applyChange applies one content change of textDocument/didChange.
func applyChange(content []byte, change TextDocumentContentChangeEvent) []byte {
	if change.Range == nil {
		return []byte(change.Text)
	}
	start, end := offset(content, change.Range.Start), offset(content, change.Range.End)
	if end < start {
		start, end = end, start
	}
	out := make([]byte, 0, len(content)-(end-start)+len(change.Text))
	out = append(out, content[:start]...)
	out = append(out, change.Text...)
	return append(out, content[end:]...)
}
