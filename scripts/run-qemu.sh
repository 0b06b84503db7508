#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-qemu.sh arm64|s390x [QEMU ARGS...]
#
# Build a firmware image (build/<arch>, configured from the target's
# defconfig unless already configured; RUN_BUILD overrides the directory; its text/data/bss sizes are printed)
# and boot it on QEMU:
#   arm64: qemu-system-aarch64 -M virt,iommu=smmuv3,virtualization=on
#          -smp 4 -cpu max -kernel Image -initrd guests.itb, with two edu
#          PCI devices (00:01.0, 00:02.0) behind the SMMU
#   s390x: qemu-system-s390x -M s390-ccw-virtio -kernel partita.elf
#          with two virtio-rng-pci behind zPCI (0001:00:00.0 and
#          0002:00:00.0, translated: iommu_platform=on) and two
#          virtio-rng-ccw subchannels (0.0.0000, 0.0.0001)
# The firmware's last console line, "EXIT: STATUS=<n>", is the result:
# this script exits with n, or with 1 when the line never comes (a hang is
# cut off after RUN_TIMEOUT seconds, default 30). Extra arguments go to
# QEMU, e.g. `-m 1G` or `-append "..."`.
set -uo pipefail

cd "$(dirname "$0")/.."
arch=${1:-}
shift || true
case $arch in
arm64)
	defconfig=arm64_virt_defconfig
	qemu=qemu-system-aarch64
	image=Image
	# -nic none: the default NIC wants an option ROM (ipxe-qemu) that a
	# minimal Debian install lacks, and Partita has no use for it.
	# virtualization=on: EL2, where guests need Partita to be; -smp 4:
	# CPU 0 for the manager, 1 for p0's guest, 2-3 for p1's. The
	# guests' FIT is the initrd (built with the image).
	machine=(-M virt,iommu=smmuv3,virtualization=on -cpu max -m 512M
		 -smp 4 -nic none -device edu -device edu)
	;;
s390x)
	defconfig=s390x_defconfig
	qemu=qemu-system-s390x
	image=partita.elf
	# -nic none: no default network device (it would take a
	# subchannel). IOMMU_PLATFORM=off makes the rng devices ignore
	# their IOMMU (the self-test must catch that).
	iommu_platform=${IOMMU_PLATFORM:-on}
	machine=(-M s390-ccw-virtio -m 128M -nic none
		 -device zpci,uid=1,fid=1,target=rng0
		 -device virtio-rng-pci,id=rng0,disable-legacy=on,iommu_platform=$iommu_platform
		 -device zpci,uid=2,fid=2,target=rng1
		 -device virtio-rng-pci,id=rng1,disable-legacy=on,iommu_platform=$iommu_platform
		 -device virtio-rng-ccw -device virtio-rng-ccw)
	;;
*)
	echo "usage: $0 arm64|s390x [QEMU ARGS...]" >&2
	exit 2
	;;
esac
build=${RUN_BUILD:-build/$arch}
timeout_s=${RUN_TIMEOUT:-30}

if ! command -v "$qemu" >/dev/null; then
	echo "run: $qemu not found; run 'make deps' (scripts/deps.sh)" >&2
	exit 1
fi
if [ ! -f "$build/.config" ]; then
	make --no-print-directory O="$build" "$defconfig" || exit 1
fi
make --no-print-directory O="$build" -j"$(nproc)" >/dev/null || exit 1
# What the image costs: its sections as the ELF says.
cross=$(sed -n 's/^CONFIG_ARCH=//p' "$build/.config" | tr -d '"')
case $cross in
arm64) size_tool=aarch64-linux-gnu-size ;;
s390x) size_tool=s390x-linux-gnu-size ;;
*) size_tool=size ;;
esac
if command -v "$size_tool" >/dev/null; then
	"$size_tool" "$build/partita.elf" 2>/dev/null |
		awk 'NR == 2 { printf "run: image: text %d, data %d, bss %d bytes\n", $1, $2, $3 }' >&2
fi

# arm64: the guests' FIT as the initrd (RUN_INITRD overrides it; empty:
# none).
extra=()
if [ "$arch" = arm64 ]; then
	initrd=${RUN_INITRD-$build/guests.itb}
	[ -n "$initrd" ] && extra=(-initrd "$initrd")
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "run: $qemu ${machine[*]} -nographic -kernel $build/$image ${extra[*]} ${*@Q}" >&2
timeout --foreground "$timeout_s" "$qemu" "${machine[@]}" -nographic \
	-no-reboot -kernel "$build/$image" "${extra[@]}" "$@" | tee "$log"
rc=${PIPESTATUS[0]}
status=$(tr -d '\r' <"$log" | sed -n 's/^EXIT: STATUS=\([0-9][0-9]*\)$/\1/p' | tail -n 1)
if [ -z "$status" ]; then
	if [ "$rc" = 124 ]; then
		echo "run: no EXIT line within ${timeout_s}s: the firmware hung" >&2
	else
		echo "run: QEMU exited ($rc) without an EXIT line" >&2
	fi
	exit 1
fi
exit "$status"
