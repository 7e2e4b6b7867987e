// Package bank has pointer methods that package payroll calls on copies.
package bank

type Account struct {
	ID      string
	balance int
}

func (a *Account) Deposit(n int) { a.balance += n }

func (a *Account) Balance() int { return a.balance }

var open []*Account

func (a *Account) Open() { a.balance = 0; open = append(open, a) }
