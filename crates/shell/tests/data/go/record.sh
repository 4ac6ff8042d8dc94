#!/bin/sh
# Records what crates/shell/src/commands/golang.rs and tests/go.rs are calibrated on: Debian
# bookworm's golang-go in a chroot of debian:bookworm-slim. Run by hand as root:
#   sh record.sh /path/to/an/unpacked/bookworm-slim
# (last run 2026-12-06: go1.19.8, hello 1819292 bytes, stripped 1216512, cache 1305239 bytes
# in 91 files: README 222, trim.txt 10, 89 artifacts).
set -eu
root=$1
cp /etc/resolv.conf "$root/etc/"
mount --bind /dev "$root/dev"
trap 'umount "$root/dev"' EXIT
chroot "$root" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go >/dev/null'
chroot "$root" sh -ec '
export HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
rm -rf /root/.cache /app && mkdir -p /app /e1 && cd /app
printf "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello world\")\n}\n" > main.go
go version
go build || echo "[$?]"
go mod init example.com/hello
cat go.mod
go build && ls -l hello
du -sb /root/.cache/go-build && find /root/.cache/go-build -type f | wc -l
go build -ldflags="-s -w" -o app2 . && ls -l app2
go mod init x || echo "[$?]"
cd /e1 && { go mod init || echo "[$?]"; }
go build ./nosuch || echo "[$?]"
'
