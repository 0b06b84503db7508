#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# boot-tests.sh BUILD-ROOT
#
# The firmware images booted on QEMU (system emulation), judged by what
# they print: the kvm-unit-tests contract, a final "EXIT: STATUS=<n>"
# line, plus the facts each boot must report. Prints PASS:/FAIL: lines.
set -uo pipefail

cd "$(dirname "$0")/../.."
out=${1:-build/check}
version=$(sed -n 's/^PARTITA_VERSION := //p' Makefile)

pass() { echo "PASS: boot: $1"; }
fail() { echo "FAIL: boot: $1"; }

# boot NAME "EXPECTED LINES" COMMAND...: the command must exit 0 and its
# console must hold every expected line (fixed strings, one per line).
boot() {
	local name=$1 expected=$2 log rc missing=
	shift 2
	log=$(mktemp)
	"$@" >"$log" 2>&1
	rc=$?
	tr -d '\r' <"$log" >"$log.clean"
	while IFS= read -r want; do
		[ -z "$want" ] && continue
		grep -qxF -- "$want" "$log.clean" || missing+="'$want' "
	done <<<"$expected"
	if [ $rc -ne 0 ]; then
		fail "$name: exit status $rc"
		sed 's/^/    | /' "$log.clean" | tail -n 20
	elif [ -n "$missing" ]; then
		fail "$name: console lacks $missing"
		sed 's/^/    | /' "$log.clean" | tail -n 20
	else
		pass "$name"
	fi
	rm -f "$log" "$log.clean"
}

arm64_common="Partita $version (arm64) - static partition manager
PCI host bridges: 1
EXIT: STATUS=0"

# The acceptance command itself.
boot "make run (arm64 virt, SMMUv3, EL1)" "$arm64_common
RAM: 512 MiB at 0x40000000 (1 bank)
SMMUv3: 1" \
	make --no-print-directory run

run_arm64() { RUN_BUILD=$out/arm64_virt bash scripts/run-qemu.sh arm64 "$@"; }
run_s390x() { RUN_BUILD=$out/s390x bash scripts/run-qemu.sh s390x "$@"; }

boot "arm64 entered at EL2 (virtualization=on, GICv3), 3 GiB" "$arm64_common
RAM: 3072 MiB at 0x40000000 (1 bank)
SMMUv3: 1" \
	run_arm64 -M virtualization=on,gic-version=3 -m 3G

boot "arm64 without an SMMU counts none" "$arm64_common
SMMUv3: 0" \
	run_arm64 -M iommu=none

boot "arm64 passes /chosen/bootargs" "$arm64_common
bootargs: -partition id=p0,ram=64M" \
	run_arm64 -append "-partition id=p0,ram=64M"

boot "s390x on the SCLP console" "Partita $version (s390x) - static partition manager
RAM: 128 MiB, 1 CPU
EXIT: STATUS=0" \
	run_s390x

boot "s390x reads its size and the IPL parameters" "RAM: 1024 MiB, 2 CPUs
bootargs: -device vfio-ccw,sysfsdev=x
EXIT: STATUS=0" \
	run_s390x -m 1G -smp 2 -append "-device vfio-ccw,sysfsdev=x"

# Without bootargs the firmware uses CONFIG_DEFAULT_BOOTARGS.
defaults=$out/arm64-defaults
rm -rf "$defaults"
mkdir -p "$defaults"
printf 'CONFIG_ARCH_ARM64=y\nCONFIG_DEFAULT_BOOTARGS="-partition id=p1,ram=32M"\n' >"$defaults/.config"
if make --no-print-directory O="$defaults" olddefconfig >/dev/null 2>&1; then
	boot "arm64 falls back to CONFIG_DEFAULT_BOOTARGS" "$arm64_common
bootargs: -partition id=p1,ram=32M (built-in default)" \
		env RUN_BUILD="$defaults" bash scripts/run-qemu.sh arm64
else
	fail "arm64 with CONFIG_DEFAULT_BOOTARGS: configure"
fi

# The runner must not call a silent firmware a success: an AArch32 CPU
# cannot run the image, so no EXIT line ever comes.
if err=$(RUN_TIMEOUT=5 run_arm64 -cpu cortex-a15 2>&1); then
	fail "run-qemu.sh reported success for a boot without an EXIT line"
elif grep -q 'no EXIT line\|without an EXIT line' <<<"$err"; then
	pass "run-qemu.sh fails a boot that never reports"
else
	fail "run-qemu.sh failed without saying why: $(tail -n 3 <<<"$err")"
fi
