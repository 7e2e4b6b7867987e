// Command cachesvc is mapguard's demo: an HTTP cache that keeps its entries
// in a sync.Map, loads them from cache.json at start and saves them back on
// shutdown. Every bug in it compiles, runs and loses data without a sound.
package main

import (
	"log"
	"net/http"
	"os"
	"os/signal"
	"time"
)

func main() {
	store := NewStore("cache.json")
	if err := store.Load(); err != nil {
		log.Printf("starting empty: %v", err)
	}

	hits := newHitCounter()
	counted := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { hits.count(r); h(w, r) }
	}
	http.HandleFunc("/get", counted(store.handleGet))
	http.HandleFunc("/put", counted(store.handlePut))
	http.HandleFunc("/tagged", counted(store.handleTagged))
	http.HandleFunc("/session", handleSession)
	go func() { log.Fatal(http.ListenAndServe("localhost:8080", nil)) }()

	expiry := newExpiryQueue()
	done := make(chan struct{})
	go expiry.janitor(store, time.Minute, done)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	<-stop
	close(done)
	if err := store.Save(); err != nil {
		log.Printf("save: %v", err)
	}
}
