package a

// Range copies captured by closures that outlive the iteration, write the
// copy, or read the field after the write.

var hooks []func() bool

func keep(f func() bool) { hooks = append(hooks, f) }

func forward(s []Member, f func(Member) bool) []Member { return keepIf(s, f) }

func pruneKept(groups []Group) {
	for _, g := range groups {
		g.Valid = true
		keep(func() bool { return g.Valid })
	}
}

func pruneForwarded(groups []Group) {
	for _, g := range groups {
		g.Members = forward(g.Members, func(m Member) bool { return allowed(m, g) })
	}
}

func pruneDeferred(groups []Group) {
	for _, g := range groups {
		g.Valid = true
		defer func() { println(g.Valid) }()
	}
}

func pruneAsync(groups []Group, done chan bool) {
	for _, g := range groups {
		g.Valid = true
		go func() { done <- g.Valid }()
	}
}

func readAfter(groups []Group) int {
	n := 0
	for _, g := range groups {
		g.Members = keepIf(g.Members, func(m Member) bool { return allowed(m, g) })
		count := func() int { return len(g.Members) }
		n += count()
	}
	return n
}

func writtenInside(groups []Group) {
	for _, g := range groups {
		g.Valid = true
		func() { g.Owner = "root" }()
	}
}

func addressInside(groups []Group, f func(*Group)) {
	for _, g := range groups {
		g.Valid = true
		func() { f(&g) }()
	}
}

func closuresReturned(groups []Group) []func() string {
	var fs []func() string
	for _, g := range groups {
		g.Owner = "root"
		f := func() string { return g.Owner }
		fs = append(fs, f)
	}
	return fs
}

// A field changed for a while and put back: the copy's change is undone,
// and the original never saw either.
func withServerName(g Group, names []string, use func(Group)) {
	old := g.Name
	for _, n := range names {
		g.Name = n
		use(g)
	}
	g.Name = old
}
