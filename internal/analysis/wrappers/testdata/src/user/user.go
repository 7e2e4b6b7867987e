package user // want "uses a wrapper of another package" package:"hasWrappers"

import "lib"

// Use wraps lib.WrapWrap, known from its fact.
func Use(v any) { lib.WrapWrap(1, v) } // want Use:"passes\\[0\\]"
