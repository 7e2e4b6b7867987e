package fix

type Set struct {
	items map[string]bool
}

// The name maps is taken: no fix.
func (s Set) With(maps string) Set {
	s.items[maps] = true // want `s.items\[maps\] = true writes into the map that the returned copy shares`
	return s
}
