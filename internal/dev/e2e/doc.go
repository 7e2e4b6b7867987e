// Package e2e holds the end-to-end tests of mapguard's integrations with
// other tools: the golangci-lint module plugin built with the real
// golangci-lint custom, and the pre-commit hooks run by the real pre-commit.
// The package has no code of its own.
//
// A tool these tests need may be missing on a developer's machine, and the
// test then skips; with MAPGUARD_CI set (as .ci/run sets it) a missing tool
// fails the test instead, so that CI never passes by skipping.
package e2e
