// Package iterdelete defines the iterdelete check of mapguard.
//
// # Analyzer iterdelete
//
// iterdelete: report removals and insertions that make a loop over a list, slice or map skip or lose entries
//
// A loop that changes the container it walks loses entries without an error.
// The check reports three forms of it.
//
// A container/list loop that removes its current element and then advances
// with e.Next() stops after the first removal: Remove clears the element's
// links, so e.Next() returns nil and every later entry is left in place:
//
//	for e := l.Front(); e != nil; e = e.Next() {
//		if expired(e) {
//			l.Remove(e) // the loop ends here
//		}
//	}
//
// Moving the current element (MoveToFront, MoveToBack, MoveBefore,
// MoveAfter) is reported too: e.Next() then continues from the element's new
// place, so the loop stops early, skips elements or starts over. The removal
// may happen in a helper, in the same package or another one, that removes
// or moves an element parameter from a list it is given or can name (a
// field of its receiver, a package-level variable). The fix saves the
// successor before the body runs, which also works with continue:
//
//	for e, next := l.Front(), (*list.Element)(nil); e != nil; e = next {
//		next = e.Next()
//		if expired(e) {
//			l.Remove(e)
//		}
//	}
//
// A loop over a slice index that deletes the element at the current index
// in place (s = append(s[:i], s[i+1:]...), s = slices.Delete(s, i, i+1),
// copy(s[i:], s[i+1:]) followed by s = s[:len(s)-1], or the swap
// s[i] = s[len(s)-1]; s = s[:len(s)-1]) and then goes on to i+1 never looks
// at the element that moved into s[i]. With for i := range s the loop also
// keeps the length it started with, so indexing s can run past the end.
// Nested loops that remove duplicates (the inner j loop) are the same bug,
// and so is a removal at the outer index from inside an inner loop that
// goes on after it (no break), also on a slice field of a range copy
// (for _, set := range sets { for i, r := range set.Rules { ... } }).
// The fix for a three-clause loop is i-- after the deletion; for a range
// loop, filter with slices.DeleteFunc, or keep the kept elements in place:
//
//	s = slices.DeleteFunc(s, expired)
//
//	n := 0
//	for _, x := range s {
//		if !expired(x) {
//			s[n] = x
//			n++
//		}
//	}
//	s = s[:n]
//
// A range over a map that adds to that same map a key grown from the
// current entry (k+"_copy", prefix+k, k+1, a struct key with a field
// incremented, a counter the loop carries) leaves the result to chance: the
// spec leaves it unspecified whether the loop visits an entry added during
// the iteration, and visiting it adds yet another entry:
//
//	for k, v := range m {
//		m[k+".bak"] = v // a.bak, maybe a.bak.bak, maybe a.bak.bak.bak, ...
//	}
//
// So does adding a key derived from the current entry by a step that
// applies again to the new entry: the part of the key before or after a
// separator found in it (k[:strings.LastIndex(k, "/")]), path.Dir or
// filepath.Dir of it, or the key of the node the current value points to,
// added with that node (nodes[n.parent.name] = n.parent, a walk up a tree).
// Whether the loop visits the new entry decides whether its parent is added
// in turn:
//
//	for p, n := range sizes {
//		sizes[path.Dir(p)] += n // adds a/b; a, ., maybe
//	}
//
// Collect the new entries in a second map and copy them in after the loop.
//
// The check stays silent when the successor was saved before the removal;
// when the removal is followed by break, return, goto out of the loop, a
// panic or os.Exit; when the removal is from a different list than the one
// iterated (Remove does nothing then); when the index is decremented after
// the deletion or not advanced on that path, the loop runs backwards, the
// slice is filtered in place, or the loop's index is bounded by another
// slice than the one deleted from (ranging over a copy while deleting from
// the original, with the later indexes shifted by hand); for delete(m, k) and m[k] = v on the current
// key during a range; for keys the code has just found in the map (the ok of
// a lookup, or a lookup compared with the zero value) and keys of an
// enclosing range over the same map; for keys computed through another function
// call (strings.ToLower(k), normalize(k): in-place normalizations are
// usually idempotent, so visiting the new entry writes the same key again)
// or that do not change from one iteration to the next (a constant, a
// parameter, an inner loop's counter: code like the runtime's tests that
// grow a map while ranging over it adds a fixed set of entries and ignores
// them); for insertions guarded by a condition on the current entry
// (if !strings.HasSuffix(k, "_copy")), which the new entry may fail; and for
// sync.Map.Range, which allows Delete and Store in its callback.
//
// Limitations: the check follows the loop's own variable, so it misses a
// removal of an element the loop reaches another way (the entry's stored
// ent.elem, a key looked up again); it only knows the list of a loop that
// starts at l.Front() or l.Back(), and only matches lists, slices and maps
// spelled through the same variables, fields and package-level variables
// (not through call results, or two parameters that may alias); it does not
// follow removals behind interface methods, function values or goroutines,
// map insertions in helper functions, or loops over iterator functions
// (range over func, maps.Keys). Map insertions of keys computed by other
// functions, or guarded by a condition on the entry (other than a test that
// the derivation applies: i >= 0, n.parent != nil, dir != "."), are real
// bugs when the new entry passes the guard or derives yet another key; the
// check cannot tell them from the correct look-alikes and stays silent. A
// parent reached through a method (n.Parent()) or a key that is not a
// field of the parent node is not followed.
package iterdelete
