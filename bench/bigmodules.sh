#!/usr/bin/env bash
# bench/bigmodules.sh measures go vet, go vet -vettool=mapguard and the
# standalone mapguard on large real modules (100+ packages each: servers,
# generated protobuf/gRPC and Kubernetes client code), once per tool, and
# writes the raw figures to docs/performance-modules.tsv; bench/bench.sh -r
# renders them as the "Large modules" section of docs/performance.md.
#
# Usage: bench/bigmodules.sh [-o OUTPUT.tsv] [-n RUNS] [-k DIR [-p]] [MODULE@VERSION ...]
#
# -n RUNS measures every row RUNS times (default 1), the tools taking turns,
# and bench.sh renders the medians: on a shared machine one run of a module
# can move by a quarter.
#
# -k DIR keeps each module's copy and primed build cache in DIR and reuses
# them on the next run (priming a large module takes many minutes), and
# leaves there what the standalone run found (findings.txt); with -p it only
# primes them, for a later run with the same -k DIR.
#
# Each module is copied out of the module cache (only the Go module proxy is
# used) and checked there with ./... and its own go.mod (GOWORK=off). A build
# cache private to the module is primed first with the compiled packages
# and test variants go vet needs; each timed run gets a fresh copy of it, so
# compilation is not timed and no tool finds cached analysis results. Wall
# time, CPU time and the peak RSS of the largest process (GNU time) are
# recorded. One
# run per tool: on a shared machine read the ratios, not the seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOWORK=off

out=docs/performance-modules.tsv
runs=1
keep=
primeonly=
while getopts "o:n:k:p" opt; do
	case $opt in
	o) out=$OPTARG ;;
	n) runs=$OPTARG ;;
	k) keep=$(mkdir -p "$OPTARG" && cd "$OPTARG" && pwd) ;;
	p) primeonly=1 ;;
	*) echo "usage: bench/bigmodules.sh [-o OUTPUT.tsv] [-n RUNS] [-k DIR [-p]] [MODULE@VERSION ...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ -n "$primeonly" ] && [ -z "$keep" ]; then
	echo "bigmodules: -p needs -k DIR" >&2
	exit 2
fi

# The modules of docs/performance.md, pinned.
modules=(
	google.golang.org/grpc@v1.85.0
	k8s.io/client-go@v0.37.2
	k8s.io/apiserver@v0.37.2
	github.com/ethereum/go-ethereum@v1.17.10
	github.com/prometheus/prometheus@v0.316.0
)
[ $# -gt 0 ] && modules=("$@")

for tool in /usr/bin/time go git; do
	command -v "$tool" >/dev/null || { echo "bigmodules: $tool is needed (GNU time: apt-get install time)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/mapguard-bigmodules.XXXXXX)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
go build -o "$work/mapguard" ./cmd/mapguard
mapguard=$work/mapguard

. bench/lib.sh # the scripts run from the repository root (cd above)

results=$work/results.tsv
: >"$results"

# measure MODULE PKGS NAME CMD...: run CMD once in the module from a fresh
# copy of its primed cache; append "module pkgs name seconds maxrss_kb exit
# cpu_seconds" (CPU: user and system time, the tool processes included).
measure() {
	local module=$1 pkgs=$2 name=$3
	shift 3
	local cache=$work/gocache-run code=0
	if [ "$name" = "mapguard (standalone, re-run)" ]; then
		# The caches of the run before, which must be the standalone's.
		:
	else
		chmod -R u+w "$cache" 2>/dev/null || true
		rm -rf "$cache"
		cp -a "$primed" "$cache"
		# The standalone's result cache starts empty too (a re-run would replay).
		rm -rf "$work/mgcache"
	fi
	GOCACHE=$cache MAPGUARD_CACHE=$work/mgcache /usr/bin/time -f "%e %M %U %S" -o "$work/time.out" "$@" >"$work/stdout.out" 2>"$work/stderr.out" || code=$?
	read -r secs rss usr sys < <(tail -n 1 "$work/time.out") || { secs=NaN; rss=0; usr=0; sys=0; }
	cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$module" "$pkgs" "$name" "$secs" "$rss" "$code" "$cpu" >>"$results"
	echo "bigmodules: $module $name: ${secs}s, ${cpu}s CPU, ${rss} KB, exit $code" >&2
	grep -h "skipped" "$work/stderr.out" >&2 || true
}

for module in "${modules[@]}"; do
	name=$(echo "$module" | tr '/@' '__')
	if [ -n "$keep" ] && [ -f "$keep/$name/primed.ok" ]; then
		dir=$keep/$name/src
		primed=$keep/$name/gocache-primed
	else
		dir=$(download "$module") || { echo "bigmodules: cannot download $module" >&2; continue; }
		(cd "$dir" && { [ -f go.sum ] || go mod download all; }) >/dev/null 2>&1 || true
		primed=$work/gocache-primed
		if [ -n "$keep" ]; then
			rm -rf "${keep:?}/$name" && mkdir -p "$keep/$name"
			mv "$dir" "$keep/$name/src"
			dir=$keep/$name/src
			primed=$keep/$name/gocache-primed
		fi
		echo "bigmodules: $module: priming its build cache" >&2
		chmod -R u+w "$primed" 2>/dev/null || true
		rm -rf "$primed"
		(cd "$dir" && GOCACHE=$primed go list -deps -test -export ./... >/dev/null 2>&1) || true
		[ -n "$keep" ] && touch "$keep/$name/primed.ok"
	fi
	pkgs=$(cd "$dir" && go list ./... 2>/dev/null | wc -l)
	echo "bigmodules: $module: $pkgs packages" >&2
	[ -z "$primeonly" ] || continue
	cd "$dir"
	for _ in $(seq "$runs"); do
		measure "$module" "$pkgs" "go vet" go vet ./...
		# mapguard's checks alone: through go vet, mapguard also runs go
		# vet's own suite by default (one pass for both), which bench.sh
		# measures.
		measure "$module" "$pkgs" "go vet -vettool=mapguard" go vet -vettool="$mapguard" -govet=false ./...
		measure "$module" "$pkgs" "mapguard (standalone)" "$mapguard" ./...
		# What it found, for triage (docs/evaluation.md).
		[ -z "$keep" ] || cat "$work/stdout.out" "$work/stderr.out" >"$keep/$name/findings.txt"
		# The same again on the unchanged tree, with the caches the run left.
		measure "$module" "$pkgs" "mapguard (standalone, re-run)" "$mapguard" ./...
	done
	cd - >/dev/null
	[ -n "$keep" ] || { chmod -R u+w "$dir" && rm -rf "$dir"; }
done
if [ -n "$primeonly" ]; then
	echo "bigmodules: primed in $keep" >&2
	exit 0
fi

{
	printf '#machine\t%s cores (%s), %s, shared with other jobs\n' "$(nproc)" \
		"$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown)" \
		"$(awk '/MemTotal/ { printf "%.0f GiB", $2/1048576 }' /proc/meminfo 2>/dev/null || echo unknown)"
	printf '#go\t%s\n' "$(go version | cut -d' ' -f3-)"
	printf '#commit\t%s\n' "$commit"
	printf '#runs\t%s\n' "$runs"
	printf '#date\t%s\n' "$(date -u +%Y-%m-%d)"
	cat "$results"
} >"$out"
echo "bigmodules: wrote $out; run bench/bench.sh -r to render docs/performance.md" >&2
