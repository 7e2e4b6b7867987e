package a

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Written back, returned, stored, sent, appended, passed on, captured.

func hitBack(counts map[string]Stat, k string) {
	v := counts[k]
	v.Hits++
	counts[k] = v
}

func hitBackLater(counts map[string]Stat, k string, skip bool) {
	v := counts[k]
	v.Hits++
	if skip {
		v.Last = "skipped"
	}
	counts[k] = v
}

func storedBack(m *sync.Map, k string) {
	v, _ := m.Load(k)
	st := v.(Stat)
	st.Hits++
	m.Store(k, st)
}

func returned(counts map[string]Stat, k string) Stat {
	v := counts[k]
	v.Hits++
	return v
}

var last Stat

func stored(counts map[string]Stat, k string) {
	v := counts[k]
	v.Hits++
	last = v
}

func sent(counts map[string]Stat, k string, ch chan<- Stat) {
	v := counts[k]
	v.Hits++
	ch <- v
}

func appended(tasks []Task) []Task {
	var out []Task
	for _, t := range tasks {
		t.Done = true
		out = append(out, t)
	}
	return out
}

func passed(tasks []Task, f func(Task)) {
	for _, t := range tasks {
		t.Tries++
		f(t)
	}
}

func printed(u User) {
	u.Name = "x"
	fmt.Println(u)
}

func captured(tasks []Task) []func() bool {
	var fs []func() bool
	for _, t := range tasks {
		t.Done = true
		fs = append(fs, func() bool { return t.Done })
	}
	return fs
}

func addressed(tasks []Task, f func(*Task)) {
	for _, t := range tasks {
		t.Done = true
		f(&t)
	}
}

// Pointer elements and writes through an index.

func finishPtrs(tasks []*Task) {
	for _, t := range tasks {
		t.Done = true
	}
}

func finishIndexed(tasks []Task) {
	for i := range tasks {
		tasks[i].Done = true
	}
}

func payIndexed(accts []Account) {
	for i := range accts {
		accts[i].Credit(1)
	}
}

// Pointer and reference fields changed in place.

type Shared struct {
	N    *atomic.Int64
	Tags map[string]string
	Seen []bool
	Acc  *Account
}

func addShared(m map[string]Shared, k string) {
	v := m[k]
	v.N.Add(1)
	v.Tags["k"] = "v"
	v.Seen[0] = true
	v.Acc.Credit(1)
}

// Map fields are mapcopy's.

func retag(m map[string]Shared, k string) {
	v := m[k]
	v.Tags = nil
}

// The modified copy is read later.

func trimmed(u User, use func(string)) {
	u.Name = fmt.Sprint(u.Name)
	use(u.Name)
}

func defaulted(u User) int {
	if u.Age == 0 {
		u.Age = 18
	}
	return u.Age
}

func loopUsed(tasks []Task, f func(int)) {
	for _, t := range tasks {
		t.Tries++
		if t.Tries > 3 {
			f(t.Tries)
		}
	}
}

func paramLoop(u User, names []string) int {
	n := 0
	for _, name := range names {
		if u.Name != name {
			u.Name = name
			n++
		}
	}
	return n
}

func getterAfter(accts []Account) int {
	total := 0
	for _, acc := range accts {
		acc.Credit(1)
		total += acc.Balance()
	}
	return total
}

func deferred(u User) {
	u.Name = "x"
	defer fmt.Println(u.Name)
}

// Getters are not writes.

func total(accts []Account) int {
	n := 0
	for _, acc := range accts {
		n += acc.Balance()
	}
	return n
}

// LoadOrStore used as a set, with its actual value used, or checked.

func seen(m *sync.Map, k string) bool {
	_, loaded := m.LoadOrStore(k, struct{}{})
	return loaded
}

func connectActual(conns *sync.Map, addr string) *Conn {
	actual, _ := conns.LoadOrStore(addr, &Conn{})
	c := actual.(*Conn)
	c.Open()
	return c
}

func connectChecked(conns *sync.Map, addr string) {
	conn := &Conn{}
	if _, loaded := conns.LoadOrStore(addr, conn); !loaded {
		conn.Open()
	}
}

func connectOrDiscard(conns *sync.Map, addr string) {
	conn := &Conn{}
	_, loaded := conns.LoadOrStore(addr, conn)
	if loaded {
		conn.Close()
	} else {
		conn.Open()
	}
}

func connectSwapped(conns *sync.Map, addr string) *Conn {
	conn := &Conn{}
	if actual, loaded := conns.LoadOrStore(addr, conn); loaded {
		conn = actual.(*Conn)
	}
	conn.Open()
	return conn
}

func storeValue(m *sync.Map, k string) Stat {
	s := Stat{Hits: 1}
	m.LoadOrStore(k, s)
	return s
}

func storeOnly(m *sync.Map, k string) {
	c := &Conn{}
	c.Open()
	m.LoadOrStore(k, c)
}

// Overwritten before any read: a plain dead store.

func overwritten(counts map[string]Stat, k string) {
	v := counts[k]
	v.Hits = 1
	v.Hits = 2
	counts[k] = v
}

// Not copies.

func local() {
	var s Stat
	s.Hits = 1
}

func literal() {
	s := Stat{}
	s.Hits++
}

func fromCall(f func() Stat) {
	s := f()
	s.Hits++
}

// Pointer receivers and parameters.

func (c *Counter) IncPtr() { c.n++ }

func normalizePtr(u *User) { u.Name = "x" }

// Builders.

func (c Counter) Named(name string) Counter {
	c.name = name
	return c
}

// Dying on the way to a panic is not the bug.

func failing(counts map[string]Stat, k string) {
	v := counts[k]
	v.Hits++
	panic("unreachable")
}

// Method values keep the copy.

func bound(accts []Account) []func(int) {
	var fs []func(int)
	for _, acc := range accts {
		fs = append(fs, acc.Credit)
	}
	return fs
}

// The address of one field reaches the whole copy (reflect does this with
// an embedded first field and unsafe).

type header struct{ Kind int }

type chanType struct {
	header
	Dir int
}

func toHeader(h *header) int { return h.Kind }

func makeChan(prototype *chanType, dir int) int {
	ch := *prototype
	ch.Dir = dir
	return toHeader(&ch.header)
}

// A pointer method called for its other effects, or whose result is used.

type Resource struct{ Length int }

func (r *Resource) fixLen(msg []byte, n int) error {
	msg[0] = byte(n)
	r.Length = n
	return nil
}

func (r *Resource) grow(n int) bool {
	r.Length += n
	return r.Length > 10
}

func pack(h Resource, msg []byte) error {
	if err := h.fixLen(msg, len(msg)); err != nil {
		return err
	}
	return nil
}

func growAll(rs []Resource) int {
	n := 0
	for _, r := range rs {
		if r.grow(1) {
			n++
		}
	}
	return n
}

// Dropping a reference once done with it.

type Trace struct{ Strings []string }

func convert(tr Trace, out map[string]bool) {
	for _, s := range tr.Strings {
		out[s] = true
	}
	tr.Strings = nil
}

// A local copy of a parameter, updated and used.
func commentRuleUsed(proto goRule, pat string, line int) commentRule {
	base := proto
	base.line = line
	return commentRule{base: base, pat: pat}
}

// A depth limit carried in a by-value options parameter: the increment when
// a nested message ends is read back by the next decrement's test.
type decodeOptions struct {
	depth int
	loose bool
}

func validateNested(msgs [][]byte, opts decodeOptions) bool {
	if opts.depth--; opts.depth < 0 {
		return false
	}
	for _, m := range msgs {
		if len(m) > 0 && m[0] == '{' {
			if opts.depth--; opts.depth < 0 {
				return false
			}
			continue
		}
		if len(m) > 0 && m[0] == '}' {
			opts.depth++
		}
	}
	return true
}
