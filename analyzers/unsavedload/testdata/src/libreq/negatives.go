package libreq

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"sync"
)

// Look-alikes that must stay silent.

// unexportedHandler has the handler signature but is not exported, and
// nothing registers it: it never runs.
var drafts sync.Map

func init() {
	data, err := os.ReadFile("drafts.json")
	if err != nil {
		return
	}
	var saved map[string]string
	if json.Unmarshal(data, &saved) == nil {
		for k, v := range saved {
			drafts.Store(k, v)
		}
	}
}

func draftHandler(w http.ResponseWriter, r *http.Request) {
	drafts.Store(r.FormValue("id"), r.FormValue("text"))
}

// Reference data from a file of the system, extended in memory by an
// exported handler: not state of the package.
var zones sync.Map

func init() {
	f, err := os.Open("/usr/share/zoneinfo/zone.tab")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if code, name, ok := strings.Cut(sc.Text(), "\t"); ok {
			zones.Store(code, name)
		}
	}
}

// ZoneHandler adds a zone for this process.
func ZoneHandler(w http.ResponseWriter, r *http.Request) {
	zones.Store(r.FormValue("code"), r.FormValue("name"))
}

// A cache of files keyed by file name: the files stay the truth.
var pages sync.Map

func init() {
	for _, name := range []string{"index.html", "about.html"} {
		if data, err := os.ReadFile(name); err == nil {
			pages.Store(name, data)
		}
	}
}

// PageHandler caches another page.
func PageHandler(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Path
	if data, err := os.ReadFile(name); err == nil {
		pages.Store(name, data)
	}
}

// A table of lines named by the package and extended through its API (like
// mime.AddExtensionType): the lines are reference data, not a state file.
const aliasesFile = "aliases.txt"

var aliases sync.Map

func init() {
	f, err := os.Open(aliasesFile)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if from, to, ok := strings.Cut(sc.Text(), " "); ok {
			aliases.Store(from, to)
		}
	}
}

// AddAlias registers an alias in memory.
func AddAlias(from, to string) { aliases.Store(from, to) }

// A JSON file whose name the package does not keep, extended through its
// API: reference data shipped with the program.
var codes sync.Map

func init() {
	data, err := os.ReadFile("codes.json")
	if err != nil {
		return
	}
	var saved map[string]string
	if json.Unmarshal(data, &saved) == nil {
		for k, v := range saved {
			codes.Store(k, v)
		}
	}
}

// AddCode registers a code in memory.
func AddCode(k, v string) { codes.Store(k, v) }

// The package's own state file, written back by the function that changes
// it.
const rosterFile = "roster.json"

var roster sync.Map

func init() {
	data, err := os.ReadFile(rosterFile)
	if err != nil {
		return
	}
	var saved map[string]string
	if json.Unmarshal(data, &saved) == nil {
		for k, v := range saved {
			roster.Store(k, v)
		}
	}
}

// Join adds a name and saves the roster.
func Join(name, team string) error { // want Join:"storage\\(writes\\)"
	roster.Store(name, team)
	out := make(map[string]string)
	roster.Range(func(k, v any) bool {
		out[k.(string)] = v.(string)
		return true
	})
	data, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return os.WriteFile(rosterFile, data, 0o644)
}
