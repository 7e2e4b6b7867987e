#!/usr/bin/env bash
# bench/evaluate.sh runs every mapguard check (opt-in ones included) over the
# standard library and over real modules, and prints one line per target
# (findings, exit code, wall time) plus every finding, for triage in
# docs/evaluation.md.
#
# Usage: bench/evaluate.sh [MODULE@VERSION ...]
#        bench/evaluate.sh -deps-of MODULE@VERSION
# Without arguments it evaluates std, every module in this repository's build
# list, and the well-known modules listed below. Each module is copied out of
# the module cache into a scratch directory and checked there with ./... (its
# own go.mod, its tests included); nothing but the Go module proxy is used.
# -deps-of evaluates every module that provides a package MODULE's packages
# import (golangci-lint's linters, for instance).
set -euo pipefail
cd "$(dirname "$0")/.."
# A module's go.work can list directories its module zip leaves out: each
# module is checked on its own.
export GOWORK=off

work=$(mktemp -d /tmp/mapguard-eval.XXXXXX)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
go build -o "$work/mapguard" ./cmd/mapguard
mapguard=$work/mapguard

optin=$("$mapguard" -help | awk '/opt in with -enable=/ { sub(/.*-enable=/, ""); sub(/\).*/, ""); printf "%s%s", sep, $0; sep="," }')
enable=()
[ -n "$optin" ] && enable=("-enable=$optin")

wellknown=(
	honnef.co/go/tools@v0.8.2
	github.com/golangci/golangci-lint/v2@v2.15.0
)

. bench/lib.sh # the scripts run from the repository root (cd above)

if [ "${1:-}" = -deps-of ] && [ $# = 2 ]; then
	top=$(download "$2") || { echo "evaluate: cannot download $2" >&2; exit 1; }
	mapfile -t targets < <(cd "$top" && go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}}@{{.Version}}{{end}}{{end}}' ./... | sort -u)
elif [ $# -gt 0 ]; then
	targets=("$@")
else
	targets=(std)
	while read -r path version; do
		[ -n "$version" ] && targets+=("$path@$version")
	done < <(go list -m -f '{{if not .Main}}{{.Path}} {{.Version}}{{end}}' all)
	targets+=("${wellknown[@]}")
fi

findings=$work/findings.txt
printf '%-55s %8s %5s %8s\n' target findings exit seconds
for target in "${targets[@]}"; do
	out=$work/out.txt
	start=$(date +%s.%N)
	code=0
	if [ "$target" = std ]; then
		"$mapguard" "${enable[@]}" std >"$out" 2>&1 || code=$?
	else
		copy=$(download "$target") || {
			printf '%-55s %8s %5s %8s\n' "$target" "-" "-" "not downloadable"
			continue
		}
		if [ ! -f "$copy/go.mod" ]; then
			# A module from before go.mod: give it one, and let go mod tidy
			# pick its dependencies from the proxy.
			(cd "$copy" && go mod init "${target%@*}" >/dev/null 2>&1 && go mod tidy >/dev/null 2>&1) || {
				printf '%-55s %8s %5s %8s\n' "$target" "-" "-" "no go.mod, tidy failed"
				continue
			}
		fi
		(cd "$copy" && go mod download all >/dev/null 2>&1 || true) # writes a missing go.sum too
		(cd "$copy" && "$mapguard" "${enable[@]}" ./... >"$out" 2>&1) || code=$?
	fi
	secs=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { print a - b }')
	n=$(grep -cE '^[^[:space:]].*: .* \([a-z]+\)$' "$out" || true)
	printf '%-55s %8s %5s %8.1f\n' "$target" "$n" "$code" "$secs"
	if grep -qE "^panic: |^goroutine [0-9]+ \[|internal error: check " "$out"; then
		echo "  CRASH:" && sed 's/^/  /' "$out"
	fi
	if [ "$n" -gt 0 ]; then
		{ echo "== $target"; grep -E '^[^[:space:]].*: .* \([a-z]+\)$|^	' "$out"; } >>"$findings"
	fi
	if [ "$code" = 1 ]; then
		# Load errors (a module's test needing a tool, cgo, a build tag) are
		# listed, not hidden: the packages that did load were still checked.
		grep '^mapguard: ' "$out" | sed 's/^/  /' | head -5
	fi
done
if [ -s "$findings" ]; then
	echo
	echo "Findings:"
	cat "$findings"
fi
