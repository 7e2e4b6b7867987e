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
// Nested loops that remove duplicates (the inner j loop) are the same bug.
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
// A range over a map that assigns to a key of that same map other than the
// current one may add an entry during the iteration; the spec leaves it
// unspecified whether the loop visits it, so the result can change from run
// to run. Collect the new entries in a second map and copy them in after
// the loop.
//
// The check stays silent when the successor was saved before the removal;
// when the removal is followed by break, return, goto out of the loop, a
// panic or os.Exit; when the removed element belongs to a different list;
// when the index is decremented after the deletion or not advanced on that
// path, the loop runs backwards, or the slice is filtered in place; for
// delete(m, k) and m[k] = v on the current key during a range, and for
// assignments to keys the code has just found in the map; and for
// sync.Map.Range, which allows Delete and Store in its callback.
//
// It cannot see a removal when the removed element is not the loop's
// variable itself (for instance an element stored in the entry, ent.elem),
// when the list, slice or map is reached through a call result or through
// two different variables, when the removal happens behind an interface
// method, a function value or a goroutine, or in iterators (range over
// func). Map insertions in helper functions are not followed.
package iterdelete
