// Command cachesvc is mapguard's demo: an HTTP cache that keeps its entries
// in a sync.Map, loads them from cache.json at start and saves them back on
// shutdown. Every bug in it compiles, runs and loses data without a sound.
package main

import (
	"log"
	"net/http"
	"os"
	"os/signal"
)

func main() {
	store := NewStore("cache.json")
	if err := store.Load(); err != nil {
		log.Printf("starting empty: %v", err)
	}

	http.HandleFunc("/get", store.handleGet)
	http.HandleFunc("/put", store.handlePut)
	http.HandleFunc("/session", handleSession)
	go func() { log.Fatal(http.ListenAndServe("localhost:8080", nil)) }()

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	<-stop
	if err := store.Save(); err != nil {
		log.Printf("save: %v", err)
	}
}
