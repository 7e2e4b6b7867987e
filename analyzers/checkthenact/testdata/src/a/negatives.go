package a

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Locks held across both calls.

func (r *Registry) locked(id string, e *entry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.byID.Load(id); !ok {
		r.byID.Store(id, e)
	}
}

func (r *Registry) lockedExplicit(id string, e *entry) {
	r.mu.Lock()
	if _, ok := r.byID.Load(id); !ok {
		r.byID.Store(id, e)
	}
	r.mu.Unlock()
}

func (r *Registry) lockedLoop(ids []string, e *entry) {
	for _, id := range ids {
		r.mu.Lock()
		if _, ok := r.byID.Load(id); !ok {
			r.byID.Store(id, e)
		}
		r.mu.Unlock()
	}
}

var mu sync.Mutex

func globalLock(id string) {
	mu.Lock()
	defer mu.Unlock()
	if v, ok := cache.Load(id); ok && v.(*entry).expired() {
		cache.Delete(id)
	}
}

func writeLocked(id string) {
	rw.Lock()
	defer rw.Unlock()
	if _, ok := seen.Load(id); !ok {
		seen.Store(id, true)
	}
}

func locker(l sync.Locker, id string) {
	l.Lock()
	defer l.Unlock()
	if _, ok := seen.Load(id); !ok {
		seen.Store(id, true)
	}
}

type guarded struct {
	mu sync.Mutex
	m  sync.Map
}

func (g *guarded) lock()   { g.mu.Lock() }
func (g *guarded) unlock() { g.mu.Unlock() }

func (g *guarded) helperLock(id string) {
	g.lock()
	defer g.unlock()
	if _, ok := g.m.Load(id); !ok {
		g.m.Store(id, true)
	}
}

// A function literal called where the lock is held.
func (r *Registry) lockedCallback(ids []string, e *entry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	each := func(id string) {
		if _, ok := r.byID.Load(id); !ok {
			r.byID.Store(id, e)
		}
	}
	for _, id := range ids {
		each(id)
	}
}

// The caller holds the lock, as the name says.
func (r *Registry) addLocked(id string, e *entry) {
	if _, ok := r.byID.Load(id); !ok {
		r.byID.Store(id, e)
	}
}

// Initialization runs on one goroutine.
func init() {
	if _, ok := seen.Load("boot"); !ok {
		seen.Store("boot", time.Now())
	}
}

// Run at most once.

var once sync.Once

func setupOnce() {
	once.Do(func() {
		if _, ok := seen.Load("setup"); !ok {
			seen.Store("setup", time.Now())
		}
	})
}

func setupOnceFunc() func() {
	return sync.OnceFunc(func() {
		if _, ok := seen.Load("setup"); !ok {
			seen.Store("setup", time.Now())
		}
	})
}

// Group stands for singleflight.Group: one call at a time per key.
type Group struct{}

func (*Group) Do(key string, fn func() (any, error)) (any, error, bool) {
	v, err := fn()
	return v, err, false
}

var group Group

func singleflight(key string) {
	group.Do(key, func() (any, error) {
		if v, ok := cache.Load(key); ok {
			return v, nil
		}
		e := &entry{}
		cache.Store(key, e)
		return e, nil
	})
}

// A sync.Map no other goroutine can see.
func local(ids []string) int {
	var m sync.Map
	n := 0
	for _, id := range ids {
		if _, ok := m.Load(id); !ok {
			m.Store(id, true)
			n++
		}
	}
	return n
}

// Not decided by the read.

func unconditional(key string, e *entry) *entry {
	old, _ := cache.Load(key)
	cache.Store(key, e)
	o, _ := old.(*entry)
	return o
}

func otherKey(key, other string) {
	if _, ok := cache.Load(key); !ok {
		cache.Store(other, &entry{})
	}
}

func otherMap(key string) {
	if _, ok := cache.Load(key); !ok {
		seen.Store(key, true)
	}
}

func keyChanged(key string) {
	_, ok := cache.Load(key)
	key = key + ".bak"
	if !ok {
		cache.Store(key, &entry{})
	}
}

func forced(key string, force bool) {
	if _, ok := cache.Load(key); !ok || force {
		cache.Store(key, &entry{})
	}
}

func notDecidedByValue(key string, now time.Time) {
	if _, ok := cache.Load(key); ok && now.Hour() == 0 {
		cache.Delete(key)
	}
}

// Every goroutine would store the same value: nothing is lost.

var seenOnce sync.Map // id -> true, and nothing else

func markSeen(id string) {
	if _, ok := seenOnce.Load(id); !ok {
		seenOnce.Store(id, true)
		fmt.Printf("first sight of %s\n", id)
	}
}

var defaultEntry = &entry{value: "default"}

var defaulted sync.Map // key -> defaultEntry, and nothing else

func withDefault(key string) {
	if _, ok := defaulted.Load(key); !ok {
		defaulted.Store(key, defaultEntry)
	}
}

// Memoization: the value is computed from the key.
func memo(key string, compute func(string) *entry) *entry {
	if v, ok := cache.Load(key); ok {
		return v.(*entry)
	}
	e := compute(key)
	cache.Store(key, e)
	return e
}

type loader struct {
	m    sync.Map
	root string
}

func (l *loader) fetch(key string) *entry { return &entry{value: l.root + key} }

// Memoization in a method: the receiver computes from the key.
func (l *loader) get(key string) *entry {
	if v, ok := l.m.Load(key); ok {
		return v.(*entry)
	}
	e := l.fetch(key)
	l.m.Store(key, e)
	return e
}

type plan struct{ fields []string }

func buildPlan(p *plan, t reflect.Type) {
	for i := range t.NumField() {
		p.fields = append(p.fields, t.Field(i).Name)
	}
}

var plans sync.Map // reflect.Type -> *plan

// An object built from the key and not used after: a memo.
func planFor(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	p := &plan{}
	buildPlan(p, t)
	plans.Store(t, p)
	return p
}

type wrapper struct {
	num   int
	owner *loader
}

var wrappers sync.Map // int -> *wrapper

func (l *loader) wrap(n int) *wrapper {
	if w, ok := wrappers.Load(n); ok {
		return w.(*wrapper)
	}
	w := &wrapper{num: n, owner: l}
	wrappers.Store(n, w)
	return w
}

func plansFor(types []reflect.Type) {
	for _, t := range types {
		if _, ok := plans.Load(t); !ok {
			p := &plan{}
			buildPlan(p, t)
			plans.Store(t, p)
		}
	}
}

var fieldNames sync.Map // reflect.Type -> []string

// A slice computed from the key, read after it is stored.
func namesOf(t reflect.Type) string {
	if v, ok := fieldNames.Load(t); ok {
		return strings.Join(v.([]string), ",")
	}
	names := fieldsOf(t)
	fieldNames.Store(t, names)
	return strings.Join(names, ",")
}

func fieldsOf(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		names = append(names, t.Field(i).Name)
	}
	return names
}

type props struct{ text, value bool }

var propsCache sync.Map // reflect.Type -> props

// Chosen by branches on the key.
func propsFor(t reflect.Type) props {
	if p, ok := propsCache.Load(t); ok {
		return p.(props)
	}
	var p props
	switch t.Kind() {
	case reflect.String:
		p.text = true
	case reflect.Struct:
		p.value = true
	}
	propsCache.Store(t, p)
	return p
}

var sizes sync.Map // reflect.Type -> int

func sizeOf(t reflect.Type) int {
	if size, ok := sizes.Load(t); ok {
		return size.(int)
	}
	size := int(t.Size())
	if t.Kind() == reflect.Struct {
		sizes.Store(t, size)
	}
	return size
}

type header struct {
	UID   int
	Uname string
}

var names sync.Map // int -> string

func fillName(h *header, lookup bool) {
	if !lookup {
		return
	}
	if u, ok := names.Load(h.UID); ok {
		h.Uname = u.(string)
	} else if u, err := lookupUser(strconv.Itoa(h.UID)); err == nil {
		h.Uname = u.Name
		names.Store(h.UID, h.Uname)
	}
}

type user struct{ Name string }

func lookupUser(string) (*user, error) { return nil, nil }

// A stale entry refreshed from the key alone: any goroutine would store the
// same.

func reload(key string, load func(string) *entry) *entry {
	if v, ok := cache.Load(key); ok {
		if e := v.(*entry); !e.expired() {
			return e
		}
	}
	e := load(key)
	cache.Store(key, e)
	return e
}

type indexEntry struct {
	file string
	data []byte
}

var (
	indexes  sync.Map // root -> *indexEntry
	indexDir = "/var/cache/index"
)

func readIndex(root string) ([]byte, error) {
	file := filepath.Join(indexDir, filepath.Base(root))
	if v, ok := indexes.Load(root); ok {
		if e := v.(*indexEntry); e.file == file {
			return e.data, nil
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	indexes.Store(root, &indexEntry{file, data})
	return data, nil
}

// Decided only by presence: deleting or updating whatever is there.

func deleteIfPresent(key string) bool {
	if _, ok := cache.Load(key); ok {
		cache.Delete(key)
		return true
	}
	return false
}

func deleteAndLog(key string) {
	if _, ok := cache.Load(key); ok {
		cache.Delete(key)
		fmt.Printf("evicted %s\n", key)
	}
}

func loadAndDelete(id, result string) {
	if ch, ok := pending.LoadAndDelete(id); ok {
		ch.(chan string) <- result
	}
}

func updateIfPresent(key string, e *entry) {
	if _, ok := cache.Load(key); ok {
		cache.Store(key, e)
	}
}

// The value read, stored back as it is.
func touch(key string) {
	if v, ok := cache.Load(key); ok {
		v.(*entry).expires = time.Now().Add(time.Hour)
		cache.Store(key, v)
	}
}

func touchAsserted(key string) {
	if v, ok := cache.Load(key); ok {
		e := v.(*entry)
		e.expires = time.Now().Add(time.Hour)
		cache.Store(key, e)
	}
}

// The atomic forms.

func loadOrStore(key string) *entry {
	if v, ok := cache.Load(key); ok {
		return v.(*entry)
	}
	v, _ := cache.LoadOrStore(key, &entry{})
	return v.(*entry)
}

func casLoop(key string) {
	for {
		old, ok := hits.Load(key)
		if !ok {
			if _, loaded := hits.LoadOrStore(key, 1); !loaded {
				return
			}
			continue
		}
		if hits.CompareAndSwap(key, old, old.(int)+1) {
			return
		}
	}
}

func compareAndDelete(key string) {
	if v, ok := cache.Load(key); ok && v.(*entry).expired() {
		cache.CompareAndDelete(key, v)
	}
}

// Read and act in different functions.

func has(key string) bool {
	_, ok := cache.Load(key)
	return ok
}

func put(key string) { cache.Store(key, &entry{}) }

// Not sync.Map.

type store struct{ m map[string]int }

func (s *store) Load(k string) (int, bool) { v, ok := s.m[k]; return v, ok }
func (s *store) Store(k string, v int)     { s.m[k] = v }

func ownType(s *store, k string) {
	if _, ok := s.Load(k); !ok {
		s.Store(k, 1)
	}
}

// Method values are not followed (and must not be misread: their
// arguments lack the receiver).
func methodValues(key string) {
	load, store := cache.Load, cache.Store
	if _, ok := load(key); !ok {
		store(key, &entry{})
	}
}

// A memo of a compilation configured with functional options: every
// goroutine compiles the same program for the same source.
type compileOption func(*compileConfig)

type compileConfig struct {
	env    map[string]any
	strict bool
}

func withEnv(env map[string]any) compileOption {
	return func(c *compileConfig) { c.env = env }
}

func strictMode() compileOption {
	return func(c *compileConfig) { c.strict = true }
}

type program struct{ src string }

func compileExpr(src string, opts ...compileOption) (*program, error) {
	var c compileConfig
	for _, o := range opts {
		o(&c)
	}
	if src == "" {
		return nil, fmt.Errorf("empty expression")
	}
	return &program{src: src}, nil
}

var programs sync.Map // source -> *program

var builtinEnv = map[string]any{"len": func(s string) int { return len(s) }}

func compiled(cond string) (*program, error) {
	if p, ok := programs.Load(cond); ok {
		return p.(*program), nil
	}
	env := map[string]any{"file": "", "tables": []string{}}
	maps.Copy(env, builtinEnv)
	p, err := compileExpr(cond, withEnv(env), strictMode())
	if err != nil {
		return nil, err
	}
	programs.Store(cond, p)
	return p, nil
}

// A registration that panics on a duplicate: two registrations of one name
// are a programming error, and registrations run at init.
var handlers sync.Map // name -> func()

func Register(name string, h func()) {
	if _, ok := handlers.Load(name); ok {
		panic("duplicate handler registered: " + name)
	}
	handlers.Store(name, h)
}

// A cache refreshed when stale: the count is recomputed from scratch (the
// value read is overwritten before the Store), by a callback.
var fileCounts sync.Map // package -> int

func walkFiles(pkg string, f func(name string) bool) {
	for _, name := range strings.Split(pkg, ".") {
		if !f(name) {
			return
		}
	}
}

var registeredFiles = map[string]int{}

func countFiles(pkg string) int {
	v, _ := fileCounts.Load(pkg)
	n, _ := v.(int)
	if n == registeredFiles[pkg] {
		return n
	}
	n = 0
	walkFiles(pkg, func(string) bool {
		n++
		return true
	})
	fileCounts.Store(pkg, n)
	return n
}

var extsByMessage sync.Map // message -> map[int32]string

func extensions(msg string) map[int32]string {
	v, _ := extsByMessage.Load(msg)
	xs, _ := v.(map[int32]string)
	if len(xs) == registeredFiles[msg] {
		return xs
	}
	xs = make(map[int32]string)
	walkFiles(msg, func(name string) bool {
		xs[int32(len(xs))] = name
		return true
	})
	extsByMessage.Store(msg, xs)
	return xs
}

// A memo keyed by a struct of the arguments, computed by a recursive walk
// that carries a visited set.
type fieldKey struct {
	t   reflect.Type
	tag string
}

type fieldScanner struct{ cache sync.Map } // fieldKey -> bool

func (s *fieldScanner) sensitive(t reflect.Type, tag string, visited map[reflect.Type]struct{}) bool {
	k := fieldKey{t: t, tag: tag}
	if v, ok := s.cache.Load(k); ok {
		return v.(bool)
	}
	if _, seen := visited[t]; seen {
		return false
	}
	visited[t] = struct{}{}
	found := false
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map:
		found = s.sensitive(t.Elem(), tag, visited)
	case reflect.Struct:
		for i := range t.NumField() {
			found = found || t.Field(i).Tag.Get(tag) == "secret"
		}
	}
	s.cache.Store(k, found)
	return found
}

// A memo computed by a function literal called in place, which captures the
// key: every goroutine reads the same file for the same directory.
type moduleInfo struct{ dir, data string }

var modulesByDir sync.Map // dir -> *moduleInfo

func loadModuleInfo(dir string) *moduleInfo {
	if v, ok := modulesByDir.Load(dir); ok {
		mi, _ := v.(*moduleInfo)
		return mi
	}
	mi := func() *moduleInfo {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err != nil {
			return nil
		}
		return &moduleInfo{dir: dir, data: string(data)}
	}()
	if mi != nil {
		modulesByDir.Store(dir, mi)
	} else {
		modulesByDir.Store(dir, nil)
	}
	return mi
}
