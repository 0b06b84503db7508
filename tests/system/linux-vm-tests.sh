#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# linux-vm-tests.sh OUT: the tests against the real kernel, in one boot of
# Debian's Linux in QEMU (scripts/linux-vm.sh, two edu bound to vfio-pci):
# - the type1 differential test (tests/diff/: the same requests to the
#   in-image type1 and to Linux's, the same answers outside
#   tests/diff/allow-list.txt);
# - the Linux-hosted partita (linux_defconfig): -report devices lists the
#   real functions and groups; both edu assigned to two partitions through
#   the real type1, the self-test's DMA proving each lands in its own
#   partition only; an iommufd configuration refused on a kernel without
#   /dev/iommu.
# Prints PASS:/FAIL: lines for scripts/check.sh.
set -uo pipefail
out=${1:?usage: linux-vm-tests.sh OUT}
build=$out/host
linux=$out/linux
work=$out/linux-vm-tests
rm -rf "$work"
mkdir -p "$work/payload"

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1"; }
show() { sed 's/^/    | /' "$1" | tail -n "${2:-30}"; }

if ! make --no-print-directory O="$build" host_defconfig >"$work/build.log" 2>&1 ||
   ! make --no-print-directory -j"$(nproc)" O="$build" diff-runner \
	>>"$work/build.log" 2>&1 ||
   ! make --no-print-directory O="$linux" linux_defconfig >>"$work/build.log" 2>&1 ||
   ! make --no-print-directory -j"$(nproc)" O="$linux" all diff-runner \
	>>"$work/build.log" 2>&1; then
	fail "linux vm: build the runner (host, Linux) and the Linux-hosted partita"
	show "$work/build.log"
	exit 0
fi

# The in-image type1: the host build's built-in board, a function alone
# in its group and one of a two-function group (the VM's edu are two
# single-function groups).
if "$build/tests/diff/type1-runner" tests/diff/type1-requests.txt \
	0000:00:01.0 0000:02:00.0 >"$work/ours.txt" 2>"$work/ours.err" &&
   grep -qx '=== DONE' "$work/ours.txt"; then
	pass "diff: the runner's $(grep -c '^CALL ' "$work/ours.txt") requests through the in-image type1"
else
	fail "diff: the runner's requests through the in-image type1"
	show "$work/ours.err"
fi

cp "$linux/tests/diff/type1-runner" "$linux/partita" "$work/payload/"
cp tests/diff/type1-requests.txt "$work/payload/"
cat >"$work/payload/run.sh" <<'EOF'
# In the VM: $1 $2 are the edu functions bound to vfio-pci.
[ $# -eq 2 ] || { echo "VM: expected two edu functions, have $#"; exit 1; }
for d in "$1" "$2"; do
	echo "VM: $d group $(basename "$(readlink /sys/bus/pci/devices/$d/iommu_group)")"
done
echo "RUNNER-BEGIN"
./type1-runner type1-requests.txt "$1" "$2"
rc=$?
echo "RUNNER-END $rc"
echo "PARTITA-REPORT-BEGIN"
./partita -report devices
echo "PARTITA-REPORT-END $?"
echo "PARTITA-SELFTEST-BEGIN"
./partita -partition id=p0,ram=16M,ram-addr=0x1000000 \
	-partition id=p1,ram=16M,ram-addr=0x2000000 \
	-device vfio-pci,host="$1",partition=p0 -device vfio-pci,host="$2",partition=p1 \
	-selftest dma 2>&1
echo "PARTITA-SELFTEST-END $?"
echo "PARTITA-IOMMUFD-BEGIN"
./partita -partition id=p0,ram=16M,ram-addr=0x1000000 \
	-object iommufd,id=iommufd0 -device vfio-pci,host="$1",iommufd=iommufd0 2>&1
echo "PARTITA-IOMMUFD-END $?"
exit $rc
EOF

start=$(date +%s%N)
bash scripts/linux-vm.sh "$out" "$work/payload" >"$work/console.txt" 2>"$work/vm.err"
vm=$?
ms=$((($(date +%s%N) - start) / 1000000))
tr -d '\r' <"$work/console.txt" >"$work/console.log"
kernel=$(sed -n 's/.*VM: kernel \([^,]*\),.*/\1/p' "$work/console.log" | head -1)
if [ $vm -eq 3 ] || [ -z "$kernel" ]; then
	fail "linux vm: boot Debian's kernel with two edu bound to vfio-pci"
	show "$work/vm.err" 10
	show "$work/console.log" 20
	exit 0
fi
edus=$(sed -n 's/.*VM: kernel .*edu: *\(.*\)$/\1/p' "$work/console.log" | head -1)
if [ "$(wc -w <<<"$edus")" -eq 2 ]; then
	pass "linux vm: $kernel booted, edu $edus bound to vfio-pci (QEMU start to power-off $ms ms)"
else
	fail "linux vm: two edu functions bound to vfio-pci (saw: $edus)"
fi

# The lines between NAME-BEGIN and NAME-END, and NAME-END's status.
section_of() { sed -n "/^$1-BEGIN\$/,/^$1-END/p" "$work/console.log" | sed '1d;$d'; }
status_of() { sed -n "s/^$1-END \([0-9]*\)\$/\1/p" "$work/console.log"; }

# ---- the differential test ---------------------------------------------------

section_of RUNNER >"$work/linux.txt"
if grep -qx '=== DONE' "$work/linux.txt" && [ "$(status_of RUNNER)" = 0 ]; then
	pass "diff: the runner's requests through Linux's type1 ($kernel)"
else
	fail "diff: the runner's requests through Linux's type1 ran to their end"
	show "$work/console.log"
fi
if python3 tests/diff/compare.py "$work/ours.txt" "$work/linux.txt" \
	tests/diff/allow-list.txt >"$work/compare.txt" 2>&1; then
	pass "diff: type1 answers as Linux's does: $(tail -1 "$work/compare.txt")"
else
	fail "diff: type1 answers as Linux's does: $(tail -1 "$work/compare.txt")"
	show "$work/compare.txt" 40
fi

# ---- the Linux-hosted partita ---------------------------------------------------

section_of PARTITA-REPORT >"$work/report.txt"
ok=1
for d in $edus; do
	group=$(sed -n "s/^VM: $d group \([0-9]*\)\$/\1/p" "$work/console.log")
	grep -Eq "^  [0-9]+ +$d +pci +$group( |\$)" "$work/report.txt" || ok=0
done
if [ "$(status_of PARTITA-REPORT)" = 0 ] && [ $ok = 1 ] && [ -n "$edus" ]; then
	pass "linux partita: -report devices lists $edus with the kernel's IOMMU groups"
else
	fail "linux partita: -report devices lists the real functions and groups"
	show "$work/report.txt"
fi

section_of PARTITA-SELFTEST >"$work/selftest.txt"
set -- $edus
blocked=$(grep -Ec "^selftest: p[01] .* -> (partition|unmapped) 0x[0-9a-f]+: (faulted|blocked)" \
	"$work/selftest.txt")
# VT-d records at least the first fault (it drops those that come while
# one is unread): the kernel log's record must have been read.
records=$(grep -c ': faulted (IOMMU: DMAR 0x05: PTE Write access is not set, stream 0x' \
	"$work/selftest.txt")
if [ "$(status_of PARTITA-SELFTEST)" = 0 ] &&
   grep -qx "selftest: p0 ${1:-?} -> own RAM 0x1fff000: completed" "$work/selftest.txt" &&
   grep -qx "selftest: p1 ${2:-?} -> own RAM 0x2fff000: completed" "$work/selftest.txt" &&
   [ "$blocked" = 4 ] && [ "$records" -ge 1 ] &&
   grep -qx "selftest: dma isolation ok (6 checks)" "$work/selftest.txt"; then
	pass "linux partita: each edu's real DMA lands in its own partition only (real type1; $records of 4 blocked copies with their DMAR record)"
else
	fail "linux partita: the DMA self-test through the real type1 (status $(status_of PARTITA-SELFTEST))"
	show "$work/selftest.txt"
fi

section_of PARTITA-IOMMUFD >"$work/iommufd.txt"
if [ "$(status_of PARTITA-IOMMUFD)" = 1 ] &&
   grep -q "^partita: -object iommufd,id=iommufd0: /dev/iommu opening failed: No such file or directory$" "$work/iommufd.txt" &&
   grep -q "^This kernel has no iommufd (CONFIG_IOMMUFD)" "$work/iommufd.txt"; then
	pass "linux partita: an iommufd configuration is refused on a kernel without /dev/iommu, saying why"
else
	fail "linux partita: an iommufd configuration refused on a kernel without /dev/iommu"
	show "$work/iommufd.txt"
fi
