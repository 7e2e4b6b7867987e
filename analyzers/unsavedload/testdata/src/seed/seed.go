// Package main is the seed story: a cache loaded from cache.json in init,
// changed by handlers, and a saveCache that nothing calls.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
	"sync"
)

var cache = sync.Map{}

func init() {
	if data, err := os.ReadFile("./cache.json"); err == nil {
		var m map[string]int
		json.Unmarshal(data, &m)
		for k, v := range m {
			cache.Store(k, v) // want `cache is loaded from cache.json at start-up and changed at run time, but never written back: changes are lost on restart`
		}
	}
}

func saveCache() {
	m := make(map[string]int)
	cache.Range(func(k, v any) bool {
		m[k.(string)] = v.(int)
		return true
	})
	data, _ := json.Marshal(m)
	os.WriteFile("./cache.json", data, 0o644)
}

func handleIncr(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	v, _ := cache.LoadOrStore(key, 0)
	cache.Store(key, v.(int)+1)
}

func handleDrop(w http.ResponseWriter, r *http.Request) {
	cache.Delete(r.URL.Query().Get("key"))
}

func main() {
	http.HandleFunc("/incr", handleIncr)
	http.HandleFunc("/drop", handleDrop)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
