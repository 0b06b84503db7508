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

# A pipeline's "grep -q" may stop reading before the writer is done, and
# under pipefail its SIGPIPE fails the test: the checks below count
# instead (grep -c reads everything).
pass() { echo "PASS: boot: $1"; }
fail() { echo "FAIL: boot: $1"; }

# check_boot STATUS GREP NAME "EXPECTED LINES" COMMAND...: the command
# must exit with STATUS and its console (carriage returns dropped) hold a
# whole line matching each expected line, compared as grep's GREP says
# (-F: fixed strings, -E: extended regular expressions).
check_boot() {
	local status=$1 mode=$2 name=$3 expected=$4 log rc missing=
	shift 4
	log=$(mktemp)
	"$@" >"$log" 2>&1
	rc=$?
	tr -d '\r' <"$log" >"$log.clean"
	while IFS= read -r want; do
		[ -z "$want" ] && continue
		grep -qx "$mode" -- "$want" "$log.clean" || missing+="'$want' "
	done <<<"$expected"
	if [ $rc -ne "$status" ]; then
		if [ "$status" = 0 ]; then
			fail "$name: exit status $rc"
		else
			fail "$name: exit status $rc, not $status"
		fi
		sed 's/^/    | /' "$log.clean" | tail -n 20
	elif [ -n "$missing" ]; then
		fail "$name: console lacks $missing"
		sed 's/^/    | /' "$log.clean" | tail -n 20
	else
		pass "$name"
	fi
	rm -f "$log" "$log.clean"
}

# boot NAME "EXPECTED LINES" COMMAND...: exits 0, every line present.
boot() { check_boot 0 -F "$@"; }
# boot_fails NAME STATUS "EXPECTED LINES" COMMAND...: the same for a boot
# that must end with EXIT: STATUS=<STATUS> (not 0).
boot_fails() { local name=$1 status=$2; shift 2; check_boot "$status" -F "$name" "$@"; }
# boot_matches NAME "PATTERNS" COMMAND...: exits 0, and each pattern (an
# extended regular expression) matches a whole console line.
boot_matches() { check_boot 0 -E "$@"; }

arm64_banner="Partita $version (arm64) - static partition manager"
# What the default configuration (two partitions, one edu each) reports:
# each DMA lands in its own partition, and the one aimed at the other
# partition raises an SMMU translation fault and changes nothing.
arm64_selftest="smmu-v3 at 0x9050000: 16-bit stream ids (table of 4096), 44-bit output, stage 1
selftest: p0 0000:00:01.0 -> own RAM 0x1fff000: completed
selftest: p0 0000:00:01.0 -> partition 0x4800000: faulted (IOMMU: F_TRANSLATION, stream 0x8, at 0x4800000)
selftest: p1 0000:00:02.0 -> own RAM 0x4fff000: completed
selftest: p1 0000:00:02.0 -> partition 0x1800000: faulted (IOMMU: F_TRANSLATION, stream 0x10, at 0x1800000)
selftest: dma isolation ok (6 checks)
EXIT: STATUS=0"

# The acceptance command itself: both backends, one partition each,
# then each partition's guest drives its own edu: DMA into its own RAM
# (IPAs through its IOMMU mapping), completion interrupts, and one stray
# transfer each, refused by the SMMU and reported against its device.
boot "make run (arm64 virt at EL2, SMMUv3, two edu, both backends, a dma guest each)" "$arm64_banner
  VFIO backends: iommufd legacy  fronts: vfio-pci vfio-platform  IOMMU: smmuv3
arm64: running at EL2
partition p0: RAM 0x48400000-0x493fffff (16 MiB) at 0x1000000
partition p1: RAM 0x49400000-0x4a3fffff (16 MiB) at 0x4000000
$arm64_selftest
guest: p0: 00:01.0 INTxA (interrupt 36) -> its SPI 36
guest: p1: 00:01.0 INTxA (interrupt 37) -> its SPI 36
[p0] dma: 00:01.0 edu: RAM 0x100b000 -> edu -> RAM 0x100a000, 2048 bytes, 0 wrong, 2 completions
[p1] dma: 00:01.0 edu: RAM 0x400b000 -> edu -> RAM 0x400a000, 2048 bytes, 0 wrong, 2 completions
[p0] EXIT: STATUS=0
[p1] EXIT: STATUS=0
    guest 'dma', 1 vCPU on CPU 1: exited 0
    DMA fault: 0000:00:01.0 at 0x2000000-0x20003fc (F_TRANSLATION, stream 0x8), 256 faults
    guest 'dma-p1', 1 vCPU on CPU 2: exited 0
    DMA fault: 0000:00:02.0 at 0x5000000-0x50003fc (F_TRANSLATION, stream 0x10), 256 faults
    0000:00:01.0                           vfio-pci      iommufd  ioas 2 hwpt 3 dev 1        DMA: 1 mapping, 16.0 MiB  selftest ok (3 checks)
    0000:00:02.0                           vfio-pci      legacy   container fd 6 group 2     DMA: 1 mapping, 16.0 MiB  selftest ok (3 checks)" \
	make --no-print-directory run
# ... and it says what the image costs and how long the boot took.
boot_matches "make run prints the image's sizes and the time from reset to report" \
	'run: image: text [0-9]+, data [0-9]+, bss [0-9]+ bytes
time from reset to report: [0-9]+\.[0-9]{3} ms' \
	make --no-print-directory run

run_arm64() { RUN_BUILD=$out/arm64_virt bash scripts/run-qemu.sh arm64 "$@"; }
run_s390x() { RUN_BUILD=$out/s390x bash scripts/run-qemu.sh s390x "$@"; }

boot "arm64 iommufd-only image" "$arm64_banner
$arm64_selftest
    0000:00:02.0                           vfio-pci      iommufd  ioas 5 hwpt 6 dev 4        DMA: 1 mapping, 16.0 MiB  selftest ok (3 checks)" \
	env RUN_BUILD="$out/arm64_virt_iommufd" bash scripts/run-qemu.sh arm64

boot "arm64 legacy-only image" "$arm64_banner
$arm64_selftest
    0000:00:01.0                           vfio-pci      legacy   container fd 4 group 1     DMA: 1 mapping, 16.0 MiB  selftest ok (3 checks)" \
	env RUN_BUILD="$out/arm64_virt_legacy" bash scripts/run-qemu.sh arm64

# Without guests the self-test runs at EL1 as at EL2, GICv3 or not.
arm64_no_guests="-partition id=p0,ram=16M,ram-addr=0x1000000 -partition id=p1,ram=16M,ram-addr=0x4000000 -object iommufd,id=iommufd0 -device vfio-pci,host=0000:00:01.0,iommufd=iommufd0,partition=p0 -device vfio-pci,host=0000:00:02.0,partition=p1 -selftest dma"
boot "arm64 at EL2 with GICv3 and 3 GiB, no guests" "$arm64_banner
arm64: running at EL2
$arm64_selftest" \
	run_arm64 -M gic-version=3 -m 3G -append "$arm64_no_guests"
boot "arm64 at EL1 (virtualization=off), no guests" "$arm64_banner
arm64: running at EL1
$arm64_selftest" \
	run_arm64 -M virtualization=off -append "$arm64_no_guests"

# ---- arm64 guests (images from build/<dir>/guests.itb, the initrd) ----
guest_p0="-partition id=p0,ram=16M,ram-addr=0x1000000"
guest_p1="-partition id=p1,ram=16M,ram-addr=0x4000000"
# escape in p0 aims at the IPA of p1's RAM first: stopped there, with
# the syndrome; memtest in p1 carries on and exits 0, and the canary the
# manager put where escape aimed (in p1's RAM) is unchanged.
boot_fails "arm64 guest escape stopped at another partition's IPA, memtest unharmed" 1 "[p0] escape: reading other at 0x4800000
guest: p0 stopped: stage-2 fault at IPA 0x4800000 (vCPU 0, ESR 0x93160006: class 0x24, ISS 0x1160006; ELR 0x10010d8)
[p1] memtest: 16654304 bytes checked by 2 vCPUs: all ok
[p1] EXIT: STATUS=0
    guest 'escape', 1 vCPU on CPU 1: stopped: stage-2 fault at IPA 0x4800000 (vCPU 0, ESR 0x93160006: class 0x24, ISS 0x1160006; ELR 0x10010d8)
    guest 'memtest', 2 vCPUs on CPUs 2-3: exited 0
    canary at 0x4800000: intact
EXIT: STATUS=1" \
	run_arm64 -append "$guest_p0,image=escape,bootargs=\"start=other other=0x4800000\" $guest_p1,cpus=2,image=memtest,x-canary=0x4800000"
# hello, and memtest on two vCPUs (which also checks that an SMC and an
# HVC nobody serves answer NOT_SUPPORTED and the guest carries on).
boot "arm64 guests hello and memtest (2 vCPUs)" "[p0] hello from partition p0
[p0] hello: Partita partition, 16 MiB of RAM at 0x1000000, 1 vCPU
[p0] hello: SMC 0x8400ff00 -> -1, HVC 0x8400ff00 -> -1 (NOT_SUPPORTED, as expected)
[p0] EXIT: STATUS=0
[p1] memtest: 16 MiB at 0x4000000 on 2 vCPUs (image 0x4000000-0x401e01f kept)
[p1] memtest: vCPU 0 (MPIDR 0x80000000): 0x4000000-0x47fffff ok (0 errors)
[p1] memtest: vCPU 1 (MPIDR 0x80000001): 0x4800000-0x4ffffff ok (0 errors)
[p1] memtest: 16654304 bytes checked by 2 vCPUs: all ok
[p1] EXIT: STATUS=0
    guest 'hello', 1 vCPU on CPU 1: exited 0
    guest 'memtest', 2 vCPUs on CPUs 2-3: exited 0
EXIT: STATUS=0" \
	run_arm64 -append "$guest_p0,image=hello,bootargs=id=p0 $guest_p1,cpus=2,image=memtest"
# Its first target by default: the byte after its RAM.
boot_fails "arm64 guest escape stopped one byte past its RAM" 1 "[p0] escape: reading past at 0x2000000
    guest 'escape', 1 vCPU on CPU 1: stopped: stage-2 fault at IPA 0x2000000 (vCPU 0, ESR 0x93160006: class 0x24, ISS 0x1160006; ELR 0x10010d8)
EXIT: STATUS=1" \
	run_arm64 -append "$guest_p0,image=escape"
# The GIC's hypervisor interface and the SMMU are not in a guest's
# stage 2 either; where the real distributor is, the guest finds its
# own virtual one (1 CPU interface, not the machine's 4).
boot_fails "arm64 guest escape stopped at the GIC's hypervisor interface" 1 "[p0] escape: the GIC distributor at 0x8000000 has 1 CPU interfaces (the partition's vCPUs: 1)
[p0] escape: reading gich at 0x8030000
    guest 'escape', 1 vCPU on CPU 1: stopped: stage-2 fault at IPA 0x8030000 (vCPU 0, ESR 0x93160007: class 0x24, ISS 0x1160007; ELR 0x10010d8)
EXIT: STATUS=1" \
	run_arm64 -append "$guest_p0,image=escape,bootargs=start=gich"
boot_fails "arm64 guest escape stopped at the SMMU's frame" 1 "[p0] escape: reading smmu at 0x9050000
    guest 'escape', 1 vCPU on CPU 1: stopped: stage-2 fault at IPA 0x9050000 (vCPU 0, ESR 0x93160006: class 0x24, ISS 0x1160006; ELR 0x10010d8)
EXIT: STATUS=1" \
	run_arm64 -append "$guest_p0,image=escape,bootargs=start=smmu"
boot_fails "arm64 guest spin stopped by timeout=2" 1 "[p0] spin: spinning until the partition is stopped
guest: p0 timed out
    guest 'spin', 1 vCPU on CPU 1: timed out after 2 s
EXIT: STATUS=1" \
	run_arm64 -append "$guest_p0,image=spin,timeout=2"
# Interrupts: the virtual GIC and the virtual timer wake a WFI exactly
# once per deadline; SGIs to itself and from vCPU 0 to vCPU 1 arrive.
boot "arm64 guest timer: virtual timer and SGIs through the virtual GIC, 2 vCPUs" "[p0] timer: 3 SGIs sent to itself, 3 received; 0 other interrupts
[p0] timer: vCPU 1 woken by SGI 2 from vCPU 0
[p0] EXIT: STATUS=0
    guest 'timer', 2 vCPUs on CPUs 1-2: exited 0
EXIT: STATUS=0" \
	run_arm64 -append "$guest_p0,cpus=2,image=timer,timeout=10"
boot_matches "arm64 guest timer: 5 ticks, 5 wakes, the handler's lateness printed" \
	'\[p0\] timer: 5 ticks of 10 ms, each waking a WFI \(5 wakes\); handler after the deadline: mean [0-9]+ us, max [0-9]+ us' \
	run_arm64 -append "$guest_p0,image=timer,timeout=10"

# Its assigned edu on the guest's own PCI bus: found through the virtual
# ECAM, its BAR sized and moved by the guest (the stage 2 follows), the
# device driven through it.
boot "arm64 guest pci: its edu on a virtual PCI bus, BAR placed by the guest" "[p0] pci: 00:00.0 1b36:0008 class 060000
[p0] pci: 00:01.0 1234:11e8 class 00ff00
[p0] pci: 00:01.0 edu: BAR0 1024 KiB placed at 0x10400000 (BAR reads 0x10400000)
[p0] pci: edu id 0x010000ed, liveness 0xedcba987, 5! = 120
guest: p0: 00:01.0 INTxA (interrupt 36) -> its SPI 36
[p0] pci: edu's INTx is SPI 36 (on vCPU 0): 3 factorials, 3 interrupts, 0 others, 0 wrong results
    guest 'pci', 1 vCPU on CPU 1: exited 0
EXIT: STATUS=0" \
	run_arm64 -append "$guest_p0,image=pci,timeout=10 -device vfio-pci,host=0000:00:01.0"
# A guest's own DMA: a page out of its RAM into edu and back, with IPAs
# (the partition's IOMMU mapping), a completion interrupt each; then a
# transfer aimed at p1's RAM: the SMMU refuses it, the report names the
# fault against p0's device, p1's canary there is intact and p1's
# memtest unharmed.
boot "arm64 guest dma: its own DMA lands, the stray one faults against its device" "[p0] dma: 00:01.0 edu: RAM 0x100b000 -> edu -> RAM 0x100a000, 2048 bytes, 0 wrong, 2 completions
guest: p0: 0000:00:01.0's DMA at 0x4800000-0x48003fc faulted in the IOMMU (F_TRANSLATION, stream 0x8): 256 faults
    guest 'dma', 1 vCPU on CPU 1: exited 0
    DMA fault: 0000:00:01.0 at 0x4800000-0x48003fc (F_TRANSLATION, stream 0x8), 256 faults
    guest 'memtest', 2 vCPUs on CPUs 2-3: exited 0
    canary at 0x4800000: intact
EXIT: STATUS=0" \
	run_arm64 -append "$guest_p0,image=dma,timeout=10,bootargs=stray=0x4800000 $guest_p1,image=memtest,cpus=2,x-canary=0x4800000 -device vfio-pci,host=0000:00:01.0,partition=p0 -device vfio-pci,host=0000:00:02.0,partition=p1"

# The guest aims edu's SPI at its second vCPU: the physical interrupt
# follows it there (re-routed), and arrives exactly once per completion.
boot "arm64 guest pci: a device's SPI aimed at vCPU 1 follows it" "guest: p0: interrupt 36 follows its SPI 36 to vCPU 1 (CPU 2)
[p0] pci: edu's INTx is SPI 36 (on vCPU 1): 3 factorials, 3 interrupts, 0 others, 0 wrong results
    guest 'pci', 2 vCPUs on CPUs 1-2: exited 0
EXIT: STATUS=0" \
	run_arm64 -append "$guest_p0,image=pci,cpus=2,timeout=10,bootargs=irq-vcpu=1 -device vfio-pci,host=0000:00:01.0"

# A BAR the guest puts over its own RAM: not mapped (the guest keeps
# seeing its RAM there), and the report says so.
boot "arm64 guest pci: a BAR placed over the guest's RAM is not mapped, and reported" "[p0] pci: BAR0 moved over its RAM at 0x1000000: reads 0xaa0003f3 there (its RAM, not edu's id)
    guest 'pci', 1 vCPU on CPU 1: exited 0
    00:01.0 (0000:00:01.0): BAR 0 at 0x1000000 is outside the partition's device window (0x10000000-0x1fffffff): not mapped
EXIT: STATUS=0" \
	run_arm64 -append "$guest_p0,image=pci,timeout=10,bootargs=misplace=1 -device vfio-pci,host=0000:00:01.0"

# Two partitions, an edu each (both guests see theirs at 00:01.0, SPI
# 36): each gets exactly its own device's interrupts, none of the other's.
log=$(mktemp)
run_arm64 -append "$guest_p0,image=pci,timeout=10 -partition id=p1,ram=16M,ram-addr=0x1000000,image=pci,timeout=10 -device vfio-pci,host=0000:00:01.0,partition=p0 -device vfio-pci,host=0000:00:02.0,partition=p1" >"$log" 2>&1
rc=$?
tr -d '\r' <"$log" >"$log.c"
if [ $rc -eq 0 ] &&
   grep -qxF "guest: p0: 00:01.0 INTxA (interrupt 36) -> its SPI 36" "$log.c" &&
   grep -qxF "guest: p1: 00:01.0 INTxA (interrupt 37) -> its SPI 36" "$log.c" &&
   [ "$(grep -cxF "$(printf '%s' "[p0] pci: edu's INTx is SPI 36 (on vCPU 0): 3 factorials, 3 interrupts, 0 others, 0 wrong results")" "$log.c")" = 1 ] &&
   [ "$(grep -cxF "$(printf '%s' "[p1] pci: edu's INTx is SPI 36 (on vCPU 0): 3 factorials, 3 interrupts, 0 others, 0 wrong results")" "$log.c")" = 1 ] &&
   grep -Eq '^guest: p0: first instruction .*; 3 device interrupts$' "$log.c" &&
   grep -Eq '^guest: p1: first instruction .*; 3 device interrupts$' "$log.c"; then
	pass "arm64 guests pci x2: each partition gets exactly its own device's 3 interrupts"
else
	fail "arm64 guests pci x2: each partition gets exactly its own device's 3 interrupts"
	tail -n 12 "$log.c" | sed 's/^/    | /'
fi
rm -f "$log" "$log.c"

# Refused before anything is built.
corrupt=$(mktemp)
python3 - "$out/arm64_virt/guests.itb" "$corrupt" <<'PY'
import sys
# Flip one byte of memtest's data (found by its own bytes) in the FIT.
fit = bytearray(open(sys.argv[1], "rb").read())
bin = open(sys.argv[1].replace("guests.itb", "guests/memtest.bin"), "rb").read()
at = fit.find(bin[:4096])
assert at > 0, "memtest's data not found in the FIT"
fit[at + 100] ^= 0xff
open(sys.argv[2], "wb").write(fit)
PY
boot_fails "arm64 guest image with a corrupted hash refused" 1 "partita: $guest_p1,cpus=2,image=memtest: FIT image 'memtest': crc32 hash ('hash-1') does not match its data: the image is corrupt
EXIT: STATUS=1" \
	env RUN_INITRD="$corrupt" RUN_BUILD=$out/arm64_virt bash scripts/run-qemu.sh arm64 -append "$guest_p0,image=hello $guest_p1,cpus=2,image=memtest"
rm -f "$corrupt"
boot_fails "arm64 guests asking for more CPUs than the machine has refused" 1 "partita: $guest_p1,cpus=2,image=memtest: partition 'p1': cpus=2 needs CPUs 3-4, but the machine has 4 CPUs (CPU 0 is the manager's)
QEMU: give it more with -smp.
EXIT: STATUS=1" \
	run_arm64 -append "$guest_p0,cpus=2,image=hello $guest_p1,cpus=2,image=memtest"
boot_fails "arm64 image= at EL1 refused" 1 "arm64: running at EL1
partita: $guest_p0,image=hello: guests need EL2: boot with virtualization=on (QEMU) or from EL2
EXIT: STATUS=1" \
	run_arm64 -M virtualization=off -append "$guest_p0,image=hello"
boot_fails "arm64 guests with GICv3 refused (GICv2 only, for now)" 1 "partita: $guest_p0,image=hello: guests need a GICv2 (QEMU virt's default, gic-version=2): none is in the device tree
EXIT: STATUS=1" \
	run_arm64 -M gic-version=3 -append "$guest_p0,image=hello"

boot_fails "arm64 with a bad configuration prints the error" 1 "$arm64_banner
partita: -device vfio-pci,host=0000:00:07.0: vfio /sys/bus/pci/devices/0000:00:07.0: no such host device: No such file or directory
'-report devices' lists the board's devices.
EXIT: STATUS=1" \
	run_arm64 -append "-device vfio-pci,host=0000:00:07.0"

# A self-test that could check nothing is a skip (77), not a pass, and
# run-qemu.sh passes the status through.
boot_fails "arm64 -selftest dma with no device exits 77" 77 "$arm64_banner
selftest: dma isolation NOT TESTED: no device with a DMA engine the self-test can drive
EXIT: STATUS=77" \
	run_arm64 -append "-selftest dma"

# Deny by default: without an SMMU nothing may be assigned.
boot_fails "arm64 without an SMMU assigns nothing" 1 "$arm64_banner
partita: warning: board: no SMMUv3 in the device tree: no device can be assigned
partita: -device vfio-pci,host=0000:00:01.0,iommufd=iommufd0,partition=p0: vfio /sys/bus/pci/devices/0000:00:01.0: no such host device: No such file or directory
EXIT: STATUS=1" \
	run_arm64 -M iommu=none

boot "arm64 passes /chosen/bootargs" "$arm64_banner
bootargs: -partition id=p0,ram=64M
EXIT: STATUS=0" \
	run_arm64 -append "-partition id=p0,ram=64M"

# ---- s390x (s390-ccw-virtio: two zPCI virtio-rng, two virtio-rng-ccw) ----
s390x_banner="Partita $version (s390x) - static partition manager"
# What the default configuration reports (make run-s390x): each zPCI
# device's request lands in its own partition; those aimed elsewhere are
# blocked and named by the function's PCI error event; each subchannel's
# SENSE ID lands, and one aimed outside its partition is refused.
s390x_zpci_selftest="selftest: p0 0001:00:00.0 -> own RAM 0x100fff000: completed
selftest: p0 0001:00:00.0 -> partition 0x200800000: faulted (IOMMU: E_TRANSLATION, stream 0x1, at 0x200800000)
selftest: p0 0001:00:00.0 -> unmapped 0x7fff000: faulted (IOMMU: E_OUT_OF_RANGE, stream 0x1, at 0x7fff000)
selftest: p1 0002:00:00.0 -> own RAM 0x200fff000: completed
selftest: p1 0002:00:00.0 -> partition 0x100800000: faulted (IOMMU: E_TRANSLATION, stream 0x2, at 0x100800000)
selftest: p1 0002:00:00.0 -> unmapped 0x7ffe000: faulted (IOMMU: E_OUT_OF_RANGE, stream 0x2, at 0x7ffe000)"
s390x_ccw_selftest="selftest: 00000000-0000-0000-0000-000000000000: SENSE ID: control unit 3832/04
selftest: p2 00000000-0000-0000-0000-000000000000 -> own RAM 0x3dff000: completed
selftest: p2 00000000-0000-0000-0000-000000000000 -> unmapped 0x7ffd000: faulted"

boot "make run-s390x (zPCI and CCW, both backends)" "$s390x_banner
  VFIO backends: iommufd legacy  fronts: vfio-pci vfio-ap vfio-ccw  IOMMU: zpci
s390x: facilities: zPCI (69) on, AP (12, 15) off
RAM: 128 MiB, 1 CPU
ap: no AP facility (STFLE bits 12/15 are off)
$s390x_zpci_selftest
$s390x_ccw_selftest
selftest: p2 00000000-0000-0000-0000-000000000001 -> own RAM 0x3dff000: completed
    0001:00:00.0                           vfio-pci      iommufd  ioas 2 hwpt 3 dev 1        DMA: 1 mapping, 16.0 MiB  selftest ok (4 checks)
    0002:00:00.0                           vfio-pci      legacy   container fd 6 group 2     DMA: 1 mapping, 16.0 MiB  selftest ok (4 checks)
    00000000-0000-0000-0000-000000000000   vfio-ccw      iommufd  ioas 5 dev 4               DMA: 1 mapping, 16.0 MiB  selftest ok (2 checks)
    00000000-0000-0000-0000-000000000001   vfio-ccw      legacy   container fd 12 group 4    DMA: 1 mapping, 16.0 MiB  selftest ok (2 checks)
selftest: dma isolation ok (12 checks)
EXIT: STATUS=0" \
	make --no-print-directory run-s390x
# ... with the image's sizes, the boot time and the zPCI driver's account.
boot_matches "make run-s390x prints the image's sizes, the boot time and the RPCIT count" \
	'run: image: text [0-9]+, data [0-9]+, bss [0-9]+ bytes
time from reset to report: [0-9]+\.[0-9]{3} ms
zpci: [0-9]+ RPCITs for 2 maps and 2 unmaps, 2 registrations, 6 blocked DMAs \(6 recovered\), [0-9]+ table entries written' \
	make --no-print-directory run-s390x

boot "s390x iommufd-only image" "$s390x_banner
  VFIO backends: iommufd  fronts: vfio-pci vfio-ap vfio-ccw  IOMMU: zpci
$s390x_zpci_selftest
$s390x_ccw_selftest
    0002:00:00.0                           vfio-pci      iommufd  ioas 5 hwpt 6 dev 4        DMA: 1 mapping, 16.0 MiB  selftest ok (4 checks)
selftest: dma isolation ok (10 checks)
EXIT: STATUS=0" \
	env RUN_BUILD="$out/s390x_iommufd" bash scripts/run-qemu.sh s390x

boot "s390x legacy-only image" "$s390x_banner
  VFIO backends: legacy  fronts: vfio-pci vfio-ap vfio-ccw  IOMMU: zpci
$s390x_zpci_selftest
$s390x_ccw_selftest
    0001:00:00.0                           vfio-pci      legacy   container fd 4 group 1     DMA: 1 mapping, 16.0 MiB  selftest ok (4 checks)
selftest: dma isolation ok (10 checks)
EXIT: STATUS=0" \
	env RUN_BUILD="$out/s390x_legacy" bash scripts/run-qemu.sh s390x

# The facility list: read, kept, and its bits honest both ways.
boot "s390x sees zPCI switched off (-cpu qemu,zpci=off)" "s390x: facilities: zPCI (69) off, AP (12, 15) off
zpci: no zPCI facility (STFLE bit 69 is off): no PCI function can be assigned
Devices of s390-ccw-virtio: 2
EXIT: STATUS=0" \
	run_s390x -cpu qemu,zpci=off -append "-report devices"

boot "s390x reads its size and the IPL parameters" "RAM: 1024 MiB, 2 CPUs
bootargs: -partition id=p0,ram=64M
partition p0: RAM 0xd00000-0x4cfffff (64 MiB)
EXIT: STATUS=0" \
	run_s390x -m 1G -smp 2 -append "-partition id=p0,ram=64M"

# Discovery without a device tree: CLP finds the zPCI functions (named by
# uid, with their fid), STORE SUBCHANNEL and SENSE ID the subchannels
# (control unit 3832, model = the virtio device id: 4 is rng).
boot "s390x finds its zPCI functions (CLP) and subchannels (STSCH, SENSE ID)" "Devices of s390-ccw-virtio: 4
  0     0001:00:00.0                           pci       1      0x1        pci1af4,1044 fid 0x1 uid 0x1
  1     0002:00:00.0                           pci       2      0x2        pci1af4,1044 fid 0x2 uid 0x2
  2     00000000-0000-0000-0000-000000000000   ccw       3      -          0.0.0000 cu 3832/04
  3     00000000-0000-0000-0000-000000000001   ccw       4      -          0.0.0001 cu 3832/04
EXIT: STATUS=0" \
	run_s390x -append "-report devices"

boot_fails "s390x with a bad configuration prints the error" 1 "$s390x_banner
partita: -partition id=p0,ram=16Q: Parameter 'ram' expects a size, a non-zero multiple of 4 KiB
EXIT: STATUS=1" \
	run_s390x -append "-partition id=p0,ram=16Q"

boot_fails "s390x refuses a zPCI function that is not there" 1 "partita: -device vfio-pci,host=0003:00:00.0: vfio /sys/bus/pci/devices/0003:00:00.0: no such host device: No such file or directory
'-report devices' lists the board's devices.
EXIT: STATUS=1" \
	run_s390x -append "-device vfio-pci,host=0003:00:00.0"

boot_fails "s390x: -device vfio-ap under TCG says there is no AP facility" 1 "ap: no AP facility (STFLE bits 12/15 are off)
partita: -device vfio-ap,sysfsdev=/sys/bus/mdev/devices/62177883-f1bb-47f0-914d-32a22e3a8804: vfio /sys/bus/mdev/devices/62177883-f1bb-47f0-914d-32a22e3a8804: no such host device: No such file or directory
this machine has no AP facility (STFLE bits 12/15 are off): no AP queue can be assigned.
EXIT: STATUS=1" \
	run_s390x -append "-device vfio-ap,sysfsdev=/sys/bus/mdev/devices/62177883-f1bb-47f0-914d-32a22e3a8804"

# A device that ignores its IOMMU: refused by the tester (nothing could
# be tested: 77) ...
boot_fails "s390x refuses a virtio device without VIRTIO_F_ACCESS_PLATFORM" 77 "selftest: 0001:00:00.0: the virtio device does not offer VIRTIO_F_ACCESS_PLATFORM (iommu_platform=off): its DMA bypasses the IOMMU; refused
EXIT: STATUS=77" \
	env IOMMU_PLATFORM=off RUN_BUILD=$out/s390x bash scripts/run-qemu.sh s390x -m 5G -append "-partition id=p0,ram=16M,ram-base=0x100000000 -partition id=p1,ram=16M,ram-base=0x110000000 -device vfio-pci,host=0001:00:00.0,partition=p0 -device vfio-pci,host=0002:00:00.0,partition=p1 -selftest dma"
# ... and, forced, caught: its DMA lands in the other partition (RAM at
# the same addresses as the device's IOVAs, so bypassing reaches it).
boot_fails "s390x: a device that bypasses its IOMMU fails the self-test (exit 2)" 2 "selftest: 0001:00:00.0: x-allow-iommu-bypass: driving a virtio device whose DMA bypasses the IOMMU
selftest: p0 0001:00:00.0 -> partition 0x110800000: completed - ISOLATION FAILURE
selftest: dma isolation FAILED: 4 of 6 checks
EXIT: STATUS=2" \
	env IOMMU_PLATFORM=off RUN_BUILD=$out/s390x bash scripts/run-qemu.sh s390x -m 5G -append "-partition id=p0,ram=16M,ram-base=0x100000000 -partition id=p1,ram=16M,ram-base=0x110000000 -device vfio-pci,host=0001:00:00.0,partition=p0 -device vfio-pci,host=0002:00:00.0,partition=p1 -selftest dma,x-allow-iommu-bypass=on"

# An interruption nothing expects is reported, not run into: QEMU's
# monitor `nmi` is a restart interruption on s390x, sent once the console
# shows the first line (the new PSWs are in place by then, and the run
# takes far longer than the monitor to react).
log=$(mktemp)
python3 tests/system/qemu-nmi.py "s390x: facilities" -- qemu-system-s390x -M s390-ccw-virtio \
	-m 128M -nic none -nographic -no-reboot -kernel "$out/s390x/partita.elf" \
	-append "-partition id=p0,ram=64M" >"$log" 2>&1
if tr -d '\r' <"$log" | grep -Ec '^unexpected restart interruption: old PSW [0-9a-f]{16} [0-9a-f]{16}$' >/dev/null &&
   tr -d '\r' <"$log" | grep -cx 'EXIT: STATUS=127' >/dev/null; then
	pass "s390x reports an unexpected interruption (restart) and stops"
else
	fail "s390x reports an unexpected interruption (restart) and stops"
	tail -n 5 "$log" | sed 's/^/    | /'
fi
rm -f "$log"

# Where a device can reach memory is checked before anything is built:
# zPCI's DMA window (QEMU's starts at 4 GiB), and a subchannel's 31-bit
# channel-program addresses.
boot_fails "s390x refuses RAM outside the zPCI DMA window" 1 "partita: -device vfio-pci,host=0001:00:00.0,partition=p0: 0001:00:00.0 reaches memory only at 0x100000000-0x3ffffffffff (its zPCI DMA window), but partition 'p0' has its RAM at 0xd00000-0x1cfffff
Give the partition a ram-addr= inside that range.
EXIT: STATUS=1" \
	run_s390x -append "-partition id=p0,ram=16M -device vfio-pci,host=0001:00:00.0,partition=p0"
boot_fails "s390x refuses a subchannel for RAM above 2 GiB" 1 "partita: -device vfio-ccw,sysfsdev=/sys/bus/mdev/devices/00000000-0000-0000-0000-000000000000,partition=p0: 00000000-0000-0000-0000-000000000000 reaches memory only at 0x0-0x7fffffff (channel programs' 31-bit addresses), but partition 'p0' has its RAM at 0x100000000-0x100ffffff
Give the partition a ram-addr= inside that range.
EXIT: STATUS=1" \
	run_s390x -append "-partition id=p0,ram=16M,ram-addr=0x100000000 -device vfio-ccw,sysfsdev=/sys/bus/mdev/devices/00000000-0000-0000-0000-000000000000,partition=p0"

# Without bootargs the firmware uses CONFIG_DEFAULT_BOOTARGS.
defaults=$out/arm64-defaults
rm -rf "$defaults"
mkdir -p "$defaults"
printf 'CONFIG_ARCH_ARM64=y\nCONFIG_DEFAULT_BOOTARGS="-partition id=p1,ram=32M"\n' >"$defaults/.config"
if make --no-print-directory O="$defaults" olddefconfig >/dev/null 2>&1; then
	boot "arm64 falls back to CONFIG_DEFAULT_BOOTARGS" "$arm64_banner
bootargs: -partition id=p1,ram=32M (built-in default)
EXIT: STATUS=0" \
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
