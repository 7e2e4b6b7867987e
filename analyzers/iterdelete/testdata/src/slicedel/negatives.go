package slicedel

import "slices"

// The index stepped back after the deletion.
func dropDecrement(s []item) []item {
	for i := 0; i < len(s); i++ {
		if s[i].dead {
			s = append(s[:i], s[i+1:]...)
			i--
		}
	}
	return s
}

func dropMinusEquals(s []item) []item {
	for i := 0; i < len(s); i++ {
		if s[i].dead {
			s = slices.Delete(s, i, i+1)
			i -= 1
		}
	}
	return s
}

func dropCopyDecrement(s []item) []item {
	for i := 0; i < len(s); i++ {
		if s[i].dead {
			copy(s[i:], s[i+1:])
			s = s[:len(s)-1]
			i--
		}
	}
	return s
}

func dropSwapDecrement(s []item) []item {
	for i := 0; i < len(s); i++ {
		if s[i].dead {
			s[i] = s[len(s)-1]
			s = s[:len(s)-1]
			i--
		}
	}
	return s
}

// The index advanced only when nothing was deleted.
func dropElse(s []item) []item {
	for i := 0; i < len(s); {
		if s[i].dead {
			s = append(s[:i], s[i+1:]...)
		} else {
			i++
		}
	}
	return s
}

func dropContinueNoAdvance(s []item) []item {
	i := 0
	for i < len(s) {
		if s[i].dead {
			s = slices.Delete(s, i, i+1)
			continue
		}
		i++
	}
	return s
}

// The advance decided by a flag set with the deletion.
func dropFlag(s []item) []item {
	for i := 0; i < len(s); {
		deleted := false
		if s[i].dead {
			s = append(s[:i], s[i+1:]...)
			deleted = true
		}
		if !deleted {
			i++
		}
	}
	return s
}

// Backwards: the shifted elements were already visited.
func dropBackwards(s []item) []item {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i].dead {
			s = append(s[:i], s[i+1:]...)
		}
	}
	return s
}

func dropBackwardsSlicesDelete(s []item) []item {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i].dead {
			s = slices.Delete(s, i, i+1)
		}
	}
	return s
}

// The filter-in-place idiom.
func filter(s []item) []item {
	n := 0
	for _, x := range s {
		if !x.dead {
			s[n] = x
			n++
		}
	}
	return s[:n]
}

func filterIndex(s []item) []item {
	n := 0
	for i := 0; i < len(s); i++ {
		if !s[i].dead {
			s[n] = s[i]
			n++
		}
	}
	clear(s[n:])
	s = s[:n]
	return s
}

// slices.DeleteFunc.
func filterFunc(s []item) []item {
	return slices.DeleteFunc(s, func(x item) bool { return x.dead })
}

// Leaving the loop right after the deletion.

func removeFirst(s []string, x string) []string {
	for i := range s {
		if s[i] == x {
			return append(s[:i], s[i+1:]...)
		}
	}
	return s
}

func removeFirstAssign(s []string, x string) []string {
	for i := range s {
		if s[i] == x {
			s = append(s[:i], s[i+1:]...)
			break
		}
	}
	return s
}

func removeFirstIndex(s []string, x string) []string {
	for i := 0; i < len(s); i++ {
		if s[i] == x {
			s = slices.Delete(s, i, i+1)
			return s
		}
	}
	return s
}

func removeOrPanic(s []string, x string) []string {
	for i := 0; i < len(s); i++ {
		if s[i] == x {
			s = slices.Delete(s, i, i+1)
			panic("found")
		}
	}
	return s
}

// Deleting another index than the current one.

func dropNext(s []string) []string {
	for i := 0; i+1 < len(s); i++ {
		if s[i+1] == "" {
			s = append(s[:i+1], s[i+2:]...)
		}
	}
	return s
}

func dropAt(s []string, k int) []string {
	for i := 0; i < len(s); i++ {
		if i == 0 && k < len(s) {
			s = append(s[:k], s[k+1:]...)
		}
	}
	return s
}

// Building a new slice without element i: s is not shrunk.
func without(s []string) [][]string {
	var out [][]string
	for i := range s {
		rest := append(s[:i:i], s[i+1:]...)
		out = append(out, rest)
	}
	return out
}

func withoutClone(s []string) [][]string {
	var out [][]string
	for i := range s {
		out = append(out, slices.Delete(slices.Clone(s), i, i+1))
	}
	return out
}

// Deleting from a different slice than the one changed by the loop.
func dropOther(s, t []string) []string {
	var u []string
	for i := 0; i < len(s); i++ {
		u = append(t[:i], t[i+1:]...)
	}
	return u
}

// Shrinking from the end is not a deletion at i.
func pop(s []string) []string {
	for i := 0; i < len(s); i++ {
		if s[len(s)-1] == "" {
			s = s[:len(s)-1]
		}
	}
	return s
}

// A queue consumed from the front.
func consume(queue []string, visit func(string) []string) {
	for len(queue) > 0 {
		head := queue[0]
		queue = queue[1:]
		queue = append(queue, visit(head)...)
	}
}

// Appending, not deleting.
func grow(s []string) []string {
	for i := 0; i < len(s); i++ {
		if s[i] == "dup" {
			s = append(s[:i+1], s[i:]...)
			i++
		}
	}
	return s
}

// A field replaced by the loop: deleting from the old one and storing elsewhere.
func (r *Registry) snapshot() [][]item {
	var out [][]item
	for i := 0; i < len(r.items); i++ {
		out = append(out, append(r.items[:i:i], r.items[i+1:]...))
	}
	return out
}

// Removing the deleted element from a copy kept by the loop body only.
func dropLocalCopy(s []item) {
	for i := 0; i < len(s); i++ {
		t := s
		t = append(t[:i], t[i+1:]...)
		_ = t
	}
}

// Restarting the scan after a deletion.
func dropRestart(s []item) []item {
	for i := 0; i < len(s); i++ {
		if s[i].dead {
			s = append(s[:i], s[i+1:]...)
			i = -1
		}
	}
	return s
}

// Deleting from an inner slice that the loop does not index.
func dropInner(groups [][]item) {
	for i := 0; i < len(groups); i++ {
		g := groups[i]
		for j := 0; j < len(g); j++ {
			if g[j].dead {
				g = append(g[:j], g[j+1:]...)
				j--
			}
		}
		groups[i] = g
	}
}

// Ranging over a copy while deleting from the original: the loop's index
// follows the copy, and the code shifts later indexes by hand.
func (r *Registry) removeNth(name string, nth int) {
	snapshot := slices.Clone(r.items)
	seen := 0
	for i, it := range snapshot {
		if it.name != name {
			continue
		}
		if seen == nth {
			r.items = append(r.items[:i], r.items[i+1:]...)
		} else if seen > nth {
			r.items[i-1].dead = true
		}
		seen++
	}
}
