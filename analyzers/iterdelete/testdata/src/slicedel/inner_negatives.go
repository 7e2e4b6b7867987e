package slicedel

// Removals inside an inner loop that are correct.

// The inner loop breaks, and the outer loop steps back.
func dropRulesBreak(set *RuleSet, drop []string) {
	for i := 0; i < len(set.Rules); i++ {
		for _, x := range drop {
			if set.Rules[i].ID == x {
				set.Rules = append(set.Rules[:i], set.Rules[i+1:]...)
				i--
				break
			}
		}
	}
}

// The inner loop reports a match, and the outer loop deletes and stays.
func dropRulesFlag(set *RuleSet, drop []string) {
	for i := 0; i < len(set.Rules); {
		found := false
		for _, x := range drop {
			if set.Rules[i].ID == x {
				found = true
				break
			}
		}
		if found {
			set.Rules = append(set.Rules[:i], set.Rules[i+1:]...)
			continue
		}
		i++
	}
}

// The inner loop returns after the removal.
func dropFirstRule(set *RuleSet, drop []string) {
	for i := 0; i < len(set.Rules); i++ {
		for _, x := range drop {
			if set.Rules[i].ID == x {
				set.Rules = append(set.Rules[:i], set.Rules[i+1:]...)
				return
			}
		}
	}
}

// A backward loop.
func dropRulesBackward(sets []RuleSet, drop []string) {
	for si, set := range sets {
		for i := len(set.Rules) - 1; i >= 0; i-- {
			for _, x := range drop {
				if set.Rules[i].ID == x {
					set.Rules = append(set.Rules[:i], set.Rules[i+1:]...)
					break
				}
			}
		}
		sets[si] = set
	}
}

// A backward loop over the slice of a range copy.
func countAfterDrop(sets []RuleSet, drop string) int {
	n := 0
	for _, set := range sets {
		for i := len(set.Rules) - 1; i >= 0; i-- {
			if set.Rules[i].ID == drop {
				set.Rules = append(set.Rules[:i], set.Rules[i+1:]...)
			}
		}
		n += len(set.Rules)
	}
	return n
}

// The inner loop steps back and continues the outer loop by its label.
func dropRulesLabeled(set *RuleSet, drop []string) {
outer:
	for i := 0; i < len(set.Rules); i++ {
		for _, x := range drop {
			if set.Rules[i].ID == x {
				set.Rules = append(set.Rules[:i], set.Rules[i+1:]...)
				i--
				continue outer
			}
		}
	}
}

// A local slice, the inner loop breaking after a removal that the outer
// loop then re-examines without advancing.
func dropLocal(s []Rule, drop []string) []Rule {
	for i := 0; i < len(s); {
		removed := false
		for _, x := range drop {
			if s[i].ID == x {
				s = append(s[:i], s[i+1:]...)
				removed = true
				break
			}
		}
		if !removed {
			i++
		}
	}
	return s
}
