package fixlists

// No fix: this file does not import container/list, so it cannot name
// *list.Element.
func purgeNoImport(c interface{ Drop(any) }, items *itemList) {
	for e := items.l.Front(); e != nil; e = e.Next() {
		items.l.Remove(e) // want `items\.l\.Remove\(e\) inside a loop advancing with e\.Next\(\)`
	}
}
