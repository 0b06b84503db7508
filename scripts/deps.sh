#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# deps.sh [--check | --quiet] [--fuzz]
#
# Install the Debian packages Partita's build and tests need, and enable
# the arm64 and s390x package architectures so that scripts/fetch-debs.sh
# can download cmocka and libfdt built for them. Idempotent and quick when
# everything is present, so `make check` runs it every time.
#
#   --check   only report what is missing; exit 1 if anything is.
#   --quiet   say nothing when nothing is missing (make run).
#   --fuzz    also clang and libFuzzer (make fuzz); make check needs
#             neither, so CI does not download them.
set -euo pipefail

packages=(
	make gcc libc6-dev python3 python3-kconfiglib
	libcmocka-dev libfdt-dev device-tree-compiler
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross
	gcc-s390x-linux-gnu binutils-s390x-linux-gnu libc6-dev-s390x-cross
	picolibc-aarch64-linux-gnu
	qemu-system-arm qemu-system-misc qemu-user
	qemu-system-x86 busybox-static kmod cpio
	u-boot-tools
)
fuzz_packages=(clang libclang-rt-14-dev)
foreign_archs=(arm64 s390x)

check_only=0
quiet=0
for arg in "$@"; do
	case $arg in
	--check) check_only=1 ;;
	--quiet) quiet=1 ;;
	--fuzz) packages+=("${fuzz_packages[@]}") ;;
	*) echo "usage: $0 [--check | --quiet] [--fuzz]" >&2; exit 2 ;;
	esac
done

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
	echo "deps: this is not a Debian system (no dpkg/apt-get); install by hand:" >&2
	echo "  ${packages[*]}" >&2
	exit 1
fi

missing=()
for p in "${packages[@]}"; do
	if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != installed ]; then
		missing+=("$p")
	fi
done
missing_archs=()
# Read whole, then searched: "dpkg ... | grep -q" under pipefail fails
# when grep stops reading before dpkg has written (SIGPIPE), a flake.
enabled_archs=$(dpkg --print-foreign-architectures)
for a in "${foreign_archs[@]}"; do
	grep -qx "$a" <<<"$enabled_archs" || missing_archs+=("$a")
done

if [ ${#missing[@]} -eq 0 ] && [ ${#missing_archs[@]} -eq 0 ]; then
	[ $quiet = 1 ] ||
		echo "deps: all ${#packages[@]} packages present; foreign architectures: ${foreign_archs[*]}"
	exit 0
fi
[ ${#missing[@]} -gt 0 ] && echo "deps: missing packages: ${missing[*]}"
[ ${#missing_archs[@]} -gt 0 ] && echo "deps: Debian architectures to enable: ${missing_archs[*]}"
if [ $check_only = 1 ]; then
	exit 1
fi

sudo=
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null; then
		sudo=sudo
	else
		echo "deps: not root and no sudo; as root run: $0" >&2
		exit 1
	fi
fi

for a in "${missing_archs[@]}"; do
	$sudo dpkg --add-architecture "$a"
done
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
if [ ${#missing[@]} -gt 0 ]; then
	$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "deps: done"
