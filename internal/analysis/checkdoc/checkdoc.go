// Package checkdoc turns a check's doc.go into the text of its Analyzer.Doc
// and the address of its published documentation, so that the code, the
// -explain output and the generated docs all read one source.
package checkdoc

import (
	"fmt"
	"go/parser"
	"go/token"
	"strings"
)

// DocsBase is where the generated per-check documentation is published.
const DocsBase = "https://github.com/mapguard/mapguard/blob/main/docs/checks/"

// URL returns the documentation address of the named check.
func URL(check string) string { return DocsBase + check + ".md" }

// Extract returns the section of the package comment in src (the text of a
// doc.go file) that starts with the heading "# Analyzer <check>". The section
// must begin with a line "<check>: <summary>". Extract panics on a malformed
// doc.go: it runs at package initialisation, so a broken doc fails every
// test at once instead of shipping.
func Extract(src, check string) string {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", src, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		panic(fmt.Sprintf("checkdoc: doc.go of %s: %v", check, err))
	}
	if f.Doc == nil {
		panic(fmt.Sprintf("checkdoc: doc.go of %s has no package comment", check))
	}
	text := f.Doc.Text()
	heading := "# Analyzer " + check + "\n"
	_, section, ok := strings.Cut(text, heading)
	if !ok {
		panic(fmt.Sprintf("checkdoc: doc.go of %s lacks the heading %q", check, strings.TrimSpace(heading)))
	}
	if next := strings.Index(section, "\n# Analyzer "); next >= 0 {
		section = section[:next]
	}
	section = strings.TrimSpace(section)
	if !strings.HasPrefix(section, check+": ") {
		panic(fmt.Sprintf("checkdoc: doc of %s must start with %q", check, check+": "))
	}
	return section + "\n"
}

// Summary returns the one-line summary of a doc returned by Extract,
// without the "<check>: " prefix.
func Summary(doc string) string {
	first, _, _ := strings.Cut(doc, "\n")
	_, summary, _ := strings.Cut(first, ": ")
	return summary
}

// Body returns the doc without its summary line.
func Body(doc string) string {
	_, body, _ := strings.Cut(doc, "\n")
	return strings.TrimSpace(body)
}
