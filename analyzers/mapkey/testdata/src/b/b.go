package b

import (
	"math"

	"cache"
)

func use(c *cache.Cache, ids []string, counts map[any]int, h map[float64]int) {
	c.Set(ids, 1)                 // want `unhashable key: Cache.Set \(which uses it as a map key\) panics on a key of type \[\]string`
	_, _ = c.Get([]int{1})        // want `Cache.Get \(which uses it as a map key\) panics on a key of type \[\]int`
	cache.Remember(c, counts)     // want `Remember \(which uses it as a map key\) panics on a key of type map\[any\]int`
	cache.Count[any](counts, ids) // want `Count \(which uses it as a map key\) panics on a key of type \[\]string`
	cache.Bucket(h, math.NaN())   // want `NaN key: Bucket \(which uses it as a map key\) adds an entry`

	c.Set("ids", ids)
	cache.Count(map[string]int{}, "fine")
	cache.Bucket(h, 1.5)
}
