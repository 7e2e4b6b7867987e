package libreq // want package:"analyzed"

// Package libreq is a library whose exported functions serve requests or
// change the state the package keeps in a file of its own.

import (
	"encoding/gob"
	"encoding/json"
	"net/http"
	"os"
	"sync"
)

// notes: loaded by init, changed by an exported handler that the library's
// users register themselves.
var notes sync.Map

func init() {
	data, err := os.ReadFile("notes.json")
	if err != nil {
		return
	}
	var saved map[string]string
	if json.Unmarshal(data, &saved) == nil {
		for k, v := range saved {
			notes.Store(k, v) // want `notes is loaded from notes.json at start-up and changed at run time, but never written back`
		}
	}
}

// NoteHandler stores a note.
func NoteHandler(w http.ResponseWriter, r *http.Request) {
	notes.Store(r.FormValue("id"), r.FormValue("text"))
}

// prefs: loaded lazily, on first use, and changed by an exported handler.
var (
	prefs     sync.Map
	prefsOnce sync.Once
)

func loadPrefs() {
	data, err := os.ReadFile("prefs.json")
	if err != nil {
		return
	}
	var saved map[string]string
	if json.Unmarshal(data, &saved) == nil {
		for k, v := range saved {
			prefs.Store(k, v) // want `prefs is loaded from prefs.json on first use and changed at run time, but never written back`
		}
	}
}

// PrefsHandler sets a preference.
func PrefsHandler(w http.ResponseWriter, r *http.Request) {
	prefsOnce.Do(loadPrefs)
	prefs.Store(r.FormValue("key"), r.FormValue("value"))
}

// members: the package's own state file, named by the package, decoded
// with gob and changed through Enroll and Retire.
const membersFile = "members.gob"

var members sync.Map

func init() {
	f, err := os.Open(membersFile)
	if err != nil {
		return
	}
	defer f.Close()
	var saved map[string]int
	if gob.NewDecoder(f).Decode(&saved) == nil {
		for name, level := range saved {
			members.Store(name, level) // want `members is loaded from members.gob at start-up and changed at run time, but never written back`
		}
	}
}

// Enroll adds a member.
func Enroll(name string, level int) { members.Store(name, level) }

// Retire removes a member.
func Retire(name string) { members.Delete(name) }
