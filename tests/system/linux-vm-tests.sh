#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# linux-vm-tests.sh OUT: the tests against the real kernel, in one boot of
# Debian's Linux in QEMU (scripts/linux-vm.sh): the type1 differential
# test (tests/diff/: the same requests to the in-image type1 and to
# Linux's, the same answers outside tests/diff/allow-list.txt). Prints
# PASS:/FAIL: lines for scripts/check.sh.
set -uo pipefail
out=${1:?usage: linux-vm-tests.sh OUT}
build=$out/host
work=$out/linux-vm-tests
rm -rf "$work"
mkdir -p "$work/payload"

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1"; }
show() { sed 's/^/    | /' "$1" | tail -n "${2:-30}"; }

if ! make --no-print-directory O="$build" host_defconfig >"$work/build.log" 2>&1 ||
   ! make --no-print-directory -j"$(nproc)" O="$build" diff-runner linux-runner \
	>>"$work/build.log" 2>&1; then
	fail "linux vm: build the differential runner (host and static Linux)"
	show "$work/build.log"
	exit 0
fi

# The in-image type1: the host build's built-in board, a function alone
# in its group and one of a two-function group, as the VM's edu are two
# single-function groups.
if "$build/tests/diff/type1-runner" tests/diff/type1-requests.txt \
	0000:00:01.0 0000:02:00.0 >"$work/ours.txt" 2>"$work/ours.err" &&
   grep -qx '=== DONE' "$work/ours.txt"; then
	pass "diff: the runner's $(grep -c '^CALL ' "$work/ours.txt") requests through the in-image type1"
else
	fail "diff: the runner's requests through the in-image type1"
	show "$work/ours.err"
fi

cp "$build/tests/diff/type1-runner-linux" "$work/payload/type1-runner"
cp tests/diff/type1-requests.txt "$work/payload/"
cat >"$work/payload/run.sh" <<'EOF'
# In the VM: $1 $2 are the edu functions bound to vfio-pci.
[ $# -eq 2 ] || { echo "VM: expected two edu functions, have $#"; exit 1; }
echo "RUNNER-BEGIN"
./type1-runner type1-requests.txt "$1" "$2"
rc=$?
echo "RUNNER-END $rc"
exit $rc
EOF

start=$(date +%s.%N)
bash scripts/linux-vm.sh "$out" "$work/payload" >"$work/console.txt" 2>"$work/vm.err"
vm=$?
secs=$(echo "$(date +%s.%N) - $start" | bc 2>/dev/null || echo "?")
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
	pass "linux vm: $kernel booted, edu $edus bound to vfio-pci (boot to result ${secs%.*} s)"
else
	fail "linux vm: two edu functions bound to vfio-pci (saw: $edus)"
fi

sed -n '/^RUNNER-BEGIN$/,/^RUNNER-END/p' "$work/console.log" | sed '1d;$d' >"$work/linux.txt"
if grep -qx '=== DONE' "$work/linux.txt" && grep -q '^RUNNER-END 0$' "$work/console.log"; then
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
