package standalone

// Without copylocks in the same pass (the default), poolcopy reports the
// copies that copylocks would have reported too.

import "sync"

var (
	poolMap map[int]sync.Pool
	lockMap map[string]entry
	poolArr [4]sync.Pool
)

type entry struct {
	mu sync.Mutex
	n  int
}

type pooled struct{ pool sync.Pool }

func fromMap(n int) {
	p := poolMap[n] // want `p := poolMap\[n\] copies the stored sync.Pool: Get and Put on the copy reuse nothing; store \*sync.Pool in the map`
	p.Get()
}

func fromMapCommaOk(n int) {
	p, _ := poolMap[n] // want `p, _ := poolMap\[n\] copies the stored sync.Pool`
	p.Put(n)
}

func fromRange() {
	for _, p := range poolMap { // want `for _, p := range poolMap copies the stored sync.Pool`
		p.Get()
	}
}

func fromArray(n int) {
	p := poolArr[n] // want `p := poolArr\[n\] copies the stored sync.Pool: Get and Put on the copy reuse nothing; use the element's address, &poolArr\[n\]`
	p.Get()
}

func fromField(s *pooled) {
	p := s.pool // want `p := s.pool copies the stored sync.Pool`
	p.Get()
}

func fieldOfEntry() {
	mu := lockMap["k"].mu // want `mu := lockMap\["k"\].mu copies the stored sync.Mutex: locking the copy excludes no one`
	mu.Lock()
}

func wholeEntry() {
	e := lockMap["k"] // want `e := lockMap\["k"\] copies the stored entry and the sync.Mutex in its field mu`
	e.mu.Lock()
}

// Look-alikes: pointers to the stored values, fresh values, parameters,
// copies only read.

func pointer(n int, s *pooled) {
	p := &poolArr[n]
	p.Get()
	q := &s.pool
	q.Get()
}

func fresh() {
	var mu sync.Mutex
	mu.Lock()
	defer mu.Unlock()
}

func param(p sync.Pool) { p.Get() }

func readOnly() int {
	e := lockMap["k"]
	return e.n
}
