package a

import "testing"

// In tests a panic is a test failure: not reported.
func TestUser(t *testing.T) {
	users.Store("ann", &User{Name: "Ann"})
	v, _ := users.Load("ann")
	if v.(*User).Name != "Ann" {
		t.Fatal("wrong user")
	}
}
