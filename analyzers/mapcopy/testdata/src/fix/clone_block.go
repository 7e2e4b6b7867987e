package fix

import (
	"strings"
)

type Route struct {
	headers map[string]string
	path    string
}

func (r Route) WithHeader(k, v string) Route {
	r.headers[strings.ToLower(k)] = v // want `r.headers\[strings.ToLower\(k\)\] = v writes into the map that the returned copy shares`
	delete(r.headers, "")             // want `delete\(r.headers, ""\) writes into the map that the returned copy shares`
	return r
}
