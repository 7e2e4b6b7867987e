// Package errgroup is a stand-in for golang.org/x/sync/errgroup with the
// methods the check knows.
package errgroup

type Group struct{}

func (g *Group) Go(f func() error)         { go f() }
func (g *Group) TryGo(f func() error) bool { go f(); return true }
func (g *Group) Wait() error               { return nil }
