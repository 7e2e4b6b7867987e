// Package settings declares a type used by package remote.
package settings

// Settings holds labels.
type Settings struct {
	Name   string
	Labels map[string]string
}

// WithLabel is correct: it clones first.
func (s Settings) WithLabel(k, v string) Settings {
	labels := make(map[string]string, len(s.Labels)+1)
	for k, v := range s.Labels {
		labels[k] = v
	}
	labels[k] = v
	s.Labels = labels
	return s
}
