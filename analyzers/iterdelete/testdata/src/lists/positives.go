package lists

import (
	"container/list"
	"os"
	"time"
)

type entry struct {
	key     string
	expires time.Time
}

func expired(e *list.Element) bool {
	return e.Value.(*entry).expires.Before(time.Now())
}

// The seed bug: the loop stops after the first removal.
func purge(l *list.List) {
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			l.Remove(e) // want `l\.Remove\(e\) inside a loop advancing with e\.Next\(\): Remove clears e's links, so the loop stops after the first removal`
		}
	}
}

// Backwards.
func purgeBackwards(l *list.List) {
	for e := l.Back(); e != nil; e = e.Prev() {
		if expired(e) {
			l.Remove(e) // want `l\.Remove\(e\) inside a loop advancing with e\.Prev\(\): Remove clears e's links`
		}
	}
}

// continue goes to the post statement, which advances from the removed element.
func purgeContinue(l *list.List) int {
	kept := 0
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			l.Remove(e) // want `l\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
			continue
		}
		kept++
	}
	return kept
}

// A while-style loop with the advance at the end of the body.
func purgeWhile(l *list.List) {
	e := l.Front()
	for e != nil {
		if expired(e) {
			l.Remove(e) // want `l\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
		}
		e = e.Next()
	}
}

// The removal in an inner loop that breaks back into the outer one.
func purgeKeys(l *list.List, keys []string) {
	for e := l.Front(); e != nil; e = e.Next() {
		for _, k := range keys {
			if e.Value.(*entry).key == k {
				l.Remove(e) // want `l\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
				break
			}
		}
	}
}

// os.Exit on another path does not save this one.
func purgeOrExit(l *list.List) {
	for e := l.Front(); e != nil; e = e.Next() {
		if e.Value == nil {
			os.Exit(1)
		}
		if expired(e) {
			l.Remove(e) // want `l\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
		}
	}
}

// Moves.

func touchAll(l *list.List) {
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			l.MoveToBack(e) // want `l\.MoveToBack\(e\) inside a loop advancing with e\.Next\(\): e is then the last element, so e\.Next\(\) is nil and the loop stops at the first move`
		}
	}
}

func promote(l *list.List) {
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			l.MoveToFront(e) // want `l\.MoveToFront\(e\) inside a loop advancing with e\.Next\(\): e\.Next\(\) then returns the old first element, so the loop starts over and visits elements again`
		}
	}
}

func promoteBackwards(l *list.List) {
	for e := l.Back(); e != nil; e = e.Prev() {
		if expired(e) {
			l.MoveToFront(e) // want `l\.MoveToFront\(e\) inside a loop advancing with e\.Prev\(\): e is then the first element, so e\.Prev\(\) is nil`
		}
	}
}

func demoteBackwards(l *list.List) {
	for e := l.Back(); e != nil; e = e.Prev() {
		if expired(e) {
			l.MoveToBack(e) // want `l\.MoveToBack\(e\) inside a loop advancing with e\.Prev\(\): e\.Prev\(\) then returns the old last element`
		}
	}
}

func sink(l *list.List, mark *list.Element) {
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			l.MoveAfter(e, mark) // want `l\.MoveAfter\(e, mark\) inside a loop advancing with e\.Next\(\): e\.Next\(\) then continues from e's new place, so the loop skips or revisits elements`
		}
	}
}

func raise(l *list.List, mark *list.Element) {
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			l.MoveBefore(e, mark) // want `l\.MoveBefore\(e, mark\) inside a loop advancing with e\.Next\(\)`
		}
	}
}

// A struct holding the list, by pointer and by value.

type Cache struct {
	ll    *list.List
	order list.List
	items map[string]*list.Element
}

func (c *Cache) Purge() {
	for e := c.ll.Front(); e != nil; e = e.Next() {
		if expired(e) {
			c.ll.Remove(e) // want `c\.ll\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
			delete(c.items, e.Value.(*entry).key)
		}
	}
}

func (c *Cache) PurgeOrder() {
	for e := c.order.Front(); e != nil; e = e.Next() {
		if expired(e) {
			c.order.Remove(e) // want `c\.order\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
		}
	}
}

// The list held in a local variable copied from the field.
func (c *Cache) PurgeLocal() {
	l := c.ll
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			c.ll.Remove(e) // want `c\.ll\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
		}
	}
}

// A list embedded in the struct.
type Queue struct {
	list.List
}

func (q *Queue) Drop() {
	for e := q.Front(); e != nil; e = e.Next() {
		if expired(e) {
			q.Remove(e) // want `q\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
		}
	}
}

// A package-level list.
var lru = list.New()

func purgeGlobal() {
	for e := lru.Front(); e != nil; e = e.Next() {
		if expired(e) {
			lru.Remove(e) // want `lru\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
		}
	}
}

// Helpers in the same package.

func (c *Cache) removeElement(e *list.Element) {
	c.ll.Remove(e)
	delete(c.items, e.Value.(*entry).key)
}

// An exported helper that removes conditionally, through another helper.
func (c *Cache) Evict(e *list.Element) bool { // want Evict:`removesElem\(Remove\(#1\) on #0\.ll\)`
	if !expired(e) {
		return false
	}
	c.removeElement(e)
	return true
}

func (c *Cache) PurgeHelper() {
	for e := c.ll.Front(); e != nil; e = e.Next() {
		if expired(e) {
			c.removeElement(e) // want `c\.removeElement\(e\) removes e from its list inside a loop advancing with e\.Next\(\): Remove clears e's links`
		}
	}
}

func (c *Cache) PurgeEvict() {
	for e := c.ll.Front(); e != nil; e = e.Next() {
		c.Evict(e) // want `c\.Evict\(e\) removes e from its list inside a loop advancing with e\.Next\(\)`
	}
}

func removeFrom(l *list.List, e *list.Element) {
	l.Remove(e)
}

func purgeWith(l *list.List) {
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			removeFrom(l, e) // want `removeFrom\(l, e\) removes e from its list inside a loop advancing with e\.Next\(\)`
		}
	}
}

func dropGlobal(e *list.Element) {
	lru.Remove(e)
}

func purgeGlobalHelper() {
	for e := lru.Front(); e != nil; e = e.Next() {
		if expired(e) {
			dropGlobal(e) // want `dropGlobal\(e\) removes e from its list inside a loop advancing with e\.Next\(\)`
		}
	}
}

// A helper that moves.
func bump(l *list.List, e *list.Element) {
	l.MoveToBack(e)
}

func bumpAll(l *list.List) {
	for e := l.Front(); e != nil; e = e.Next() {
		bump(l, e) // want `bump\(l, e\) moves e \(MoveToBack\) inside a loop advancing with e\.Next\(\): e is then the last element`
	}
}

// A closure that captures the list.
func purgeClosure(l *list.List) {
	drop := func(e *list.Element) {
		l.Remove(e)
	}
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			drop(e) // want `drop\(e\) removes e from its list inside a loop advancing with e\.Next\(\)`
		}
	}
}

// Generic code.

type LRU[K comparable, V any] struct {
	ll    *list.List
	items map[K]*list.Element
}

type pair[K comparable, V any] struct {
	key K
	val V
}

func (c *LRU[K, V]) RemoveIf(drop func(K, V) bool) {
	for e := c.ll.Front(); e != nil; e = e.Next() {
		p := e.Value.(*pair[K, V])
		if drop(p.key, p.val) {
			c.ll.Remove(e) // want `c\.ll\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
			delete(c.items, p.key)
		}
	}
}

func (c *LRU[K, V]) remove(e *list.Element) {
	c.ll.Remove(e)
}

func (c *LRU[K, V]) Expire(keep func(K) bool) {
	for e := c.ll.Back(); e != nil; e = e.Prev() {
		if !keep(e.Value.(*pair[K, V]).key) {
			c.remove(e) // want `c\.remove\(e\) removes e from its list inside a loop advancing with e\.Prev\(\)`
		}
	}
}

func FilterList[T any](l *list.List, drop func(T) bool) {
	for e := l.Front(); e != nil; e = e.Next() {
		if drop(e.Value.(T)) {
			l.Remove(e) // want `l\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
		}
	}
}

// A value receiver: the copy shares the list.
func (c Cache) PurgeValue() {
	for e := c.ll.Front(); e != nil; e = e.Next() {
		if expired(e) {
			c.ll.Remove(e) // want `c\.ll\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
		}
	}
}

// A nested field.
type Server struct {
	cache Cache
}

func (s *Server) Sweep() {
	for e := s.cache.ll.Back(); e != nil; e = e.Prev() {
		if expired(e) {
			s.cache.ll.Remove(e) // want `s\.cache\.ll\.Remove\(e\) inside a loop advancing with e\.Prev\(\)`
		}
	}
}

// A list looked up in a map, and a range variable.
func purgeShards(shards map[string]*list.List, all []*list.List) {
	for name := range shards {
		l := shards[name]
		for e := l.Front(); e != nil; e = e.Next() {
			if expired(e) {
				l.Remove(e) // want `l\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
			}
		}
	}
	for _, l := range all {
		for e := l.Front(); e != nil; e = e.Next() {
			if expired(e) {
				l.Remove(e) // want `l\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
			}
		}
	}
}
