package libpos // want package:"analyzed"

// Package libpos is a library: its exported functions may run at any time,
// after its init has loaded its maps.

import (
	"encoding/json"
	"os"
	"sync"
)

// tags: changed through the exported API; saveTags exists but nothing
// calls it.
var tags sync.Map

func init() {
	data, err := os.ReadFile("tags.json")
	if err != nil {
		return
	}
	var saved map[string][]string
	if json.Unmarshal(data, &saved) == nil {
		for k, v := range saved {
			tags.Store(k, v) // want `tags is loaded from tags.json at start-up and changed at run time, but never written back`
		}
	}
}

// Tag adds a tag.
func Tag(item, tag string) {
	v, _ := tags.Load(item)
	list, _ := v.([]string)
	tags.Store(item, append(list, tag))
}

func saveTags() error {
	out := make(map[string][]string)
	tags.Range(func(k, v any) bool {
		out[k.(string)] = v.([]string)
		return true
	})
	data, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return os.WriteFile("tags.json", data, 0o644)
}
