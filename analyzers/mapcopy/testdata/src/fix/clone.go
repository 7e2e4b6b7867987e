package fix

import "fmt"

type Labels struct {
	m    map[string]string
	name string
}

func (l Labels) With(k, v string) Labels {
	l.m[k] = v // want `l.m\[k\] = v writes into the map that the returned copy shares`
	return l
}

func (l Labels) String() string { return fmt.Sprint(l.name) }
