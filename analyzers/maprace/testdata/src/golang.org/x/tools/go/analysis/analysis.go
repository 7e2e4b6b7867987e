// Package analysis is a stand-in for golang.org/x/tools/go/analysis.
package analysis

type Pass struct{ Files []string }

type Analyzer struct {
	Name string
	Run  func(*Pass) (any, error)
}
