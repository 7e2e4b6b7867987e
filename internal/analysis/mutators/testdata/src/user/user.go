package user

import "bank"

type Wallet struct { // want Wallet:"mutating Bump Fund"
	acc  bank.Account
	accp *bank.Account
	n    int
}

func (w *Wallet) Fund(n int) { w.acc.Credit(n) } // want Fund:"mutates"

func (w *Wallet) FundShared(n int) { w.accp.Credit(n) }

func (w *Wallet) Peek() int { return w.acc.Balance() }

func (w *Wallet) Leaky() { w.acc.Register() }

func (w *Wallet) bump() { w.n++ }

func (w *Wallet) Bump() { w.bump() } // want Bump:"mutates"
