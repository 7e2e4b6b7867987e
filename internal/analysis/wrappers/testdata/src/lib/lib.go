package lib // want package:"hasWrappers"

// Sink is the operation the test check looks for.
func Sink(v any) {}

func Wrap(v any) { Sink(v) } // want Wrap:"passes\\[0\\]"

// WrapWrap is found in a second round: a wrapper of a wrapper.
func WrapWrap(n int, v any) { Wrap(v) } // want WrapWrap:"passes\\[1\\]"

// Closed hands Sink a value of its own type: not a wrapper.
func Closed(n int) { Sink(n) }

// unexported is a wrapper, but no other package can call it: no fact.
func unexported(v any) { Sink(v) }
