// Package main is a URL shortener that keeps its state right, written the
// way such services usually are: every map is saved after it changes.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

var (
	dataDir = flag.String("data", "/var/lib/shortener", "where state is kept")
	db      *sql.DB
)

// links: short code -> URL, snapshotted every minute and on shutdown.
var links sync.Map

// hits: code -> count, written through to the database.
var hits sync.Map

// owners: code -> user, saved after the server has shut down.
var owners sync.Map

func loadLinks(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	var saved map[string]string
	if err := json.NewDecoder(f).Decode(&saved); err != nil {
		return err
	}
	for code, url := range saved {
		links.Store(code, url)
	}
	return nil
}

// writeAtomically writes data to path through a temporary file.
func writeAtomically(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func snapshot(m *sync.Map, path string) error {
	out := make(map[string]string)
	m.Range(func(k, v any) bool {
		out[k.(string)] = v.(string)
		return true
	})
	data, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return writeAtomically(path, data)
}

func snapshotter(ctx context.Context, path string) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
		if err := snapshot(&links, path); err != nil {
			log.Printf("snapshot: %v", err)
		}
	}
}

func loadHits(ctx context.Context) error {
	rows, err := db.QueryContext(ctx, "SELECT code, n FROM hits")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var n int64
		if err := rows.Scan(&code, &n); err != nil {
			return err
		}
		hits.Store(code, n) // twin: `hits is loaded from a database at start-up and changed at run time, but never written back`
	}
	return rows.Err()
}

func countHit(ctx context.Context, code string) error {
	v, _ := hits.Load(code)
	n, _ := v.(int64)
	hits.Store(code, n+1)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, "UPDATE hits SET n = n + 1 WHERE code = ?", code) // saves it
	if err != nil {
		return err
	}
	return tx.Commit()
}

func handleRedirect(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	url, ok := links.Load(code)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if err := countHit(r.Context(), code); err != nil {
		log.Printf("hit %s: %v", code, err)
	}
	http.Redirect(w, r, url.(string), http.StatusFound)
}

func handleCreate(w http.ResponseWriter, r *http.Request) {
	code, url := r.FormValue("code"), r.FormValue("url")
	if _, loaded := links.LoadOrStore(code, url); loaded {
		http.Error(w, "taken", http.StatusConflict)
		return
	}
	owners.Store(code, r.Header.Get("X-User"))
	hits.Store(code, int64(0))
}

func handleDelete(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	links.Delete(code)
	owners.Delete(code)
}

func main() {
	flag.Parse()
	linksFile := filepath.Join(*dataDir, "links.json")
	if err := loadLinks(linksFile); err != nil { // twin: `links is loaded from links\.json at start-up and changed at run time, but never written back`
		log.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(*dataDir, "owners.json")); err == nil {
		var saved map[string]string
		if err := json.Unmarshal(data, &saved); err == nil {
			for code, user := range saved {
				owners.Store(code, user) // twin: `owners is loaded from owners.json at start-up and changed at run time, but never written back`
			}
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := loadHits(ctx); err != nil {
		log.Fatal(err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{code}", handleRedirect)
	mux.HandleFunc("POST /", handleCreate)
	mux.HandleFunc("DELETE /{code}", handleDelete)
	srv := &http.Server{Addr: ":8080", Handler: mux}

	go snapshotter(ctx, linksFile) // saves it
	go func() {
		if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
			log.Fatal(err)
		}
	}()

	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Printf("shutdown: %v", err)
	}
	logError("saving owners", snapshot(&owners, filepath.Join(*dataDir, "owners.json"))) // saves it
}

func logError(what string, err error) {
	if err != nil {
		log.Printf("%s: %v", what, err)
	}
}
