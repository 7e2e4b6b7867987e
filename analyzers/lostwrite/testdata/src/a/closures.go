package a

import (
	"slices"
	"sort"
)

// Range copies captured by a closure that runs only during the iteration.

type Member struct{ Name string }

type Group struct {
	Name    string
	Members []Member
	Sorted  bool
	Owner   string
	Valid   bool
}

func keepIf[T any](s []T, keep func(T) bool) []T {
	var out []T
	for _, x := range s {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

func allowed(m Member, g Group) bool { return m.Name != g.Name }

func prune(groups []Group) {
	for _, g := range groups {
		g.Members = keepIf(g.Members, func(m Member) bool { return allowed(m, g) }) // want `g.Members = keepIf\(\.\.\.\) updates g, a copy of groups\[i\]; the slice keeps the old value`
	}
}

func sortMembers(groups map[string]Group) {
	for _, g := range groups {
		sort.Slice(g.Members, func(i, j int) bool { return g.Members[i].Name < g.Members[j].Name })
		g.Sorted = true // want `g.Sorted = true updates g, a copy of groups\[k\]; the map keeps the old value`
	}
}

func dropOwner(groups []Group) {
	for _, g := range groups {
		g.Members = slices.DeleteFunc(g.Members, func(m Member) bool { return m.Name == g.Owner }) // want `updates g, a copy of groups\[i\]`
	}
}

func validate(groups []Group) {
	for _, g := range groups {
		ok := func() bool { return g.Owner != "" }()
		g.Valid = ok // want `g.Valid = ok updates g, a copy of groups\[i\]`
	}
}

func validateNamed(groups []Group) {
	for _, g := range groups {
		hasOwner := func() bool { return g.Owner != "" }
		if hasOwner() {
			g.Valid = true // want `g.Valid = true updates g, a copy of groups\[i\]`
		}
	}
}

// Put back something else than what was there: still lost.
func renameTwice(g Group, names []string, use func(Group)) {
	first := g.Owner
	for _, n := range names {
		g.Name = n
		use(g)
	}
	g.Name = first // want `g.Name = first updates parameter g, a copy of the caller's Group`
}
