// Package main keeps its maps with the helpers of another package: what
// they do is known from their facts.
package main

import (
	"net/http"
	"os"
	"os/signal"
	"sync"

	"example.com/storage"
)

var notes, drafts, tags, lines, viaSave, inBolt sync.Map

var db *storage.DB

var table = &storage.Table{}
var flushed = &storage.Table{}

func init() {
	_ = storage.Load(&notes, "notes.json")   // want `notes is loaded from notes.json at start-up and changed at run time, but never written back`
	_ = storage.Load(&drafts, "drafts.json") // twin: `drafts is loaded from drafts\.json at start-up and changed at run time, but never written back`
	var m map[string]string
	if storage.ReadJSON("tags.json", &m) == nil {
		for k, v := range m {
			tags.Store(k, v) // want `tags is loaded from tags.json at start-up and changed at run time, but never written back`
		}
	}
	ls, _ := storage.Lines("lines.txt")
	for _, l := range ls {
		lines.Store(l, true) // want `lines is loaded from lines.txt at start-up and changed at run time, but never written back`
	}
	_ = table.Load("table.json")               // want `table.rows is loaded from table.json at start-up and changed at run time, but never written back`
	_ = flushed.Load("flushed.json")           // twin: `flushed\.rows is loaded from flushed\.json at start-up and changed at run time, but never written back`
	_ = storage.Load(&viaSave, "viasave.json") // want `viaSave is loaded from viasave.json at start-up and changed at run time, but never written back`
	_ = storage.Load(&inBolt, "bolt.json")     // twin: `inBolt is loaded from bolt\.json at start-up and changed at run time, but never written back`
}

// saveBolt saves inBolt in a transaction: the map is read in the callback,
// and Update writes.
func saveBolt() error {
	return db.Update(func(tx *storage.Tx) error {
		inBolt.Range(func(k, v any) bool {
			tx.Put(k.(string), v.(string))
			return true
		})
		return nil
	})
}

func saveViaSave() { _ = storage.Save(&viaSave, "viasave.json") }

func handle(w http.ResponseWriter, r *http.Request) {
	k, v := r.FormValue("k"), r.FormValue("v")
	storage.Put(&notes, k, v)
	storage.Put(&drafts, k, v)
	tags.Store(k, v)
	lines.Delete(k)
	table.Set(k, v)
	flushed.Set(k, v)
	storage.Put(&viaSave, k, v)
	inBolt.Delete(k)
}

func main() {
	http.HandleFunc("/", handle)
	go func() { _ = http.ListenAndServe(":8080", nil) }()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	<-stop
	_ = storage.Save(&drafts, "drafts.json") // saves it
	_ = flushed.Flush("flushed.json")        // saves it
	_ = saveBolt()                           // saves it
}
