package mutators

// The want comments of the testdata match each method's Mutates fact.
func init() { factsForTests = true }
