package a

import (
	"log"
	"sync"
	"sync/atomic"
)

// Conventions of server code: the caller holds the lock, said in the doc
// comment; logging through the server's own logger methods.

type server struct {
	mu       sync.Mutex
	accounts sync.Map // name -> *entry
	marks    sync.Map // name -> struct{}
}

func (s *server) Errorf(format string, args ...any) { log.Printf(format, args...) }

// registerNoLock registers e. Lock should be held on entry.
func (s *server) registerNoLock(name string, e *entry) *entry {
	if v, ok := s.accounts.Load(name); ok {
		return v.(*entry)
	}
	s.accounts.Store(name, e)
	return e
}

// addAccount must be called with s.mu held.
func (s *server) addAccount(name string, e *entry) {
	if _, ok := s.accounts.Load(name); !ok {
		s.accounts.Store(name, e)
	}
}

// clearMark reports a mark once; logging twice loses nothing.
func (s *server) clearMark(name string) {
	if _, ok := s.marks.Load(name); ok {
		s.marks.Delete(name)
		s.Errorf("account %s had issues", name)
	}
}

// Look-alikes that stay reported: a doc comment that does not say the
// caller holds the lock, and work that is not logging.

// registerSelf registers e; the lock should not be held.
func (s *server) registerSelf(name string, e *entry) *entry {
	if v, ok := s.accounts.Load(name); ok {
		return v.(*entry)
	}
	s.accounts.Store(name, e) // want `lost insert`
	return e
}

func (s *server) notify(name string) {}

func (s *server) clearAndNotify(name string) {
	if _, ok := s.marks.Load(name); ok {
		s.marks.Delete(name) // want `double take`
		s.notify(name)
	}
}

type gatewayConn struct {
	outsim sync.Map // account -> *entry, or nil for no interest
}

// markNoInterest records that the remote has no interest in acc.
// <Invoked from outbound connection's readLoop>
func (c *gatewayConn) markNoInterest(acc string) {
	if v, ok := c.outsim.Load(acc); ok && v == nil {
		return
	}
	c.outsim.Store(acc, nil)
}

// clearNoInterest is called from many goroutines: reported.
func (c *gatewayConn) clearNoInterest(acc string) {
	if v, ok := c.outsim.Load(acc); ok && v != nil && v.(*entry).expired() {
		c.outsim.Delete(acc) // want `lost renewal`
	}
}

// The same without the comment: reported.
func (c *gatewayConn) markNoInterestAnywhere(acc string) {
	v, _ := c.outsim.Load(acc)
	if v == nil {
		c.outsim.Store(acc, &entry{}) // want `lost insert`
	}
}

// <Invoked from outbound connection's readLoop>
func (c *gatewayConn) markInLoop(acc string) {
	v, _ := c.outsim.Load(acc)
	if v == nil {
		c.outsim.Store(acc, &entry{})
	}
}

// A memo of a permission check: every goroutine computes the same answer
// from the subject and the client's permissions; pruning the cache when
// its counter crosses a limit is maintenance, not work done once per key.

type sublist struct{ subs []string }

func (s *sublist) numInterest(subject string) int {
	n := 0
	for _, x := range s.subs {
		if x == subject {
			n++
		}
	}
	return n
}

type perms struct {
	allow, deny *sublist
	pcache      sync.Map // subject -> bool
	pcsz        atomic.Int32
}

type permClient struct{ perms *perms }

func (c *permClient) prune() {}

func (c *permClient) pubAllowed(subject string) bool {
	if v, ok := c.perms.pcache.Load(subject); ok {
		return v.(bool)
	}
	allowed := true
	if c.perms.allow != nil {
		allowed = c.perms.allow.numInterest(subject) != 0
	}
	if allowed && c.perms.deny != nil {
		allowed = c.perms.deny.numInterest(subject) == 0
	}
	c.perms.pcache.Store(subject, allowed)
	if n := c.perms.pcsz.Add(1); n > 1000 {
		c.prune()
	}
	return allowed
}
