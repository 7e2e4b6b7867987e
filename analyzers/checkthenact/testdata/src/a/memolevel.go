package a

import (
	"regexp"
	"runtime"
	"sync"
	"sync/atomic"
)

// A level cached per call site, computed from the key and from a snapshot
// of the handler's configuration (go-ethereum's log.GlogHandler): every
// goroutine computing it for that site and that configuration gets the
// same level, so the Store after a miss loses nothing.

type levelRule struct {
	pattern *regexp.Regexp
	level   int
}

type levelConfig struct {
	level    int
	patterns []levelRule
	cache    *sync.Map
}

type levelHandler struct {
	config atomic.Pointer[levelConfig]
}

type record struct {
	PC    uintptr
	Level int
}

func (h *levelHandler) enabled(r record) bool {
	cfg := h.config.Load()
	var lvl int
	cached, ok := cfg.cache.Load(r.PC)
	if ok {
		lvl = cached.(int)
	} else {
		fs := runtime.CallersFrames([]uintptr{r.PC})
		frame, _ := fs.Next()
		file := frame.File
		lvl = cfg.level
		for _, rule := range cfg.patterns {
			if rule.pattern.MatchString("+" + file) {
				lvl = rule.level
			}
		}
		cfg.cache.Store(r.PC, lvl)
	}
	return lvl <= r.Level
}

// The same with the file handed in by the caller: another goroutine can
// compute another level for the same site and have it overwritten.
func (h *levelHandler) enabledIn(r record, file string) bool {
	cfg := h.config.Load()
	var lvl int
	cached, ok := cfg.cache.Load(r.PC)
	if ok {
		lvl = cached.(int)
	} else {
		lvl = cfg.level
		for _, rule := range cfg.patterns {
			if rule.pattern.MatchString("+" + file) {
				lvl = rule.level
			}
		}
		cfg.cache.Store(r.PC, lvl) // want `lost insert: this Store runs when Load found no entry`
	}
	return lvl <= r.Level
}
