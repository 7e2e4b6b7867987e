package a

import "sync"

// LoadOrStore candidates worked on after the call, whose actual value the
// code uses: when the key was present, the work goes to a discarded value.

func setup(c *Conn) { c.Open() }

func dial(conns *sync.Map, addr string) *Conn {
	c := &Conn{}
	v, _ := conns.LoadOrStore(addr, c)
	c.Open() // want `c.Open\(\) works on c, the candidate of conns.LoadOrStore\(addr, c\), without checking whether it was stored: when addr is already present, LoadOrStore returns the stored value and the work is lost on c \(do it on the returned value, or only when not loaded\)`
	return v.(*Conn)
}

func dialLogged(conns *sync.Map, addr string, log func(string)) *Conn {
	c := &Conn{}
	v, loaded := conns.LoadOrStore(addr, c)
	if loaded {
		log("reusing " + addr)
	}
	c.Open() // want `c.Open\(\) works on c, the candidate of conns.LoadOrStore\(addr, c\)`
	return v.(*Conn)
}

func dialMarked(conns *sync.Map, addr string) *Conn {
	c := &Conn{}
	v, _ := conns.LoadOrStore(addr, c)
	c.open = true // want `c.open = true works on c, the candidate of conns.LoadOrStore\(addr, c\)`
	return v.(*Conn)
}

func dialSetup(conns *sync.Map, addr string) any {
	c := &Conn{}
	v, loaded := conns.LoadOrStore(addr, c)
	setup(c) // want `setup\(c\) works on c, the candidate of conns.LoadOrStore\(addr, c\)`
	_ = loaded
	return v
}
