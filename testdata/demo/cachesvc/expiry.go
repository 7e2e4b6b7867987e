package main

import (
	"container/list"
	"sync"
	"time"
)

// expiryQueue orders the cached keys by the time they were stored, so that
// the janitor can find expired entries without scanning the whole cache.
type expiryQueue struct {
	mu    sync.Mutex
	order *list.List // of *expiring, oldest first
}

type expiring struct {
	key     string
	expires time.Time
}

func newExpiryQueue() *expiryQueue { return &expiryQueue{order: list.New()} }

// track records that key expires at the given time.
func (q *expiryQueue) track(key string, expires time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.order.PushBack(&expiring{key: key, expires: expires})
}

// sweep deletes the expired entries from the store and returns how many it
// deleted. It deletes at most one per call: Remove clears e's links, so
// e.Next() returns nil and the loop ends; the other expired entries stay
// in the cache until later sweeps, one by one.
func (q *expiryQueue) sweep(s *Store, now time.Time) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for e := q.order.Front(); e != nil; e = e.Next() {
		x := e.Value.(*expiring)
		if x.expires.Before(now) {
			q.order.Remove(e)
			s.Entries.Delete(x.key)
			n++
		}
	}
	return n
}

// janitor sweeps the store every interval until stop is closed.
func (q *expiryQueue) janitor(s *Store, interval time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case now := <-t.C:
			q.sweep(s, now)
		case <-stop:
			return
		}
	}
}
