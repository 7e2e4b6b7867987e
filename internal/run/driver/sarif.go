package driver

import (
	"bytes"
	"fmt"
	"go/doc/comment"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
	"golang.org/x/tools/go/analysis"

	"github.com/mapguard/mapguard/internal/analysis/checkdoc"
)

// srcRoot is the uriBaseId of every relative URI in the SARIF log: the
// working directory mapguard ran in. Run from the repository root, the URIs
// are what GitHub code scanning expects.
const srcRoot = "%SRCROOT%"

const informationURI = "https://github.com/mapguard/mapguard"

// writeSARIF writes the findings as a SARIF 2.1.0 log with one run: the
// checks that ran as rules (with their documentation as help), and one
// result per finding with its region, the related positions and the
// suggested fixes. ok says whether every package loaded and every check
// completed.
func writeSARIF(w io.Writer, findings []Finding, checks []*analysis.Analyzer, notes []note, ok bool) error {
	wd, err := os.Getwd()
	if err != nil {
		return fmt.Errorf("sarif: %w", err)
	}
	s := &sarifWriter{base: wd, files: make(map[string][]byte)}

	driver := sarif.NewToolComponent().
		WithName("mapguard").
		WithInformationURI(informationURI)
	if v := version(); v != "" {
		driver.WithVersion(v)
	}
	ruleIndex := make(map[string]int)
	for i, a := range checks {
		ruleIndex[a.Name] = i
		driver.AddRule(rule(a))
	}

	inv := sarif.NewInvocation().WithExecutionSuccessful(ok)
	for _, n := range notes {
		// Code a check skipped (such as for its time budget): the log
		// must not pass for a complete check of it.
		notification := sarif.NewNotification().
			WithLevel(sarif.LevelWarning).
			WithMessage(sarif.NewTextMessage(n.Message))
		if loc := s.location(n.Pos, n.Pos, false); loc != nil {
			notification.AddLocation(loc)
		}
		inv.AddToolExecutionNotification(notification)
	}
	run := sarif.NewRun().
		WithTool(sarif.NewTool().WithDriver(driver)).
		WithColumnKind("utf16CodeUnits").
		WithOriginalUriBaseIds(map[string]sarif.ArtifactLocation{
			srcRoot: *sarif.NewArtifactLocation().WithURI(fileURI(wd) + "/"),
		}).
		AddInvocation(inv)
	for _, f := range findings {
		index, known := ruleIndex[f.Check]
		if !known {
			index = -1
		}
		res := sarif.NewRuleResult(f.Check).
			WithRuleIndex(index).
			WithLevel(sarif.LevelWarning).
			WithMessage(sarif.NewTextMessage(f.Message))
		if loc := s.location(f.Pos, f.End, f.End != f.Pos); loc != nil {
			res.AddLocation(loc)
		}
		for i, r := range f.Related {
			loc := s.location(r.Pos, r.End, r.End != r.Pos)
			if loc == nil {
				continue
			}
			res.AddRelatedLocation(loc.WithID(i + 1).WithMessage(sarif.NewTextMessage(r.Message)))
		}
		for _, fix := range f.Fixes {
			res.AddFixe(s.fix(fix))
		}
		run.AddResult(res)
	}

	report := sarif.NewReport()
	report.AddRun(run)
	if err := report.PrettyWrite(w); err != nil {
		return fmt.Errorf("sarif: %w", err)
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// rule describes a check: its summary, its documentation as plain text and
// Markdown, and the address of its page.
func rule(a *analysis.Analyzer) *sarif.ReportingDescriptor {
	summary := checkdoc.Summary(a.Doc)
	r := sarif.NewRule(a.Name).
		WithName(a.Name).
		WithShortDescription(sarif.NewMultiformatMessageString().WithText(summary)).
		WithFullDescription(sarif.NewMultiformatMessageString().WithText(summary)).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarif.LevelWarning))
	if body := checkdoc.Body(a.Doc); body != "" {
		var p comment.Parser
		doc := p.Parse(body)
		text := (&comment.Printer{}).Text(doc)
		markdown := (&comment.Printer{HeadingLevel: 2}).Markdown(doc)
		r.WithHelp(sarif.NewMultiformatMessageString().
			WithText(strings.TrimSpace(string(text))).
			WithMarkdown(strings.TrimSpace(string(markdown))))
	}
	if a.URL != "" {
		r.WithHelpURI(a.URL)
	}
	return r
}

// version returns the module version of the running binary, if it was
// built from a published version.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" || info.Main.Version == "(devel)" {
		return ""
	}
	return info.Main.Version
}

type sarifWriter struct {
	base  string            // the directory URIs are relative to
	files map[string][]byte // file contents, read to count UTF-16 columns
}

// location returns the SARIF location of the span from pos to end (a point
// when hasEnd is false), or nil for a position without a file.
func (s *sarifWriter) location(pos, end Position, hasEnd bool) *sarif.Location {
	if pos.File == "" {
		return nil
	}
	region := sarif.NewRegion().
		WithStartLine(pos.Line).
		WithStartColumn(s.column(pos))
	if hasEnd && end.File == pos.File {
		region.WithEndLine(end.Line).WithEndColumn(s.column(end))
	}
	return sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
		WithArtifactLocation(s.artifact(pos.File)).
		WithRegion(region))
}

// fix turns a suggested fix into a SARIF fix: per file, the regions to
// replace and their new text.
func (s *sarifWriter) fix(fix fixEdits) *sarif.Fix {
	out := sarif.NewFix().WithDescription(sarif.NewTextMessage(fix.Message))
	changes := make(map[string]*sarif.ArtifactChange)
	for _, e := range fix.Edits {
		start, end := e.Pos, e.EndPos
		change, seen := changes[start.File]
		if !seen {
			change = sarif.NewArtifactChange().WithArtifactLocation(s.artifact(start.File))
			changes[start.File] = change
			out.AddArtifactChange(change)
		}
		// An explicit end, even for an insertion: without one a region
		// runs to the end of its line.
		change.AddReplacement(sarif.NewReplacement().
			WithDeletedRegion(sarif.NewRegion().
				WithStartLine(start.Line).WithStartColumn(s.column(start)).
				WithEndLine(end.Line).WithEndColumn(s.column(end))).
			WithInsertedContent(sarif.NewArtifactContent().WithText(e.New)))
	}
	return out
}

// artifact returns the location of a file: relative to the working
// directory when it lies below it, otherwise an absolute file URI.
func (s *sarifWriter) artifact(file string) *sarif.ArtifactLocation {
	loc := sarif.NewArtifactLocation()
	if rel, err := filepath.Rel(s.base, file); err == nil && filepath.IsLocal(rel) {
		return loc.WithURI((&url.URL{Path: filepath.ToSlash(rel)}).String()).WithURIBaseID(srcRoot)
	}
	return loc.WithURI(fileURI(file))
}

// column converts the byte column of p into the UTF-16 column SARIF
// expects, reading the file; it keeps the byte column when the file cannot
// be read or has changed.
func (s *sarifWriter) column(p Position) int {
	src, read := s.files[p.File]
	if !read {
		src, _ = os.ReadFile(p.File)
		s.files[p.File] = src
	}
	lineStart := p.Offset - (p.Column - 1)
	if lineStart < 0 || p.Offset > len(src) {
		return p.Column
	}
	prefix := src[lineStart:p.Offset]
	if !utf8.Valid(prefix) || bytes.IndexByte(prefix, '\n') >= 0 {
		return p.Column // not the line the position names (a //line directive?)
	}
	return 1 + len(utf16.Encode([]rune(string(prefix))))
}

// fileURI returns the file:// URI of an absolute path.
func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
