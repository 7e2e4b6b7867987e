package fixslices

import "slices"

type job struct{ done bool }

func dropAppend(s []job) []job {
	for i := 0; i < len(s); i++ {
		if s[i].done {
			s = append(s[:i], s[i+1:]...) // want `deletes s\[i\] inside a loop that then advances i`
		}
	}
	return s
}

func dropSlicesDelete(s []job) []job {
	for i := 0; i < len(s); i++ {
		if s[i].done {
			s = slices.Delete(s, i, i+1) // want `deletes s\[i\] inside a loop that then advances i`
			continue
		}
		s[i].done = true
	}
	return s
}

func dropCopy(s []*job) []*job {
	for i := 0; i < len(s); i++ {
		if s[i].done {
			copy(s[i:], s[i+1:]) // want `deletes s\[i\] inside a loop that then advances i`
			s[len(s)-1] = nil
			s = s[:len(s)-1]
		}
	}
	return s
}

func dropSwap(s []job) []job {
	for i := 0; i < len(s); i++ {
		if s[i].done {
			s[i] = s[len(s)-1] // want `moves the last element into s\[i\] inside a loop that then advances i`
			s = s[:len(s)-1]
		}
	}
	return s
}

func dedupe(s []string) []string {
	for i := 0; i < len(s); i++ {
		for j := i + 1; j < len(s); j++ {
			if s[i] == s[j] {
				s = append(s[:j], s[j+1:]...) // want `deletes s\[j\] inside a loop that then advances j`
			}
		}
	}
	return s
}

type queue struct{ jobs []job }

func (q *queue) prune() {
	for i := 0; i < len(q.jobs); i++ {
		if q.jobs[i].done {
			q.jobs = slices.Delete(q.jobs, i, i+1) // want `deletes q\.jobs\[i\] inside a loop that then advances i`
		}
	}
}

// No fix: range evaluates the length once.
func dropRange(s []job) []job {
	for i := range s {
		if s[i].done {
			s = append(s[:i], s[i+1:]...) // want `deletes s\[i\] while ranging over s`
		}
	}
	return s
}

// No fix: the length is cached, i-- would run past the end.
func dropCached(s []job) []job {
	n := len(s)
	for i := 0; i < n; i++ {
		if s[i].done {
			s = append(s[:i], s[i+1:]...) // want `deletes s\[i\] inside a loop that then advances i`
		}
	}
	return s
}

// No fix: the index is used after the deletion.
func dropLogged(s []job, log func(int)) []job {
	for i := 0; i < len(s); i++ {
		if s[i].done {
			s = append(s[:i], s[i+1:]...) // want `deletes s\[i\] inside a loop that then advances i`
			log(i)
		}
	}
	return s
}

// No fix: a while-style loop.
func dropWhile(s []job) []job {
	i := 0
	for i < len(s) {
		if s[i].done {
			s = append(s[:i], s[i+1:]...) // want `deletes s\[i\] inside a loop that then advances i`
		}
		i++
	}
	return s
}

// Inside an inner loop, i-- would let the inner loop go on with the
// previous element: no fix.
func dropInner(s []job, drop []int) []job {
	for i := 0; i < len(s); i++ {
		for _, x := range drop {
			if x == i {
				s = append(s[:i], s[i+1:]...) // want `deletes s\[i\] inside a loop that then advances i`
			}
		}
	}
	return s
}
