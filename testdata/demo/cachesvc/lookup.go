package main

// Value returns the cached value of key. It takes for granted that the key
// is there: the first request for a key that was never stored, or has been
// evicted, panics.
func (s *Store) Value(key string) string {
	v, _ := s.Entries.Load(key)
	return v.(Entry).Value
}

// Lookup returns the entry of key and whether there is one; but it asserts
// before looking at ok, so a missing key panics instead of returning false.
func (s *Store) Lookup(key string) (Entry, bool) {
	v, ok := s.Entries.Load(key)
	return v.(Entry), ok
}
