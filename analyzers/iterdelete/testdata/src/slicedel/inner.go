package slicedel

// Removals inside an inner loop that goes on after them: the outer index
// still advances, and the inner loop keeps testing the old element.

type Rule struct{ ID string }

type RuleSet struct {
	Name  string
	Rules []Rule
}

func dropRules(set *RuleSet, drop []string) {
	for i, r := range set.Rules {
		for _, x := range drop {
			if r.ID == x {
				set.Rules = append(set.Rules[:i], set.Rules[i+1:]...) // want `deletes set\.Rules\[i\] while ranging over set\.Rules`
			}
		}
	}
}

func dropRulesIndexed(set *RuleSet, drop []string) {
	for i := 0; i < len(set.Rules); i++ {
		for _, x := range drop {
			if set.Rules[i].ID == x {
				set.Rules = append(set.Rules[:i], set.Rules[i+1:]...) // want `deletes set\.Rules\[i\] inside a loop that then advances i`
			}
		}
	}
}

func dropFromSets(sets []RuleSet, drop []string) {
	for si, set := range sets {
		for i, r := range set.Rules {
			for _, x := range drop {
				if r.ID == x {
					set.Rules = append(set.Rules[:i], set.Rules[i+1:]...) // want `deletes set\.Rules\[i\] while ranging over set\.Rules`
				}
			}
		}
		sets[si] = set
	}
}

func dropFromSetsIndexed(sets []RuleSet, drop []string) []RuleSet {
	for si, set := range sets {
		for i := 0; i < len(set.Rules); i++ {
			for _, x := range drop {
				if set.Rules[i].ID == x {
					set.Rules = append(set.Rules[:i], set.Rules[i+1:]...) // want `deletes set\.Rules\[i\] inside a loop that then advances i`
				}
			}
		}
		sets[si] = set
	}
	return sets
}
