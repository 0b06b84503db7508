#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make bench: build the host configuration into build/bench and run every
# benchmark program (bench/Makefile). Figures are medians over several
# runs; a program exits 1 when it misses a target. Record results in
# docs/performance.md with the machine and the date.
set -uo pipefail
cd "$(dirname "$0")/.."
build=build/bench
status=0

bash scripts/deps.sh --quiet || exit 1
make --no-print-directory O="$build" host_defconfig >/dev/null || exit 1
make --no-print-directory -j"$(nproc)" O="$build" benches >/dev/null || exit 1
echo "machine: $(uname -m), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //')"
echo "date: $(date -u +%Y-%m-%d)"
while IFS= read -r b; do
	echo
	echo "== $(basename "$b")"
	"$b" || status=1
done <"$build/bench/list"
exit $status
