// A command: its exported functions have no callers outside it.
package main

var memo = map[string]int{}

func Lookup(k string) int {
	if v, ok := memo[k]; ok {
		return v
	}
	memo[k] = len(k)
	return memo[k]
}

func main() { Lookup("x") }
