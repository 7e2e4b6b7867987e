package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"sync"
)

// A typed wrapper of this package around sync.Map.
type SyncMap[K comparable, V any] struct {
	m sync.Map
}

func (s *SyncMap[K, V]) Store(k K, v V) { s.m.Store(k, v) }

func (s *SyncMap[K, V]) Delete(k K) { s.m.Delete(k) }

type Account struct {
	Owner   string
	Balance int
}

var accounts SyncMap[string, Account]

func loadAccounts() {
	data, err := os.ReadFile("accounts.json")
	if err != nil {
		return
	}
	var saved map[string]Account
	if json.Unmarshal(data, &saved) == nil {
		for id, a := range saved {
			accounts.Store(id, a) // want `accounts.m is loaded from accounts.json at start-up and changed at run time`
		}
	}
}

func handleClose(w http.ResponseWriter, r *http.Request) {
	accounts.Delete(r.FormValue("id"))
}

// An embedded sync.Map, loaded by a function literal in init.
var quotas struct {
	sync.Map
	path string
}

func init() {
	func() {
		data, err := os.ReadFile("quotas.json")
		if err != nil {
			return
		}
		var saved map[string]int
		_ = json.Unmarshal(data, &saved)
		for k, v := range saved {
			quotas.Store(k, v) // want `quotas is loaded from quotas.json at start-up and changed at run time`
		}
	}()
}

func handleQuota(w http.ResponseWriter, r *http.Request) {
	quotas.CompareAndSwap(r.FormValue("user"), 10, 20)
}

// Loaded by the initialiser of a package-level variable.
var index sync.Map

var indexed = loadIndex()

func loadIndex() int {
	data, err := os.ReadFile("index.json")
	if err != nil {
		return 0
	}
	var saved map[string]int64
	_ = json.Unmarshal(data, &saved)
	for word, off := range saved {
		index.Store(word, off) // want `index is loaded from index.json at start-up and changed at run time`
	}
	return len(saved)
}

func handleIndex(w http.ResponseWriter, r *http.Request) {
	index.Store(r.FormValue("word"), int64(0))
}

// Changed by an RPC service: an exported method of a type the program hands
// out as an interface.
var orders sync.Map

type OrderService interface {
	Cancel(ctx context.Context, id string) error
}

type orderServer struct{}

func (orderServer) Cancel(ctx context.Context, id string) error {
	orders.Delete(id)
	return nil
}

func registerOrders(register func(OrderService)) { register(orderServer{}) }

func loadOrders() {
	f, err := os.Open("orders.json")
	if err != nil {
		return
	}
	defer f.Close()
	var saved []struct{ ID, Item string }
	if json.NewDecoder(f).Decode(&saved) == nil {
		for _, o := range saved {
			orders.Store(o.ID, o.Item) // want `orders is loaded from orders.json at start-up and changed at run time`
		}
	}
}

// Loaded through a generic helper of this package.
var ratings sync.Map

func storeAll[K comparable, V any](m *sync.Map, from map[K]V) {
	for k, v := range from {
		m.Store(k, v)
	}
}

func loadRatings() {
	data, err := os.ReadFile("ratings.json")
	if err != nil {
		return
	}
	var saved map[string]float64
	if json.Unmarshal(data, &saved) == nil {
		storeAll(&ratings, saved) // want `ratings is loaded from ratings.json at start-up and changed at run time`
	}
}

func handleRate(w http.ResponseWriter, r *http.Request) {
	storeAll(&ratings, map[string]float64{r.FormValue("item"): 5})
}
