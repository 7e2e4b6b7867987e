package lruuser

import (
	"container/list"

	"lru"
)

func purge(c *lru.Cache, dead func(*list.Element) bool) {
	for e := c.LL.Front(); e != nil; e = e.Next() {
		if dead(e) {
			c.RemoveElement(e) // want `c\.RemoveElement\(e\) removes e from its list inside a loop advancing with e\.Next\(\): Remove clears e's links, so the loop stops after the first removal`
		}
	}
}

func touchAll(c *lru.Cache) {
	for e := c.LL.Front(); e != nil; e = e.Next() {
		c.Touch(e) // want `c\.Touch\(e\) moves e \(MoveToFront\) inside a loop advancing with e\.Next\(\): e\.Next\(\) then returns the old first element`
	}
}

func dropAll(l *list.List) {
	for e := l.Back(); e != nil; e = e.Prev() {
		lru.Drop(l, e) // want `lru\.Drop\(l, e\) removes e from its list inside a loop advancing with e\.Prev\(\)`
	}
}

func forgetAll() {
	for e := lru.Shared.Front(); e != nil; e = e.Next() {
		lru.Forget(e) // want `lru\.Forget\(e\) removes e from its list inside a loop advancing with e\.Next\(\)`
	}
}

func evictAll(c *lru.Cache) {
	for e := c.LL.Front(); e != nil; e = e.Next() {
		lru.Evict(c, e) // want `lru\.Evict\(c, e\) removes e from its list inside a loop advancing with e\.Next\(\)`
	}
}

// A local helper wrapping the other package's one: facts compose.
func drop(c *lru.Cache, e *list.Element) {
	c.RemoveElement(e)
}

func purgeWrapped(c *lru.Cache) {
	for e := c.LL.Front(); e != nil; e = e.Next() {
		drop(c, e) // want `drop\(c, e\) removes e from its list inside a loop advancing with e\.Next\(\)`
	}
}

// Negatives.

// The successor saved first.
func purgeSaved(c *lru.Cache) {
	for e, next := c.LL.Front(), (*list.Element)(nil); e != nil; e = next {
		next = e.Next()
		c.RemoveElement(e)
	}
}

// Another cache's list.
func purgeOther(a, b *lru.Cache) {
	for e := a.LL.Front(); e != nil; e = e.Next() {
		b.RemoveElement(e)
	}
}

// A list other than the one the helper removes from.
func dropFromOther(l *list.List) {
	for e := l.Front(); e != nil; e = e.Next() {
		lru.Forget(e)
	}
}

// A helper that does not remove.
func peekAll(c *lru.Cache) (n int) {
	for e := c.LL.Front(); e != nil; e = e.Next() {
		n += lru.Peek(e)
	}
	return n
}
