package bank

import "sync"

var registry []*Account

type Account struct { // want Account:"mutating Credit Debit Locked Nested Record Replace"
	mu      sync.Mutex
	balance int
	history [4]int
	owner   *Owner
	inner   struct{ n int }
	tags    map[string]string
	items   []int
}

type Owner struct{ Name string }

func (a *Account) Credit(n int) { a.balance += n } // want Credit:"mutates"

func (a *Account) Debit(n int) { a.Credit(-n) } // want Debit:"mutates"

func (a *Account) Record(i, n int) { a.history[i] = n } // want Record:"mutates"

func (a *Account) Nested() { a.inner.n++ } // want Nested:"mutates"

func (a *Account) Replace(b Account) { *a = b } // want Replace:"mutates"

func (a *Account) Locked(n int) { // want Locked:"mutates"
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance = n
}

// Not mutators: reads, writes through pointer, slice or map fields, leaks.

func (a *Account) Balance() int { return a.balance }

func (a *Account) Rename(s string) { a.owner.Name = s }

func (a *Account) Tag(k, v string) { a.tags[k] = v }

func (a *Account) SetFirst(v int) { a.items[0] = v }

func (a *Account) Register() { a.balance = 0; registry = append(registry, a) }

func (a *Account) Self() *Account { a.balance = 1; return a }

func (a *Account) Later() func() { return func() { a.balance++ } }

func (a *Account) Addr() *int { a.balance = 2; return &a.balance }

func (a *Account) RegisterVia() { a.balance = 3; a.Register() }

func (a Account) Value() { a.balance = 4 }

func (a *Account) IsNil() bool { return a == nil }

func (a *Account) unexported() { a.balance = 5 }
