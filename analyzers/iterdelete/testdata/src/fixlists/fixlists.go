package fixlists

import (
	"container/list"
	"fmt"
)

func expired(e *list.Element) bool { return e.Value == nil }

func purge(l *list.List) {
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			l.Remove(e) // want `l\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
		}
	}
}

func purgeContinue(l *list.List) (kept int) {
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			l.Remove(e) // want `l\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
			continue
		}
		kept++
	}
	return kept
}

func purgeBackwards(l *list.List) {
	for e := l.Back(); e != nil; e = e.Prev() {
		if expired(e) {
			l.Remove(e) // want `l\.Remove\(e\) inside a loop advancing with e\.Prev\(\)`
		}
	}
}

// The body already uses the name next.
func purgeNamed(l *list.List, next func()) {
	for e := l.Front(); e != nil; e = e.Next() {
		next()
		if expired(e) {
			l.Remove(e) // want `l\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
		}
	}
}

// Nested loops over two lists.
func purgeBoth(a, b *list.List) {
	for x := a.Front(); x != nil; x = x.Next() {
		for y := b.Front(); y != nil; y = y.Next() {
			if y.Value == x.Value {
				b.Remove(y) // want `b\.Remove\(y\) inside a loop advancing with y\.Next\(\)`
			}
		}
		if expired(x) {
			a.Remove(x) // want `a\.Remove\(x\) inside a loop advancing with x\.Next\(\)`
		}
	}
}

// Two removals in one loop share one rewrite.
func purgeTwice(l *list.List, limit int) {
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			l.Remove(e) // want `l\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
		} else if l.Len() > limit {
			fmt.Println("evict", e.Value)
			l.Remove(e) // want `l\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
		}
	}
}

// A removal through a helper.
func drop(l *list.List, e *list.Element) { l.Remove(e) }

func purgeHelper(l *list.List) {
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			drop(l, e) // want `drop\(l, e\) removes e from its list inside a loop advancing with e\.Next\(\)`
		}
	}
}

// No fix: a while-style loop.
func purgeWhile(l *list.List) {
	e := l.Front()
	for e != nil {
		if expired(e) {
			l.Remove(e) // want `l\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
		}
		e = e.Next()
	}
}

// No fix: the body assigns the loop variable.
func purgeSkip(l *list.List) {
	for e := l.Front(); e != nil; e = e.Next() {
		if e.Value == "skip" && e.Next() != nil {
			e = e.Next()
		}
		if expired(e) {
			l.Remove(e) // want `l\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
		}
	}
}

// No fix for a move: saving the successor would still visit the moved element again.
func touch(l *list.List) {
	for e := l.Front(); e != nil; e = e.Next() {
		if expired(e) {
			l.MoveToBack(e) // want `l\.MoveToBack\(e\) inside a loop advancing with e\.Next\(\)`
		}
	}
}

// No fix: the name list is shadowed inside the function.
func purgeShadowed(l *list.List) {
	list := l
	for e := list.Front(); e != nil; e = e.Next() {
		if expired(e) {
			list.Remove(e) // want `list\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
		}
	}
}
