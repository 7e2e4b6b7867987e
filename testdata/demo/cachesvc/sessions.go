package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"sync"
	"time"
)

// Sessions "survive restarts": they are loaded from sessions.json when the
// service starts. They do not survive anything: nothing writes them back,
// so every restart logs everyone out and brings back every session that
// was logged out.

const sessionsFile = "sessions.json"

// Session is a logged-in user.
type Session struct {
	User    string    `json:"user"`
	Expires time.Time `json:"expires"`
}

var sessions sync.Map // session ID -> Session

func init() {
	data, err := os.ReadFile(sessionsFile)
	if err != nil {
		return // first start
	}
	var saved map[string]Session
	if err := json.Unmarshal(data, &saved); err != nil {
		log.Printf("ignoring %s: %v", sessionsFile, err)
		return
	}
	for id, s := range saved {
		if s.Expires.After(time.Now()) {
			sessions.Store(id, s)
		}
	}
}

// handleSession logs a user in (POST) or out (DELETE).
func handleSession(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodPost:
		id := newSessionID()
		sessions.Store(id, Session{User: r.FormValue("user"), Expires: time.Now().Add(24 * time.Hour)})
		http.SetCookie(w, &http.Cookie{Name: "session", Value: id, HttpOnly: true})
	case http.MethodDelete:
		if c, err := r.Cookie("session"); err == nil {
			sessions.Delete(c.Value)
		}
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

// saveSessions writes the sessions back to sessions.json. It was meant to
// run on shutdown, next to store.Save in main; nothing calls it.
func saveSessions() error {
	snapshot := make(map[string]Session)
	sessions.Range(func(k, v any) bool {
		snapshot[k.(string)] = v.(Session)
		return true
	})
	data, err := json.Marshal(snapshot)
	if err != nil {
		return err
	}
	return os.WriteFile(sessionsFile, data, 0o600)
}

func newSessionID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
