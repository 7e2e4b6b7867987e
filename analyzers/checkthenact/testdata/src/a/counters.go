package a

import (
	"sync"
	"sync/atomic"
)

// An entry whose own atomic counter decides its removal: the counter makes
// each step atomic, not the Load and the Delete together.

var inFlight sync.Map // address -> *atomic.Int64

func begin(addr string) {
	v, _ := inFlight.LoadOrStore(addr, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}

func end(addr string) {
	if v, ok := inFlight.Load(addr); ok {
		if v.(*atomic.Int64).Add(-1) <= 0 {
			inFlight.Delete(addr) // want `lost renewal: this Delete is decided by a counter in the value Load returned, but another goroutine can load the same value and count it up in between, and this Delete then removes an entry in use; the atomic counter does not make the read and the Delete one step \(CompareAndDelete does not help, the value is the same: take a lock around both, or keep the entry\)`
		}
	}
}

type refs struct {
	n    atomic.Int32
	name string
}

var open sync.Map // name -> *refs

func release(name string) {
	v, ok := open.Load(name)
	if !ok {
		return
	}
	if r := v.(*refs); r.n.Add(-1) == 0 {
		open.Delete(name) // want `lost renewal: this Delete is decided by a counter in the value Load returned`
	}
}

// Look-alikes: the lock that every user of the map takes makes the pair one
// step; a counter of another object does not decide about this entry.

var (
	countedUnderLock sync.Map
	countedMu        sync.Mutex
)

func endGuarded(addr string) {
	countedMu.Lock()
	defer countedMu.Unlock()
	if v, ok := countedUnderLock.Load(addr); ok && v.(*atomic.Int64).Add(-1) <= 0 {
		countedUnderLock.Delete(addr)
	}
}
