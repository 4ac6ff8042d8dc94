#!/bin/sh
# Records what crates/shell/src/commands/cargo.rs and tests/cargo.rs are calibrated on: the
# toolchain of rust:1-slim, in the chroot `cargo xtask gen-data rust` leaves. Run by hand as root:
#   sh record.sh /var/tmp/layerlab-gen/derived/rust_1-slim
# (last run 2026-12-06: cargo 1.97.1 (c980f4866 2026-06-30); release binary 444976 bytes,
# dev 4362424; target/ 892007 bytes after the release build).
set -eu
root=$1
chroot "$root" sh -ec '
export RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
cargo --version; rustc --version
cd / && rm -rf /app && cargo new app && cd /app
find . -type f | sort | xargs ls -l
cargo build --release && find target -printf "%y %n %s %p\n" | sort -k4
cargo build && ls -l target/debug/app
cat Cargo.lock
cd / && mkdir -p /nocargo && cd /nocargo && { cargo build || echo "[$?]"; }
'
