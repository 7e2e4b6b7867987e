package main

import (
	"math"
	"net/http"
	"strings"
	"sync"
	"time"
)

// TTLHistogram counts the entries by hours left to live. Entries that never
// expire are counted under NaN, "no value": but NaN is not equal to itself,
// so each of them adds a bucket of its own that no lookup can find.
func (s *Store) TTLHistogram(now time.Time) map[float64]int {
	buckets := make(map[float64]int)
	s.Entries.Range(func(_, v any) bool {
		e := v.(Entry)
		hours := math.NaN()
		if !e.Expires.IsZero() {
			hours = math.Round(e.Expires.Sub(now).Hours())
		}
		buckets[hours]++
		return true
	})
	return buckets
}

// taggedKeys caches, per set of tags, the keys whose value mentions them.
var taggedKeys sync.Map

// handleTagged answers /tagged?tag=a&tag=b. It keys the cache by the tag
// list itself, a []string: every request panics.
func (s *Store) handleTagged(w http.ResponseWriter, r *http.Request) {
	tags := r.URL.Query()["tag"]
	if v, ok := taggedKeys.Load(tags); ok {
		_, _ = w.Write([]byte(strings.Join(v.([]string), "\n")))
		return
	}
	keys := s.keysMentioning(tags)
	taggedKeys.Store(tags, keys)
	_, _ = w.Write([]byte(strings.Join(keys, "\n")))
}

// keysMentioning returns the keys whose value contains one of the tags.
func (s *Store) keysMentioning(tags []string) []string {
	var keys []string
	s.Entries.Range(func(k, v any) bool {
		for _, t := range tags {
			if strings.Contains(v.(Entry).Value, t) {
				keys = append(keys, k.(string))
				break
			}
		}
		return true
	})
	return keys
}
