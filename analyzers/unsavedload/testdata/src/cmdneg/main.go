package main

import (
	"log"
	"net/http"
	"os"
	"os/signal"
	"time"
)

func main() {
	for k, v := range loadJSON("notes.json") {
		notes.Store(k, v) // twin: `notes is loaded from notes\.json at start-up and changed at run time, but never written back`
	}
	for k, v := range loadJSON("counters.json") {
		counters.Store(k, v) // twin: `counters is loaded from counters\.json at start-up and changed at run time, but never written back`
	}
	for k, v := range loadJSON("deferred.json") {
		deferred.Store(k, v) // twin: `deferred is loaded from deferred\.json at start-up and changed at run time, but never written back`
	}
	for k, v := range loadJSON("through.json") {
		through.Store(k, v) // twin: `through is loaded from through\.json at start-up and changed at run time, but never written back`
	}
	for k, v := range loadJSON("inline.json") {
		inline.Store(k, v) // twin: `inline is loaded from inline\.json at start-up and changed at run time, but never written back`
	}
	for k, v := range loadJSON("hooked.json") {
		hooked.Store(k, v) // twin: `hooked is loaded from hooked\.json at start-up and changed at run time, but never written back`
	}
	for k, v := range loadJSON("registered.json") {
		registered.Store(k, v) // twin: `registered is loaded from registered\.json at start-up and changed at run time, but never written back`
	}
	for k, v := range loadJSON("admin.json") {
		admin.Store(k, v) // twin: `admin is loaded from admin\.json at start-up and changed at run time, but never written back`
	}
	for k, v := range loadJSON("iface.json") {
		viaIface.Store(k, v) // twin: `viaIface is loaded from iface\.json at start-up and changed at run time, but never written back`
	}
	for k, v := range loadJSON("backend.json") {
		viaBackend.Store(k, v) // twin: `viaBackend is loaded from backend\.json at start-up and changed at run time, but never written back`
	}
	for k, v := range loadJSON("boxed.json") {
		boxed.m.Store(k, v) // twin: `boxed\.m is loaded from boxed\.json at start-up and changed at run time, but never written back`
	}
	for k, v := range loadJSON("queued.json") {
		queued.Store(k, v) // twin: `queued is loaded from queued\.json at start-up and changed at run time, but never written back`
	}
	reloadPruned()
	if rs, err := db.Query("SELECT k, v FROM kv"); err == nil {
		for rs.Next() {
			var k, v string
			if rs.Scan(&k, &v) == nil {
				rows.Store(k, v) // twin: `rows is loaded from a database at start-up`
			}
		}
	}
	startup.Store("started", time.Now().String())
	defer saveDeferred()                                             // saves it
	onExit(func() { _ = writeJSON("registered.json", &registered) }) // saves it

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	go func() {
		<-stop
		saveNotes() // saves it
		os.Exit(0)
	}()
	go flushLoop() // saves it
	go discover()
	go writeChanges()
	watchBoxed(stop) // saves it

	srv := &http.Server{Addr: ":8080"}
	srv.RegisterOnShutdown(saveHooked) // saves it
	for _, h := range []struct {
		path string
		fn   http.HandlerFunc
	}{
		{"/defaults", handleDefaults}, {"/country", handleCountry}, {"/note", handleNote},
		{"/count", handleCount}, {"/deferred", handleDeferred}, {"/through", handleThrough},
		{"/row", handleRow}, {"/inline", handleInline}, {"/hooked", handleHooked},
		{"/registered", handleRegistered}, {"/admin", handleAdmin},
		{"/admin/save", handleAdminSave}, // saves it
		{"/iface", handleIface}, {"/backend", handleBackend}, {"/page", handlePage},
		{"/host", handleHost}, {"/escaped", handleEscaped}, {"/reset", handleReset},
		{"/reload", handleReload}, {"/import", handleImport}, {"/boxed", handleBoxed},
		{"/remote", handleRemote}, {"/queued", handleQueued}, {"/pruned", handlePruned},
	} {
		http.HandleFunc(h.path, h.fn)
	}
	go func() { log.Print(srv.ListenAndServe()) }()

	done := make(chan os.Signal, 1)
	signal.Notify(done, os.Kill)
	<-done
	snapshot := make(map[string]any)
	inline.Range(func(k, v any) bool {
		snapshot[k.(string)] = v
		return true
	})
	_ = os.WriteFile("inline.json", encode(snapshot), 0o644) // saves it
	saveAll([]Saver{ifaceSaver{}})                           // saves it
}
