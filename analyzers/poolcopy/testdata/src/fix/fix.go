// Package fix has the copies whose fix is mechanical: the copied element,
// field or variable is addressable, so the variable can point at it.
package fix

import "sync/atomic"

type server struct {
	current atomic.Value
	slots   []atomic.Value
	byIndex [4]slot
}

type slot struct {
	val  atomic.Value
	name string
}

var fallback atomic.Value

func (s *server) reload(cfg any) {
	cur := s.current // want `^cur := s.current copies the stored atomic.Value: Store on the copy is lost; use the field's address, &s.current$`
	cur.Store(cfg)
}

func (s *server) set(i int, cfg any) any {
	v := s.slots[i] // want `^v := s.slots\[i\] copies the stored atomic.Value: CompareAndSwap and Swap on the copy are lost; use the element's address, &s.slots\[i\]$`
	if v.CompareAndSwap(nil, cfg) {
		return nil
	}
	return v.Swap(cfg)
}

func (s *server) rename(i int, name string, cfg any) {
	sl := s.byIndex[i] // want `^sl := s.byIndex\[i\] copies the stored slot and the atomic.Value in its field val: Store on the copy is lost; use the element's address, &s.byIndex\[i\]$`
	if sl.name == name {
		sl.val.Store(cfg)
	}
}

func resetFallback() {
	v := fallback // want `^v := fallback copies the stored atomic.Value: Store on the copy is lost; use the variable's address, &fallback$`
	v.Store(nil)
}

// Assigned twice: no fix, the second assignment would need one too.
func (s *server) twice(i int, cfg any) {
	v := s.slots[i] // want `copies the stored atomic.Value`
	if i > 0 {
		v = s.slots[i-1]
	}
	v.Store(cfg)
}
