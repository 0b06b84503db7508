#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-arm64.sh [QEMU ARGS...]
#
# Build the arm64 firmware (arm64_virt_defconfig in build/arm64 unless
# that directory is already configured) and boot it on QEMU virt with an
# SMMUv3. The firmware's last console line, "EXIT: STATUS=<n>", is the
# result: this script exits with n, or with 1 when the line never comes
# (a hang is cut off after RUN_TIMEOUT seconds, default 30).
#
# Extra arguments go to QEMU, e.g. `-device edu` or `-m 1G`.
set -uo pipefail

cd "$(dirname "$0")/.."
build=${RUN_BUILD:-build/arm64}
timeout_s=${RUN_TIMEOUT:-30}
qemu=qemu-system-aarch64

if ! command -v "$qemu" >/dev/null; then
	echo "run: $qemu not found; run 'make deps' (scripts/deps.sh)" >&2
	exit 1
fi
if [ ! -f "$build/.config" ]; then
	make --no-print-directory O="$build" arm64_virt_defconfig || exit 1
fi
make --no-print-directory O="$build" -j"$(nproc)" || exit 1

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# -nic none: QEMU's default NIC wants an option ROM (ipxe-qemu) that a
# minimal Debian install lacks, and Partita has no use for it.
timeout --foreground "$timeout_s" "$qemu" -M virt,iommu=smmuv3 -cpu max \
	-m 512M -nographic -nic none -no-reboot \
	-kernel "$build/Image" "$@" | tee "$log"
rc=${PIPESTATUS[0]}
status=$(tr -d '\r' < "$log" | sed -n 's/^EXIT: STATUS=\([0-9][0-9]*\)$/\1/p' | tail -n 1)
if [ -z "$status" ]; then
	if [ "$rc" = 124 ]; then
		echo "run: no EXIT line within ${timeout_s}s: the firmware hung" >&2
	else
		echo "run: QEMU exited ($rc) without an EXIT line" >&2
	fi
	exit 1
fi
exit "$status"
