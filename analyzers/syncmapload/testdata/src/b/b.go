package b

import (
	"fmt"

	"lookup"
)

type Session struct{ User string }

func use(c *lookup.Cache, id string) {
	v, _ := c.Get(id)
	fmt.Println(v.(*Session).User) // want `type assertion to \*Session panics when the key is missing: Cache.Get \(a wrapper of Load\) returns nil then, and its ok result is not checked first`

	fmt.Println(c.Value(id).(*Session).User) // want `Cache.Value \(a wrapper of Load\) returns nil then`

	w, _ := lookup.Take(c, id)
	fmt.Println(w.(*Session).User) // want `Take \(a wrapper of Load\) returns nil then`

	_, x := c.Pop(id)
	fmt.Println(x.(*Session).User) // want `Cache.Pop \(a wrapper of LoadAndDelete\) returns nil then, and its loaded result is not checked first`
}

func fine(c *lookup.Cache, id string) {
	if v, ok := c.Get(id); ok {
		fmt.Println(v.(*Session).User)
	}
	if v := c.Value(id); v != nil {
		fmt.Println(v.(*Session).User)
	}
	if loaded, x := c.Pop(id); loaded {
		fmt.Println(x.(*Session).User)
	}
	fmt.Println(c.Or(id, &Session{}).(*Session).User)
}
