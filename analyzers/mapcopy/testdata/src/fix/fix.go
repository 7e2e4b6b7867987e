package fix

type counter struct {
	counts map[string]int
}

func (c counter) add(k string) {
	if c.counts == nil {
		c.counts = make(map[string]int) // want `c.counts = make\(map\[string\]int\) assigns to a copy`
	}
	c.counts[k]++
}

func (c counter) reset() {
	c.counts = nil // want `c.counts = nil assigns to a copy`
}

func (c *counter) get(k string) int { return c.counts[k] }

// Exported type and method: other packages may rely on the value method set.

type Cache struct {
	m map[string]string
}

func (c Cache) Put(k, v string) {
	if c.m == nil {
		c.m = map[string]string{} // want `c.m = map\[string\]string\{\} assigns to a copy`
	}
	c.m[k] = v
}

// Converted to an interface that needs the method.

type resetter interface{ clear() }

type pool struct {
	free map[int]bool
}

func (p pool) clear() {
	p.free = nil // want `p.free = nil assigns to a copy`
}

var _ resetter = pool{}

// Called on a value that is not addressable.

type shard struct {
	m map[string]int
}

func (s shard) reset() {
	s.m = nil // want `s.m = nil assigns to a copy`
}

func resetShard(shards map[string]shard) { shards["a"].reset() }

// The whole receiver is used.

type entry struct {
	tags map[string]string
	name string
}

func (e entry) retag() string {
	name := describe(e)
	e.tags = nil // want `e.tags = nil assigns to a copy`
	return name
}

func describe(e entry) string { return e.name }

func (e entry) named() entry { return e }

// Range values.

type server struct {
	name string
	tags map[string]string
}

func clearAll(servers []server) {
	for _, s := range servers {
		s.tags = nil // want `s.tags = nil assigns to a copy \(range value s\): servers\[i\].tags is unchanged`
	}
}

func clearSome(servers []server, skip string) {
	for i, s := range servers {
		if s.name == skip {
			continue
		}
		s.tags = map[string]string{"n": string(rune('a' + i))} // want `s.tags = map\[string\]string\{…\} assigns to a copy`
	}
}

func clearWithI(servers []server, i int) {
	for _, s := range servers {
		s.tags = map[string]string{"i": string(rune(i))} // want `s.tags = .* assigns to a copy`
	}
}

func clearPassed(servers []server, log func(server)) {
	for _, s := range servers {
		log(s)
		s.tags = nil // want `s.tags = nil assigns to a copy`
	}
}
