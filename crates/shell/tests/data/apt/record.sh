#!/bin/sh
# Records session.expected: runs session.sh with the real apt and dpkg in a chroot of the
# published debian:bookworm-slim (the generator's tar), reaching Debian's mirror.
# Run by hand, as root, from this folder: sh record.sh
set -eu
gen=${LAYERLAB_GEN_DIR:-/var/tmp/layerlab-gen}
root=$(mktemp -d)
tar -xf "$gen/debian/bookworm-slim.tar" -C "$root"
cp "$gen/debian/slim/debuerreotype-epoch" "$root/"
debuerreotype-chroot "$root" /bin/sh -c "$(cat session.sh)" > session.expected 2>&1 < /dev/null || true
rm -rf "$root"
