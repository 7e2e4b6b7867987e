package a

import (
	"strings"
	"sync"
)

type Stat struct {
	Hits   int
	Last   string
	Nested struct{ N int }
	Arr    [2]int
}

// Map of structs.

func hit(counts map[string]Stat, endpoint string) {
	v := counts[endpoint]
	v.Hits++ // want `v.Hits\+\+ updates a copy of counts\[endpoint\]; the map keeps the old value \(write it back with counts\[endpoint\] = v, or store pointers\)`
}

func touch(counts map[string]Stat, endpoint, when string) {
	v, ok := counts[endpoint]
	if !ok {
		return
	}
	v.Last = when // want `v.Last = when updates a copy of counts\[endpoint\]; the map keeps the old value`
}

func resetAll(counts map[string]Stat) {
	for k, v := range counts {
		v.Hits = 0 // want `v.Hits = 0 updates v, a copy of counts\[k\]; the map keeps the old value \(write it back with counts\[k\] = v, or store pointers\)`
		_ = k
	}
}

func deepen(m map[string]Stat, k string) {
	v := m[k]
	v.Nested.N = 3 // want `v.Nested.N = 3 updates a copy of m\[k\]`
}

func shift(m map[string]Stat, k string) {
	v := m[k]
	v.Arr[1] = v.Arr[0] // want `v.Arr\[1\] = v.Arr\[0\] updates a copy of m\[k\]`
}

// Range value copies.

type Task struct {
	Done  bool
	Tries int
}

func finish(tasks []Task) {
	for _, t := range tasks {
		t.Done = true // want `t.Done = true updates t, a copy of tasks\[i\]; the slice keeps the old value \(update tasks\[i\] through the index, or range over pointers\)`
	}
}

func retry(tasks [4]Task) [4]Task {
	for i, t := range tasks {
		if t.Done {
			continue
		}
		t.Tries++ // want `t.Tries\+\+ updates t, a copy of tasks\[i\]; the array keeps the old value`
		_ = i
	}
	return tasks
}

type Account struct {
	balance int
}

func (a *Account) Credit(n int) { a.balance += n }

func (a *Account) Balance() int { return a.balance }

func payAll(accts []Account, n int) {
	for _, acc := range accts {
		acc.Credit(n) // want `acc.Credit\(n\) updates acc, a copy of accts\[i\] \(Credit has a pointer receiver\); the slice keeps the old value`
	}
}

type Savings struct {
	Account
	Rate int
}

func payInterest(all []Savings) {
	for _, s := range all {
		s.Credit(s.Rate) // want `s.Credit\(s.Rate\) updates s, a copy of all\[i\] \(Credit has a pointer receiver\)`
	}
}

// Elements and pointees.

func again(ts []Task, i int) {
	t := ts[i]
	t.Tries++ // want `t.Tries\+\+ updates a copy of ts\[i\]; the slice keeps the old value \(write it back with ts\[i\] = t, or update ts\[i\] directly\)`
}

func markDone(p *Task) {
	t := *p
	t.Done = true // want `t.Done = true updates a copy of \*p; \*p keeps the old value \(update it through the pointer, or store the copy back\)`
}

var current Task

func markCurrent() {
	t := current
	t.Done = true // want `t.Done = true updates a copy of current; current keeps the old value`
}

// sync.Map values.

func bump(m *sync.Map, key string) {
	v, _ := m.Load(key)
	st := v.(Stat)
	st.Hits++ // want `st.Hits\+\+ updates a copy of a value loaded from m; the sync.Map keeps the old value \(store it back with m.Store\(key, st\), or store pointers\)`
}

func bumpChecked(m *sync.Map, key string) {
	v, ok := m.Load(key)
	if !ok {
		return
	}
	st, ok := v.(Stat)
	if ok {
		st.Hits++ // want `st.Hits\+\+ updates a copy of a value loaded from m`
	}
}

func bumpOrCreate(m *sync.Map, key string) {
	v, _ := m.LoadOrStore(key, Stat{})
	st := v.(Stat)
	st.Hits++ // want `st.Hits\+\+ updates a copy of a value loaded from m; the sync.Map keeps the old value \(store it back with m.Store\(key, st\)`
}

func resetStored(m *sync.Map) {
	m.Range(func(k, v any) bool {
		st := v.(Stat)
		st.Hits = 0 // want `st.Hits = 0 updates a copy of a value loaded from m; the sync.Map keeps the old value \(store it back with m.Store\(k, st\)`
		return true
	})
}

// LoadOrStore whose candidate is used as if it had been stored.

type Conn struct{ open bool }

func (c *Conn) Open()  { c.open = true }
func (c *Conn) Close() { c.open = false }

func connect(conns *sync.Map, addr string) {
	conn := &Conn{}
	conns.LoadOrStore(addr, conn) // want `conns.LoadOrStore\(addr, conn\) drops the value actually stored, but conn is used afterwards as if it were: when addr is already present, conn is not in the map and what is done to it is lost \(use the returned actual value\)`
	conn.Open()
}

func connectLogged(conns *sync.Map, addr string, log func(string)) *Conn {
	conn := &Conn{}
	_, loaded := conns.LoadOrStore(addr, conn) // want `conns.LoadOrStore\(addr, conn\) drops the value actually stored, but conn is used afterwards`
	if loaded {
		log("reusing " + addr)
	}
	return conn
}

func register(groups *sync.Map, name string) map[string]bool {
	members := map[string]bool{}
	_, _ = groups.LoadOrStore(name, members) // want `groups.LoadOrStore\(name, members\) drops the value actually stored, but members is used afterwards`
	members["admin"] = true
	return members
}

// By-value parameters and value receivers.

type User struct {
	Name string
	Age  int
}

func normalize(u User) {
	u.Name = strings.TrimSpace(u.Name) // want `u.Name = strings.TrimSpace\(u.Name\) updates parameter u, a copy of the caller's User, and nothing reads it afterwards: the caller's value is unchanged \(pass a \*User, or return u\)`
}

func birthday(u User, log func(int)) {
	log(u.Age)
	u.Age++ // want `u.Age\+\+ updates parameter u, a copy of the caller's User`
}

type Counter struct {
	n    int
	name string
}

func (c Counter) Inc() {
	c.n++ // want `c.n\+\+ updates value receiver c, a copy of the caller's Counter, and nothing reads it afterwards: the caller's value is unchanged \(use a pointer receiver\)`
}

type Totals struct{ Sum int }

func sum(acc Totals, xs []int) {
	for _, x := range xs {
		acc.Sum += x // want `acc.Sum \+= x updates parameter acc, a copy of the caller's Totals`
	}
}

// Generic code.

func touchGeneric[K comparable](m map[K]Stat, k K) {
	v := m[k]
	v.Hits++ // want `v.Hits\+\+ updates a copy of m\[k\]`
}

type Box[T any] struct {
	Val T
	N   int
}

func countAll[T any](boxes []Box[T]) {
	for _, b := range boxes {
		b.N++ // want `b.N\+\+ updates b, a copy of boxes\[i\]`
	}
}

// A local copy of a parameter, updated and then not used: the rule built
// below takes the parameter, so the line number is lost.
type goRule struct {
	name string
	line int
}

type commentRule struct {
	base goRule
	pat  string
}

func commentRuleAt(proto goRule, pat string, line int) commentRule {
	base := proto
	base.line = line // want `base.line = line updates base, a copy of parameter proto, and nothing reads it afterwards: the update is lost`
	return commentRule{base: proto, pat: pat}
}

func (r goRule) renamedCopy(name string) goRule {
	c := r
	c.name = name // want `c.name = name updates c, a copy of receiver r, and nothing reads it afterwards: the update is lost`
	return r
}

// An update that feeds only further updates, never a test: still lost.
func countNested(msgs [][]byte, opts decodeOptions) {
	for _, m := range msgs {
		if len(m) > 0 && m[0] == '{' {
			opts.depth-- // want `opts.depth-- updates parameter opts, a copy of the caller's decodeOptions`
		} else {
			opts.depth++
		}
	}
}
