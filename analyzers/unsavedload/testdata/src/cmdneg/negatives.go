// Package main holds maps that look like the bug but are correct: each one
// must stay silent.
package main

import (
	"bufio"
	"database/sql"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"reflect"
	"sync"
	"time"
)

func loadJSON(path string) map[string]string {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var m map[string]string
	_ = json.Unmarshal(data, &m)
	return m
}

func writeJSON(path string, m *sync.Map) error {
	snapshot := make(map[string]any)
	m.Range(func(k, v any) bool {
		snapshot[k.(string)] = v
		return true
	})
	data, err := json.Marshal(snapshot)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

func encode(v any) []byte {
	data, _ := json.Marshal(v)
	return data
}

// Seeded from constants, not from storage.
var defaults sync.Map

func init() {
	defaults.Store("lang", "en")
	defaults.Store("theme", "dark")
}

func handleDefaults(w http.ResponseWriter, r *http.Request) {
	defaults.Store(r.FormValue("k"), r.FormValue("v"))
}

// Reference data: loaded, then only read.
var countries sync.Map

func init() {
	for code, name := range loadJSON("countries.json") {
		countries.Store(code, name)
	}
}

func handleCountry(w http.ResponseWriter, r *http.Request) {
	if name, ok := countries.Load(r.FormValue("code")); ok {
		_, _ = w.Write([]byte(name.(string)))
	}
}

// Saved by a goroutine waiting for a signal.
var notes sync.Map

func saveNotes() { _ = writeJSON("notes.json", &notes) }

func handleNote(w http.ResponseWriter, r *http.Request) {
	notes.Store(r.FormValue("id"), r.FormValue("text"))
}

// Saved by a ticker goroutine.
var counters sync.Map

func flushLoop() {
	t := time.NewTicker(time.Minute)
	for range t.C {
		_ = writeJSON("counters.json", &counters)
	}
}

func handleCount(w http.ResponseWriter, r *http.Request) {
	counters.Store(r.URL.Path, 1)
}

// Saved by a call deferred in main, which returns.
var deferred sync.Map

func saveDeferred() { _ = writeJSON("deferred.json", &deferred) }

func handleDeferred(w http.ResponseWriter, r *http.Request) {
	deferred.Delete(r.FormValue("k"))
}

// Written through: the handler that changes it saves it.
var through sync.Map

func handleThrough(w http.ResponseWriter, r *http.Request) {
	through.Store(r.FormValue("k"), r.FormValue("v"))
	_ = writeJSON("through.json", &through) // saves it
}

// Written through to a database, one row at a time.
var rows sync.Map
var db *sql.DB

func handleRow(w http.ResponseWriter, r *http.Request) {
	k, v := r.FormValue("k"), r.FormValue("v")
	rows.Store(k, v)
	_, _ = db.Exec("UPDATE kv SET v = ? WHERE k = ?", v, k) // saves it
}

// Saved inline in main, after it stops serving.
var inline sync.Map

func handleInline(w http.ResponseWriter, r *http.Request) {
	inline.Store(r.FormValue("k"), r.FormValue("v"))
}

// Saved by a shutdown hook.
var hooked sync.Map

func saveHooked() { _ = writeJSON("hooked.json", &hooked) }

func handleHooked(w http.ResponseWriter, r *http.Request) {
	hooked.Store(r.FormValue("k"), r.FormValue("v"))
}

// Saved by a function handed to a registry of this package: it may run at
// any time.
var registered sync.Map
var exitHooks []func()

func onExit(f func()) { exitHooks = append(exitHooks, f) }

func handleRegistered(w http.ResponseWriter, r *http.Request) {
	registered.Store(r.FormValue("k"), r.FormValue("v"))
}

// Saved from an HTTP endpoint.
var admin sync.Map

func handleAdmin(w http.ResponseWriter, r *http.Request) {
	admin.Store(r.FormValue("k"), r.FormValue("v"))
}

func handleAdminSave(w http.ResponseWriter, r *http.Request) {
	_ = writeJSON("admin.json", &admin)
}

// Saved through an interface: the method may run whenever it is called.
type Saver interface{ Save() error }

var viaIface sync.Map

type ifaceSaver struct{}

func (ifaceSaver) Save() error { return writeJSON("iface.json", &viaIface) }

func saveAll(list []Saver) {
	for _, s := range list {
		_ = s.Save()
	}
}

func handleIface(w http.ResponseWriter, r *http.Request) {
	viaIface.Store(r.FormValue("k"), r.FormValue("v"))
}

// Saved through a method of an interface declared here, which the check
// cannot see into (a storage backend): in doubt, silent.
type Backend interface{ Put(k, v string) error }

var backend Backend
var viaBackend sync.Map

func persistBackend() {
	viaBackend.Range(func(k, v any) bool {
		_ = backend.Put(k.(string), v.(string))
		return true
	})
}

func handleBackend(w http.ResponseWriter, r *http.Request) {
	viaBackend.Store(r.FormValue("k"), r.FormValue("v"))
	persistBackend() // saves it
}

// A cache of files: the key is the file's name, not data read from it, so
// the files stay the truth and the map only mirrors them.
var pages sync.Map

func init() {
	entries, _ := os.ReadDir("pages")
	for _, e := range entries {
		data, err := os.ReadFile("pages/" + e.Name())
		if err == nil {
			pages.Store(e.Name(), data)
		}
	}
}

func handlePage(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	if r.Method == http.MethodDelete {
		pages.Delete(name)
		return
	}
	if _, ok := pages.Load(name); !ok {
		data, _ := os.ReadFile("pages/" + name)
		pages.Store(name, data) // filled from storage, not changed
	}
}

// Reference data the system provides.
var hosts sync.Map

func init() {
	f, err := os.Open("/etc/hosts")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		hosts.Store(sc.Text(), true)
	}
}

func handleHost(w http.ResponseWriter, r *http.Request) {
	hosts.Store(r.FormValue("h"), true)
}

// Handed to code the check cannot follow.
var escaped sync.Map

func init() {
	for k, v := range loadJSON("escaped.json") {
		escaped.Store(k, v)
	}
	_ = reflect.ValueOf(&escaped)
}

func handleEscaped(w http.ResponseWriter, r *http.Request) {
	escaped.Store(r.FormValue("k"), r.FormValue("v"))
}

// Replaced while running: the check does not model that.
var replaced = new(sync.Map)

func init() {
	for k, v := range loadJSON("replaced.json") {
		replaced.Store(k, v)
	}
}

func handleReset(w http.ResponseWriter, r *http.Request) {
	replaced = new(sync.Map)
	replaced.Store("reset", r.FormValue("by"))
}

// Changed only during start-up.
var startup sync.Map

func init() {
	for k, v := range loadJSON("startup.json") {
		startup.Store(k, v)
	}
}

// Reloaded while running: clearing before loading again is part of the
// reload, not a change to save.
var reloaded sync.Map

func reload() {
	reloaded.Clear()
	for k, v := range loadJSON("reloaded.json") {
		reloaded.Store(k, v)
	}
}

func handleReload(w http.ResponseWriter, r *http.Request) { reload() }

// Loaded only at run time, not at start-up.
var imported sync.Map

func handleImport(w http.ResponseWriter, r *http.Request) {
	for k, v := range loadJSON(r.FormValue("file")) {
		imported.Store(k, v)
	}
	imported.Delete("tmp")
}

// Saved in a goroutine through a pointer captured by its closure.
type box struct{ m sync.Map }

var boxed = &box{}

func handleBoxed(w http.ResponseWriter, r *http.Request) {
	boxed.m.Store(r.FormValue("k"), r.FormValue("v"))
}

func watchBoxed(stop <-chan os.Signal) {
	b := boxed
	go func() {
		<-stop
		_ = writeJSON("boxed.json", &b.m)
	}()
}

// Bootstrap data: only the program's own discovery changes it, and nothing
// in the package ever writes it: a starting point, not state.
var peers sync.Map

func init() {
	for addr, name := range loadJSON("peers.json") {
		peers.Store(addr, name)
	}
}

func discover() {
	for range time.Tick(time.Minute) {
		peers.Store("10.0.0.9:7000", "found")
		peers.Delete("10.0.0.1:7000")
	}
}

// Loaded from the network, not from storage this program keeps.
var remote sync.Map

func init() {
	resp, err := http.Get("http://config.internal/flags")
	if err != nil {
		return
	}
	defer resp.Body.Close()
	var m map[string]bool
	if json.NewDecoder(resp.Body).Decode(&m) == nil {
		for k, v := range m {
			remote.Store(k, v)
		}
	}
}

func handleRemote(w http.ResponseWriter, r *http.Request) {
	remote.Store(r.FormValue("flag"), true)
}

// Written behind: the handler queues each change for a goroutine that
// writes it to the database.
var queued sync.Map

type change struct{ k, v string }

var changes = make(chan change, 64)

func handleQueued(w http.ResponseWriter, r *http.Request) {
	k, v := r.FormValue("k"), r.FormValue("v")
	queued.Store(k, v)
	changes <- change{k, v} // saves it
}

func writeChanges() {
	for ch := range changes {
		_, _ = db.Exec("REPLACE INTO kv VALUES (?, ?)", ch.k, ch.v)
	}
}

// Reloaded on request, pruning the entries the file no longer has.
var pruned sync.Map

func reloadPruned() {
	fresh := loadJSON("pruned.json")
	pruned.Range(func(k, _ any) bool {
		if _, ok := fresh[k.(string)]; !ok {
			pruned.Delete(k)
		}
		return true
	})
	for k, v := range fresh {
		pruned.Store(k, v)
	}
}

func handlePruned(w http.ResponseWriter, r *http.Request) { reloadPruned() }

// Changed by a flag: flag.Parse runs at start-up, so the change is part of
// this run's configuration.
var allowed sync.Map

type allowFlag struct{}

func (allowFlag) String() string { return "" }

func (allowFlag) Set(s string) error {
	allowed.Store(s, true)
	return nil
}

func init() {
	for k := range loadJSON("allowed.json") {
		allowed.Store(k, true)
	}
	flag.Var(allowFlag{}, "allow", "also allow this address")
}
