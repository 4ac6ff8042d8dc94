#!/bin/sh
# Runs each line of differential.txt with bookworm's real /bin/sh and tools, in a fresh
# copy of the debian:bookworm-slim root the data generator builds, as Docker runs a RUN
# step (`/bin/sh -c`, a bare environment, C locale), and writes differential.expected.
# By hand, as root, after `cargo xtask gen-data apt` (which leaves the root below):
#   sh crates/shell/tests/data/compare-with-bookworm.sh [awk]
# (a list name: differential by default, awk for awk.txt -> awk.expected)
set -eu
here=$(dirname "$0")
base=${LAYERLAB_GEN_DIR:-/var/tmp/layerlab-gen}/apt/base
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
list=${1:-differential}
out="$here/$list.expected"
: > "$out"
while IFS= read -r script; do
	rm -rf "$work/root"
	cp -a "$base" "$work/root"
	{
		printf "== %s\n" "$script"
		env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
			chroot "$work/root" /bin/sh -c "cd / && $script" 2>&1 && status=0 || status=$?
		echo "[$status]"
	} >> "$out"
done < "$here/$list.txt"
