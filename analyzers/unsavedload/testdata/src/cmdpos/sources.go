// Package main holds one map per way of loading: each is loaded at
// start-up, changed by a handler or a goroutine, and never saved.
package main

import (
	"bufio"
	"database/sql"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// gob through os.Open, in a function called from init; deleted by a
// handler; nothing saves it.
var sessions sync.Map

type Session struct {
	User    string
	Expires time.Time
}

func loadSessions() {
	f, err := os.Open("sessions.gob")
	if err != nil {
		return
	}
	defer f.Close()
	var saved map[string]Session
	if err := gob.NewDecoder(f).Decode(&saved); err != nil {
		return
	}
	for id, s := range saved {
		sessions.Store(id, s) // want `sessions is loaded from sessions.gob at start-up and changed at run time, but never written back`
	}
}

func handleLogout(w http.ResponseWriter, r *http.Request) {
	sessions.Delete(r.FormValue("session"))
}

// bufio.Scanner lines, in main before serving; changed by a goroutine.
var users sync.Map

func loadUsers(path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, role, ok := strings.Cut(sc.Text(), "=")
		if ok {
			users.Store(strings.TrimSpace(name), role)
		}
	}
}

func saveUsers(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	users.Range(func(k, v any) bool {
		_, err = f.WriteString(k.(string) + "=" + v.(string) + "\n")
		return err == nil
	})
	return err
}

func expireUsers() {
	for range time.Tick(time.Minute) {
		users.Range(func(k, v any) bool {
			if v == "guest" {
				users.Delete(k)
			}
			return true
		})
	}
}

// io.ReadAll of an opened file, decoded into a slice of structs whose field
// is the key; loaded in a sync.Once on first use.
var tokens sync.Map
var tokensOnce sync.Once

type Token struct {
	ID    string `json:"id"`
	Scope string `json:"scope"`
}

func loadTokens() {
	f, err := os.Open(filepath.Join("/var/lib/app", "tokens.json"))
	if err != nil {
		return
	}
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return
	}
	var list []Token
	if json.Unmarshal(data, &list) != nil {
		return
	}
	for _, t := range list {
		tokens.Store(t.ID, &t) // want `tokens is loaded from tokens.json on first use and changed at run time`
	}
}

func handleToken(w http.ResponseWriter, r *http.Request) {
	tokensOnce.Do(loadTokens)
	if r.Method == http.MethodPost {
		tokens.Store(r.FormValue("id"), &Token{ID: r.FormValue("id"), Scope: "user"})
	}
}

// A field of a package-level pointer, loaded by a method called from init
// from XML; changed through a method value registered as a handler.
type Store struct {
	mu    sync.Mutex
	items sync.Map
}

var store = &Store{}

type itemsXML struct {
	Items []struct {
		Key   string `xml:"key,attr"`
		Value string `xml:",chardata"`
	} `xml:"item"`
}

func (s *Store) load(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc itemsXML
	if err := xml.Unmarshal(data, &doc); err != nil {
		return err
	}
	for _, it := range doc.Items {
		s.items.Store(it.Key, it.Value)
	}
	return nil
}

func (s *Store) put(w http.ResponseWriter, r *http.Request) {
	s.items.Store(r.FormValue("k"), r.FormValue("v"))
}

// A field of a package-level struct value, filled from database rows in
// main; a handler swaps values.
type registry struct {
	byName sync.Map
}

var reg registry

func loadRegistry(db *sql.DB) error {
	rows, err := db.Query("SELECT name, addr FROM services")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name, addr string
		if err := rows.Scan(&name, &addr); err != nil {
			return err
		}
		reg.byName.LoadOrStore(name, addr) // want `reg.byName is loaded from a database at start-up and changed at run time`
	}
	return rows.Err()
}

func handleMove(w http.ResponseWriter, r *http.Request) {
	reg.byName.Swap(r.FormValue("name"), r.FormValue("addr"))
}

// A set: keys from a JSON decoder on a file, constant values.
var blocked sync.Map

func loadBlocked() {
	f, err := os.Open("blocked.json")
	if err != nil {
		return
	}
	defer f.Close()
	var ips []string
	if json.NewDecoder(f).Decode(&ips) != nil {
		return
	}
	for _, ip := range ips {
		blocked.Store(ip, true) // want `blocked is loaded from blocked.json at start-up and changed at run time`
	}
}

func handleBlock(w http.ResponseWriter, r *http.Request) {
	blocked.Store(r.RemoteAddr, true)
}

// Loaded through a helper of this package that stores its arguments; the
// same helper changes it at run time.
var prefs sync.Map

func setPref(k, v string) { prefs.Store(k, v) }

func loadPrefs() {
	data, err := os.ReadFile("prefs.json")
	if err != nil {
		return
	}
	var m map[string]string
	_ = json.Unmarshal(data, &m)
	for k, v := range m {
		setPref(k, v) // want `prefs is loaded from prefs.json at start-up and changed at run time`
	}
}

func handlePref(w http.ResponseWriter, r *http.Request) {
	setPref(r.FormValue("k"), r.FormValue("v"))
}
