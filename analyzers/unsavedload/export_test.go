package unsavedload

// The want comments of the testdata match each function's storageFact.
func init() { funcFactsForTests = true }
