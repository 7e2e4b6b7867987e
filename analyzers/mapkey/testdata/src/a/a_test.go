package a

import (
	"math"
	"testing"
)

// Tests that probe the runtime's behaviour on purpose are not reported.
func TestNaNKeys(t *testing.T) {
	m := map[float64]int{}
	m[math.NaN()] = 1
	m[math.NaN()] = 2
	if len(m) != 2 {
		t.Fatal("NaN keys should not collide")
	}
}

func TestUnhashablePanics(t *testing.T) {
	defer func() { _ = recover() }()
	m := map[any]int{}
	m[[]int{1}] = 1
	t.Fatal("no panic")
}
