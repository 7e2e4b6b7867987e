// Package report is the one path by which every mapguard check reports a
// finding. It drops findings in generated files, honours
// "//mapguard:ignore <check> <reason>" directives, keeps messages on one
// line and tags each diagnostic with the check's name.
package report

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Directive is the comment prefix that suppresses a finding.
const Directive = "//mapguard:ignore"

// Report reports d for the check running in pass unless it falls in a
// generated file or an ignore directive for this check covers its line.
func Report(pass *analysis.Pass, d analysis.Diagnostic) {
	file := fileOf(pass, d.Pos)
	if file != nil && ast.IsGenerated(file) {
		return
	}
	d.Message = oneLine(d.Message)
	if d.Category == "" {
		d.Category = pass.Analyzer.Name
	}
	if file != nil {
		switch ig := findIgnore(pass.Fset, file, d.Pos, pass.Analyzer.Name); {
		case ig == nil:
		case ig.reason != "":
			return
		default:
			// An ignore without a reason is not honoured; say so where
			// the reader will look for it.
			d.Related = append(d.Related, analysis.RelatedInformation{
				Pos:     ig.pos,
				Message: "this " + Directive + " is not honoured: it needs a reason after the check name",
			})
		}
	}
	pass.Report(d)
}

// Reportf reports a finding spanning node with a formatted message.
func Reportf(pass *analysis.Pass, node ast.Node, format string, args ...any) {
	Report(pass, analysis.Diagnostic{Pos: node.Pos(), End: node.End(), Message: sprintf(format, args...)})
}

// Related describes one step of a flow, for analysis.Diagnostic.Related.
func Related(node ast.Node, format string, args ...any) analysis.RelatedInformation {
	return analysis.RelatedInformation{Pos: node.Pos(), End: node.End(), Message: sprintf(format, args...)}
}

// RelatedAt is Related for a bare position (for example a types.Object's).
func RelatedAt(pos token.Pos, format string, args ...any) analysis.RelatedInformation {
	return analysis.RelatedInformation{Pos: pos, Message: sprintf(format, args...)}
}

func fileOf(pass *analysis.Pass, pos token.Pos) *ast.File {
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

type ignore struct {
	pos    token.Pos
	reason string
}

// findIgnore returns the directive naming check on the line of pos or on the
// line above it, if any.
func findIgnore(fset *token.FileSet, file *ast.File, pos token.Pos, check string) *ignore {
	line := fset.Position(pos).Line
	for _, group := range file.Comments {
		for _, c := range group.List {
			cline := fset.Position(c.Slash).Line
			if cline != line && cline != line-1 {
				continue
			}
			checks, reason, ok := ParseDirective(c.Text)
			if !ok {
				continue
			}
			for _, name := range checks {
				if name == check || name == "all" {
					return &ignore{pos: c.Slash, reason: reason}
				}
			}
		}
	}
	return nil
}

// ParseDirective parses "//mapguard:ignore check[,check...] reason".
func ParseDirective(text string) (checks []string, reason string, ok bool) {
	rest, found := strings.CutPrefix(text, Directive)
	if !found || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		return nil, "", false
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return nil, "", false
	}
	return strings.Split(fields[0], ","), strings.Join(fields[1:], " "), true
}

func oneLine(msg string) string {
	msg = strings.Join(strings.Fields(msg), " ")
	return strings.TrimRight(msg, ".")
}

func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}
