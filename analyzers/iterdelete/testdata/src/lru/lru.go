package lru // want package:"hasRemovers"

// A small LRU cache whose exported methods remove elements from its list;
// package lruuser loops over that list in another package.

import "container/list"

type Cache struct {
	LL    *list.List
	Items map[string]*list.Element
}

type entry struct {
	key string
	val int
}

func New() *Cache { return &Cache{LL: list.New(), Items: make(map[string]*list.Element)} }

// RemoveElement removes e from the cache's list.
func (c *Cache) RemoveElement(e *list.Element) { // want RemoveElement:`removesElem\(Remove\(#1\) on #0\.LL\)`
	c.LL.Remove(e)
	delete(c.Items, e.Value.(*entry).key)
}

// Touch moves e to the front.
func (c *Cache) Touch(e *list.Element) { // want Touch:`removesElem\(MoveToFront\(#1\) on #0\.LL\)`
	c.LL.MoveToFront(e)
}

// Drop removes e from l.
func Drop(l *list.List, e *list.Element) { // want Drop:`removesElem\(Remove\(#1\) on #0\)`
	l.Remove(e)
}

// Shared is a package-level list.
var Shared = list.New()

// Forget removes e from Shared.
func Forget(e *list.Element) { // want Forget:`removesElem\(Remove\(#0\) on lru\.Shared\)`
	Shared.Remove(e)
}

// Evict removes e through an unexported helper.
func Evict(c *Cache, e *list.Element) { // want Evict:`removesElem\(Remove\(#1\) on #0\.LL\)`
	c.evict(e)
}

func (c *Cache) evict(e *list.Element) {
	c.RemoveElement(e)
}

// Peek reads e without removing it.
func Peek(e *list.Element) int { return e.Value.(*entry).val }
