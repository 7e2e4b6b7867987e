# bench/lib.sh: what bench/evaluate.sh and bench/bigmodules.sh share.
# Source it after setting $work, the run's scratch directory.

# download MODULE@VERSION: copy the module out of the module cache (only the
# Go module proxy is used) into $work/src, writable, and print where.
download() {
	local dir copy
	dir=$(go mod download -json "$1" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
	[ -n "$dir" ] || return 1
	copy=$work/src/$(echo "$1" | tr '/@' '__')
	mkdir -p "$copy"
	cp -r "$dir/." "$copy"
	chmod -R u+w "$copy"
	echo "$copy"
}
