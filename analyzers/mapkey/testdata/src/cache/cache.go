package cache // want package:"hasHashers"

// Package cache holds key-taking wrappers used from package b.

import "sync"

type Cache struct{ m sync.Map }

func (c *Cache) Set(key, value any) { // want Set:"hashes\\(1 insert\\)"
	c.m.Store(key, value)
}

func (c *Cache) Get(key any) (any, bool) { // want Get:"hashes\\(1 lookup\\)"
	return c.m.Load(key)
}

// Remember is a wrapper of a wrapper.
func Remember(c *Cache, key any) { // want Remember:"hashes\\(1 insert\\)"
	c.Set(key, true)
}

// Count is generic.
func Count[K comparable](counts map[K]int, k K) { // want Count:"hashes\\(1 insert\\)"
	counts[k]++
}

// Bucket keys a histogram by float.
func Bucket(h map[float64]int, x float64) { // want Bucket:"hashes\\(1 insert\\)"
	h[x]++
}

// describe is not exported: no fact.
func describe(c *Cache, key any) { c.Set(key, "") }
