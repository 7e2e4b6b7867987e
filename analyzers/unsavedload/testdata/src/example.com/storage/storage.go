package storage // want package:"analyzed"

// Package storage is a helper package: it persists sync.Maps it is handed.

import (
	"bufio"
	"encoding/json"
	"os"
	"sync"
)

// Load fills m from the JSON file at path.
func Load(m *sync.Map, path string) error { // want Load:`storage\(store p0 key=data from the file p1 names val=data from the file p1 names\)`
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var saved map[string]string
	if err := json.Unmarshal(data, &saved); err != nil {
		return err
	}
	for k, v := range saved {
		m.Store(k, v)
	}
	return nil
}

// Put stores v under k.
func Put(m *sync.Map, k, v string) { m.Store(k, v) } // want Put:`storage\(store p0 key=p1 val=p2\)`

// Save writes m to the JSON file at path.
func Save(m *sync.Map, path string) error { // want Save:`storage\(writes; read p0\)`
	out := make(map[string]any)
	m.Range(func(k, v any) bool {
		out[k.(string)] = v
		return true
	})
	data, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// ReadJSON decodes the file at path into v.
func ReadJSON(path string, v any) error { // want ReadJSON:`storage\(fills p1 with data from the file p0 names\)`
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return json.NewDecoder(f).Decode(v)
}

// Lines returns the lines of the file at path.
func Lines(path string) ([]string, error) { // want Lines:`storage\(returns data from the file p0 names\)`
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out, sc.Err()
}

// A Table is a persisted map.
type Table struct {
	rows sync.Map
}

// Load fills the table from path.
func (t *Table) Load(path string) error { return Load(&t.rows, path) } // want Load:`storage\(store p0.0 key=data from the file p1 names val=data from the file p1 names\)`

// Set sets a row.
func (t *Table) Set(k, v string) { Put(&t.rows, k, v) } // want Set:`storage\(store p0.0 key=p1 val=p2\)`

// Flush writes the table to path.
func (t *Table) Flush(path string) error { return Save(&t.rows, path) } // want Flush:`storage\(writes; read p0.0\)`

// A DB is a transactional store, in the manner of bbolt: changes are made
// in a callback and written when it returns.
type DB struct{ f *os.File }

// A Tx buffers the changes of one transaction.
type Tx struct{ pending []string }

// Put buffers a change: it writes nothing itself.
func (tx *Tx) Put(k, v string) { tx.pending = append(tx.pending, k+"="+v) }

// Update runs fn in a transaction and writes its changes.
func (db *DB) Update(fn func(*Tx) error) error { // want Update:`storage\(writes\)`
	tx := &Tx{}
	if err := fn(tx); err != nil {
		return err
	}
	for _, p := range tx.pending {
		if _, err := db.f.WriteString(p + "\n"); err != nil {
			return err
		}
	}
	return nil
}
