package other

import "lib"

// Direct calls lib.Sink itself, and lib.Closed, which is no wrapper: the
// package uses no wrapper of another package, and is none.
func Direct() {
	lib.Sink(1)
	lib.Closed(1)
}
