// Package main defers its save, but main ends in log.Fatal: deferred calls
// never run.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
	"sync"
)

var visits sync.Map

func saveVisits() {
	out := make(map[string]int)
	visits.Range(func(k, v any) bool {
		out[k.(string)] = v.(int)
		return true
	})
	data, _ := json.Marshal(out)
	_ = os.WriteFile("visits.json", data, 0o600)
}

func handleVisit(w http.ResponseWriter, r *http.Request) {
	n, _ := visits.Load(r.URL.Path)
	c, _ := n.(int)
	visits.Store(r.URL.Path, c+1)
}

func main() {
	if data, err := os.ReadFile("visits.json"); err == nil {
		var saved map[string]int
		_ = json.Unmarshal(data, &saved)
		for k, v := range saved {
			visits.Store(k, v) // want `visits is loaded from visits.json at start-up and changed at run time, but never written back`
		}
	}
	defer saveVisits()
	http.HandleFunc("/", handleVisit)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
