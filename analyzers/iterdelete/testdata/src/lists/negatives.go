package lists // want package:"hasRemovers"

import (
	"container/list"
	"log"
	"os"
)

// The successor saved before the removal.
func purgeSaved(l *list.List) {
	var next *list.Element
	for e := l.Front(); e != nil; e = next {
		next = e.Next()
		if expired(e) {
			l.Remove(e)
		}
	}
}

func purgeSavedInBody(l *list.List) {
	for e := l.Front(); e != nil; {
		next := e.Next()
		if expired(e) {
			l.Remove(e)
		}
		e = next
	}
}

func purgeSavedBackwards(l *list.List) {
	for e, prev := l.Back(), (*list.Element)(nil); e != nil; e = prev {
		prev = e.Prev()
		if expired(e) {
			l.Remove(e)
		}
	}
}

// Removal followed by leaving the loop.

func removeFirst(l *list.List, v any) {
	for e := l.Front(); e != nil; e = e.Next() {
		if e.Value == v {
			l.Remove(e)
			break
		}
	}
}

func removeFirstReturn(l *list.List, v any) bool {
	for e := l.Front(); e != nil; e = e.Next() {
		if e.Value == v {
			l.Remove(e)
			return true
		}
	}
	return false
}

func removeFirstGoto(l *list.List, v any) {
	for e := l.Front(); e != nil; e = e.Next() {
		if e.Value == v {
			l.Remove(e)
			goto done
		}
	}
done:
}

func removeAndPanic(l *list.List) {
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			l.Remove(e)
			panic("expired entry")
		}
	}
}

func removeAndExit(l *list.List) {
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			l.Remove(e)
			os.Exit(1)
		}
	}
}

func removeAndFatal(l *list.List) {
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			l.Remove(e)
			log.Fatal("expired entry")
		}
	}
}

// The removal in an inner loop that leaves the outer loop too.
func removeLabeled(l *list.List, keys []string) {
outer:
	for e := l.Front(); e != nil; e = e.Next() {
		for _, k := range keys {
			if e.Value.(*entry).key == k {
				l.Remove(e)
				break outer
			}
		}
	}
}

// Restarting from the front after a removal.
func purgeRestart(l *list.List) {
	for e := l.Front(); e != nil; {
		if expired(e) {
			l.Remove(e)
			e = l.Front()
			continue
		}
		e = e.Next()
	}
}

// The successor computed after the removal, but used only on the other path.
func purgeFlag(l *list.List) {
	for e := l.Front(); e != nil; {
		removed := false
		if expired(e) {
			l.Remove(e)
			removed = true
		}
		n := e.Next()
		if removed {
			e = l.Front()
		} else {
			e = n
		}
	}
}

// A helper that returns the successor.
func (c *Cache) removeNext(e *list.Element) *list.Element {
	next := e.Next()
	c.ll.Remove(e)
	return next
}

func (c *Cache) PurgeReturnsNext() {
	for e := c.ll.Front(); e != nil; {
		if expired(e) {
			e = c.removeNext(e)
		} else {
			e = e.Next()
		}
	}
}

// Removal from a different list: Remove does nothing unless e is in it.
func moveExpired(from, to *list.List) {
	for e := from.Front(); e != nil; e = e.Next() {
		if expired(e) {
			to.Remove(e)
		}
	}
}

type twoLists struct {
	active, idle list.List
}

func (t *twoLists) sweep() {
	for e := t.active.Front(); e != nil; e = e.Next() {
		t.idle.Remove(e)
	}
}

// Removing another element than the current one.
func dropOthers(l *list.List, victims []*list.Element) {
	for e := l.Front(); e != nil; e = e.Next() {
		for _, v := range victims {
			if v != e && v.Value == e.Value {
				l.Remove(v)
			}
		}
	}
}

func dropPrevious(l *list.List) {
	var prev *list.Element
	for e := l.Front(); e != nil; e = e.Next() {
		if prev != nil && prev.Value == e.Value {
			l.Remove(prev)
		}
		prev = e
	}
}

// Moving another element, with the current one as the mark.
func gather(l *list.List, other *list.Element) {
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			l.MoveAfter(other, e)
		}
	}
}

// Inserting is not removing.
func duplicate(l *list.List) {
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			l.InsertBefore(e.Value, e)
		}
	}
}

// Removing after the loop, or before it.
func removeAfter(l *list.List) {
	var last *list.Element
	for e := l.Front(); e != nil; e = e.Next() {
		last = e
	}
	if last != nil {
		l.Remove(last)
	}
}

// Deferred: runs when the function returns, after the loop.
func removeDeferred(l *list.List) {
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			defer l.Remove(e)
		}
	}
}

// A list that the loop replaces: the removal works on the new one.
func (c *Cache) reset() {
	for e := c.ll.Front(); e != nil; e = e.Next() {
		if expired(e) {
			c.ll = list.New()
			c.ll.Remove(e)
		}
	}
}

// Draining from the front: no advance.
func drain(l *list.List) {
	for e := l.Front(); e != nil; e = l.Front() {
		l.Remove(e)
	}
}

// A helper that takes an element but does not remove it.
func (c *Cache) touch(e *list.Element) {
	_ = e.Value
}

func (c *Cache) TouchAll() {
	for e := c.ll.Front(); e != nil; e = e.Next() {
		c.touch(e)
	}
}

// A loop that does not start at Front or Back: the list is not known.
func purgeFrom(l *list.List, start *list.Element) {
	for e := start; e != nil; e = e.Next() {
		if expired(e) {
			l.Remove(e)
		}
	}
}

// Removing in a goroutine is another bug (a race), not this one.
func purgeAsync(l *list.List) {
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			go l.Remove(e)
		}
	}
}

// Leaving the list loop for the next round of an outer loop.
func removeOnePerKey(l *list.List, keys []string) {
outer:
	for _, k := range keys {
		for e := l.Front(); e != nil; e = e.Next() {
			if e.Value.(*entry).key == k {
				l.Remove(e)
				continue outer
			}
		}
	}
}
