#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fetch-debs.sh DEB_ARCH DIR
#
# Unpack cmocka and libfdt built for a foreign Debian architecture into DIR
# (the build tree), for cross-built unit tests and firmware. libfdt-dev
# cannot be installed for two foreign architectures at once, so we unpack
# the packages instead of installing them. Needs the architecture enabled
# with `dpkg --add-architecture` and `apt-get update` (scripts/deps.sh).
set -euo pipefail

arch=${1:?usage: fetch-debs.sh DEB_ARCH DIR}
dir=${2:?usage: fetch-debs.sh DEB_ARCH DIR}
pkgs="libcmocka0 libcmocka-dev libfdt1 libfdt-dev"

# Read whole, then searched: "dpkg ... | grep -q" under pipefail fails
# when grep stops reading before dpkg has written (SIGPIPE), a flake.
enabled=$(dpkg --print-foreign-architectures)
if ! grep -qx "$arch" <<<"$enabled"; then
	echo "fetch-debs: Debian architecture '$arch' is not enabled;" \
	     "run scripts/deps.sh (or: dpkg --add-architecture $arch && apt-get update)" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# apt drops privileges to _apt for downloads; let it write here.
chmod 0777 "$tmp"
echo "  FETCH    $pkgs for $arch"
(cd "$tmp" && apt-get download -q $(for p in $pkgs; do printf '%s:%s ' "$p" "$arch"; done) >/dev/null)
rm -rf "$dir"
mkdir -p "$dir"
for deb in "$tmp"/*.deb; do
	dpkg-deb -x "$deb" "$dir"
done
touch "$dir/.fetched"
