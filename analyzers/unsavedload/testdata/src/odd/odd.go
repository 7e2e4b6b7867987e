// Package main holds unusual code: the check must not crash on it, and
// must report only what it can follow.
package main

import (
	"encoding/json"
	"net/http"
	"os"
	"sync"
)

func readJSON(path string) map[string]string {
	data, _ := os.ReadFile(path)
	var m map[string]string
	_ = json.Unmarshal(data, &m)
	return m
}

// A recursive loader.
var tree sync.Map

func loadTree(path string, depth int) {
	if depth > 3 {
		return
	}
	for k, v := range readJSON(path) {
		tree.Store(k, v)
		loadTree(v, depth+1)
	}
}

// A recursive closure, and goto. The closure is called through a variable,
// which the check does not resolve: it cannot tell that the loads run at
// start-up, and stays silent.
var walked sync.Map

func walk() {
	var visit func(m map[string]string, n int)
	visit = func(m map[string]string, n int) {
	again:
		for k, v := range m {
			walked.Store(k, v)
		}
		if n > 0 {
			n--
			goto again
		}
		if n < -1 {
			visit(m, n+1)
		}
	}
	visit(readJSON("walked.json"), 2)
}

// A method value of sync.Map: the check cannot follow it, so it says
// nothing.
var bound sync.Map

func loadBound() {
	store := bound.Store
	for k, v := range readJSON("bound.json") {
		store(k, v)
	}
}

// A method expression is a plain call.
var expr sync.Map

func loadExpr() {
	for k, v := range readJSON("expr.json") {
		(*sync.Map).Store(&expr, k, v) // want `expr is loaded from expr.json at start-up and changed at run time`
	}
}

// Two maps behind one variable: neither can be judged.
var left, right sync.Map

func loadEither(useLeft bool) {
	m := &right
	if useLeft {
		m = &left
	}
	for k, v := range readJSON("either.json") {
		m.Store(k, v)
	}
}

// A pointer to a pointer, set up at start-up: followed.
var pp = new(*sync.Map)

func loadPP() {
	*pp = new(sync.Map)
	for k, v := range readJSON("pp.json") {
		(*pp).Store(k, v) // want `pp is loaded from pp.json at start-up and changed at run time`
	}
}

// Shards in an array are not followed.
var shards [4]sync.Map

func loadShards() {
	for k, v := range readJSON("shards.json") {
		shards[len(k)%4].Store(k, v)
	}
}

func handle(w http.ResponseWriter, r *http.Request) {
	k, v := r.FormValue("k"), r.FormValue("v")
	tree.Delete(k)
	walked.Delete(k)
	bound.Delete(k)
	expr.Delete(k)
	left.Store(k, v)
	right.Store(k, v)
	(*pp).Store(k, v)
	shards[0].Store(k, v)
}

func main() {
	loadTree("tree.json", 0) // want `tree is loaded from tree.json at start-up and changed at run time`
	walk()
	loadBound()
	loadExpr()
	loadEither(len(os.Args) > 1)
	loadPP()
	loadShards()
	http.HandleFunc("/", handle)
	_ = http.ListenAndServe(":8080", nil)
}
