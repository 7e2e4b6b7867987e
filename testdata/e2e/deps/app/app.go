// Command app uses lib's helpers wrongly, one bug per check that exports
// facts; each finding needs a fact about lib.
package main

import (
	"container/list"
	"fmt"
	"net/http"
	"sync"

	"example.com/deps/lib"
)

type state struct{ Entries sync.Map }

var (
	st       state
	cache    lib.Cache
	locks    lib.Locks[sync.Mutex]
	sessions sync.Map
)

func init() {
	_ = lib.Load(&sessions, "sessions.json") // unsavedload
}

func save() error { return lib.Save("state.json", &st) } // syncmarshal

func name(id string) string {
	v, _ := cache.Get(id)
	return v.(string) // syncmapload
}

func tag(ids []string) { cache.Set(ids, true) } // mapkey

func purge(l *list.List) {
	for e := l.Front(); e != nil; e = e.Next() {
		lib.Drop(l, e) // iterdelete
	}
}

func lock(k string) {
	mu, _ := locks.LoadOrStore(k, sync.Mutex{}) // poolcopy
	mu.Lock()
	defer mu.Unlock()
}

func main() {
	http.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		sessions.Store(r.FormValue("user"), true)
	})
	fmt.Println(save(), name("a"))
	tag(nil)
	purge(list.New())
	lock("k")
	_ = http.ListenAndServe(":8080", nil)
}
