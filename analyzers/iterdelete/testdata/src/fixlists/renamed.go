package fixlists

import dll "container/list"

// The package imported under another name.
func purgeRenamed(l *dll.List) {
	for e := l.Front(); e != nil; e = e.Next() {
		if e.Value == nil {
			l.Remove(e) // want `l\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
		}
	}
}
