package main

import "time"

// Config is the configuration of one cache namespace.
type Config struct {
	TTL  time.Duration
	Tags map[string]string // labels added to every entry of the namespace
}

// DefaultConfig is what a namespace starts with.
func DefaultConfig() Config {
	return Config{TTL: time.Hour, Tags: map[string]string{"owner": "cache"}}
}

// WithTag returns the configuration with one more tag. The copy it returns
// shares Tags with the receiver: the tag lands in the caller's Config too,
// and in every namespace made from it.
func (c Config) WithTag(k, v string) Config {
	c.Tags[k] = v
	return c
}

// ClearTags is meant to drop every tag before a namespace is reused; it
// clears the tags of a copy and the namespace keeps them.
func (c Config) ClearTags() {
	c.Tags = map[string]string{}
}
