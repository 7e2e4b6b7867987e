package payroll

import "bank"

func pay(accounts []bank.Account, amount int) {
	for _, a := range accounts {
		a.Deposit(amount) // want `a.Deposit\(amount\) updates a, a copy of accounts\[i\] \(Deposit has a pointer receiver\); the slice keeps the old value`
	}
}

func balances(accounts []bank.Account) (total int) {
	for _, a := range accounts {
		total += a.Balance()
	}
	return total
}

func reopen(accounts []bank.Account) {
	for _, a := range accounts {
		a.Open() // keeps its receiver: not reported
	}
}
