// Package main saves its maps, but only before anything can change them.
package main

import (
	"encoding/json"
	"net/http"
	"os"
	"os/signal"
	"sync"
)

var prefs, limits sync.Map

func load(path string, m *sync.Map) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	var saved map[string]string
	if json.Unmarshal(data, &saved) == nil {
		for k, v := range saved {
			m.Store(k, v)
		}
	}
}

func save(path string, m *sync.Map) {
	out := make(map[string]string)
	m.Range(func(k, v any) bool {
		out[k.(string)] = v.(string)
		return true
	})
	data, _ := json.Marshal(out)
	_ = os.WriteFile(path, data, 0o600)
}

func savePrefs()  { save("prefs.json", &prefs) }
func saveLimits() { save("limits.json", &limits) }

// init loads prefs and writes them back at once, normalised: before any
// handler runs.
func init() {
	load("prefs.json", &prefs) // want `prefs is loaded from prefs.json at start-up and changed at run time, but never written back`
	savePrefs()
}

func handlePrefs(w http.ResponseWriter, r *http.Request) {
	prefs.Store(r.FormValue("k"), r.FormValue("v"))
}

func handleLimits(w http.ResponseWriter, r *http.Request) {
	limits.Delete(r.FormValue("k"))
}

func main() {
	load("limits.json", &limits) // want `limits is loaded from limits.json at start-up and changed at run time, but never written back`
	saveLimits()
	http.HandleFunc("/prefs", handlePrefs)
	http.HandleFunc("/limits", handleLimits)
	go func() { _ = http.ListenAndServe(":8080", nil) }()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	<-stop
}
