package a

import "sync"

// A Store that seeds a default when Load found nothing: every goroutine
// seeding it would store the same, but another function stores other
// values into the map, and the default can overwrite one stored in between.

const defaultLimit = 100

var limits sync.Map // user -> int

func limitFor(user string) int {
	if _, ok := limits.Load(user); !ok {
		limits.Store(user, defaultLimit) // want `lost insert: this Store runs when Load found no entry, but another goroutine can store the key in between, and this Store overwrites its value; use LoadOrStore`
	}
	v, _ := limits.Load(user)
	return v.(int)
}

func setLimit(user string, n int) { limits.Store(user, n) }

type quota struct {
	plans sync.Map // user -> plan name
}

var freePlan = "free"

func (q *quota) planOf(user string) string {
	if _, ok := q.plans.Load(user); !ok {
		q.plans.Store(user, freePlan) // want `lost insert: this Store runs when Load found no entry`
	}
	v, _ := q.plans.Load(user)
	return v.(string)
}

func (q *quota) upgrade(user, plan string) { q.plans.Store(user, plan) }

// Look-alikes: every Store of the map stores the same default, or the other
// Store belongs to the same decision.

var flags sync.Map // name -> true

func flagOnce(name string) {
	if _, ok := flags.Load(name); !ok {
		flags.Store(name, true)
	}
}

func setFlag(name string) { flags.Store(name, true) }

var modes sync.Map // key -> mode, "off" until decided

func modeFor(key string, on bool) {
	if _, ok := modes.Load(key); !ok {
		if on {
			modes.Store(key, "on")
		} else {
			modes.Store(key, "off")
		}
	}
}
