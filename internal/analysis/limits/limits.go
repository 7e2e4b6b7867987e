// Package limits names the bounds on searches that more than one check, or
// a check and a shared helper, apply to the same kind of search. A bound
// only one check uses is a named constant in that check.
//
// The bounds keep each search small and its cost predictable; none of them
// is reached by ordinary code. Where one is reached, the search gives up and
// the check says nothing (a bound can cost a finding, never add a wrong one).
// Changing one changes what the checks find: the values are the ones the
// checks were measured with (docs/evaluation.md).
package limits

// CondDepth bounds how many operators deep a branch condition is taken apart
// (!c, c == true, a φ of && or ||) when a check asks whether it tests that a
// looked-up value is present: syncmapload's implies and mentions,
// checkthenact's presence.
const CondDepth = 4

// FeedSteps bounds how many values a check follows from a read, through
// arithmetic and conversions, to the stores the read feeds (v.N = v.N + 1,
// m[k] += n): lostwrite's updatesOnly, mapcopy's incrementsOnly.
const FeedSteps = 16

// DominatorSteps bounds a walk up the dominator tree. A walk ends at the
// entry block long before; the bound only guards against malformed input.
const DominatorSteps = 10000
