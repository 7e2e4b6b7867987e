// Package both holds copies with map fields and other fields, for the test
// that mapcopy and lostwrite never report the same line. A comment names the
// check that must report a line.
package both

type Server struct {
	Tags map[string]string
	N    int
}

func reset(servers []Server) {
	for _, s := range servers {
		s.Tags = nil // mapcopy
		s.N = 0      // lostwrite
	}
}

func resetTogether(servers []Server) {
	for _, s := range servers {
		s.Tags, s.N = nil, 0 // mapcopy
	}
}

func (s Server) Clear() {
	s.Tags = map[string]string{} // mapcopy
	s.N++                        // lostwrite
}

func (s Server) WithTag(k, v string) Server {
	s.Tags[k] = v // mapcopy
	s.N++
	return s
}

func count(m map[string]Server, k string) {
	v := m[k]
	v.Tags["hits"] = "1"
	v.N++ // lostwrite
}
