package a

import (
	"fmt"
	"sync"
)

// LoadOrStore candidates used only where the code knows they were stored,
// or not worked on.

func dialChecked(conns *sync.Map, addr string) *Conn {
	c := &Conn{}
	v, loaded := conns.LoadOrStore(addr, c)
	if !loaded {
		c.Open()
	}
	return v.(*Conn)
}

func dialEarlyReturn(conns *sync.Map, addr string) *Conn {
	c := &Conn{}
	v, loaded := conns.LoadOrStore(addr, c)
	if loaded {
		return v.(*Conn)
	}
	c.Open()
	return c
}

func dialCompared(conns *sync.Map, addr string) *Conn {
	c := &Conn{}
	v, _ := conns.LoadOrStore(addr, c)
	if got := v.(*Conn); got != c {
		c.Close()
		return got
	}
	c.Open()
	return c
}

func dialActual(conns *sync.Map, addr string) *Conn {
	c := &Conn{}
	v, _ := conns.LoadOrStore(addr, c)
	got := v.(*Conn)
	got.Open()
	return got
}

func dialPrinted(conns *sync.Map, addr string) *Conn {
	c := &Conn{}
	v, _ := conns.LoadOrStore(addr, c)
	fmt.Println("candidate", c)
	return v.(*Conn)
}

func dialPrepared(conns *sync.Map, addr string) *Conn {
	c := &Conn{}
	c.Open()
	v, _ := conns.LoadOrStore(addr, c)
	return v.(*Conn)
}
