#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make check: every test Partita has, in one run.
#
#   1. dependencies (scripts/deps.sh installs what is missing)
#   2. host unit tests (cmocka), for both VFIO backends and for each alone
#   3. the same unit tests cross-built for arm64 and s390x, under qemu-user
#   4. every configs/*_defconfig built
#   5. end-to-end runs of the host program (tests/e2e/run.sh)
#   6. Kconfig behaviour (tests/build/kconfig-tests.sh), and the
#      architecture test (tests/build/layers.py)
#   7. QEMU system boots of the firmware (tests/system/boot-tests.sh)
#
# Each test prints one PASS:/FAIL: line; the last line of the output is
# "N passed, N failed". Build trees go to build/check/. Exit status is 0
# only when nothing failed.
set -uo pipefail

cd "$(dirname "$0")/.."
root=$PWD
out=build/check
jobs=$(nproc 2>/dev/null || echo 2)
passed=0
failed=0
failures=()

pass() { passed=$((passed + 1)); echo "PASS: $1"; }
fail() { failed=$((failed + 1)); failures+=("$1"); echo "FAIL: $1"; }
section() { echo; echo "=== $1"; }

# Run a command quietly; on failure show the tail of its output.
quiet() {
	local log
	log=$(mktemp)
	if "$@" >"$log" 2>&1; then
		rm -f "$log"
		return 0
	fi
	tail -n 30 "$log" | sed 's/^/    | /'
	rm -f "$log"
	return 1
}

# Count PASS:/FAIL: lines of a sub-suite that speaks the same protocol.
absorb() {
	local line
	while IFS= read -r line; do
		case $line in
		PASS:*) pass "${line#PASS: }" ;;
		FAIL:*) fail "${line#FAIL: }" ;;
		*) echo "$line" ;;
		esac
	done
}

# Run every cmocka program of a build under an optional emulator. Each
# test case is one result; a program that dies without a complete TAP
# report fails as a whole.
run_unit_tests() { # label build-dir emulator...
	local label=$1 build=$2
	shift 2
	local prog name tap rc plan ok notok
	while IFS= read -r prog; do
		name=$(basename "$prog")
		tap=$(CMOCKA_MESSAGE_OUTPUT=TAP timeout 600 "$@" "$prog" 2>&1)
		rc=$?
		plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' <<<"$tap" | head -n 1)
		ok=$(grep -c '^ok ' <<<"$tap")
		notok=$(grep -c '^not ok ' <<<"$tap")
		while IFS= read -r line; do
			case $line in
			"ok "*) pass "$label: $name: ${line#ok * - }" ;;
			"not ok "*) fail "$label: $name: ${line#not ok * - }" ;;
			"#"*"ok - tests") ;;
			"1.."*) ;;
			*) echo "    | $line" ;;
			esac
		done <<<"$tap"
		if [ -z "$plan" ] || [ $((ok + notok)) -ne "$plan" ] ||
		   { [ $rc -ne 0 ] && [ "$notok" -eq 0 ]; }; then
			fail "$label: $name: did not finish (exit $rc, $((ok + notok)) of ${plan:-?} cases reported)"
		fi
	done <"$build/tests/unit/list"
}

unit_suite() { # label defconfig cross-prefix emulator...
	local label=$1 defconfig=$2 cross=$3
	shift 3
	local build=$out/$label
	section "unit tests: $label ($defconfig${1:+, under $1})"
	if ! quiet make --no-print-directory O="$build" CROSS_COMPILE="$cross" "$defconfig" ||
	   ! quiet make --no-print-directory -j"$jobs" O="$build" CROSS_COMPILE="$cross" unit-tests; then
		fail "$label: build the unit tests"
		return
	fi
	run_unit_tests "$label" "$build" "$@"
}

section "dependencies"
if bash scripts/deps.sh; then
	pass "deps: Debian packages installed"
else
	fail "deps: Debian packages installed"
fi

unit_suite host host_defconfig ""
# One VFIO backend only, each way: the tests of what is built must pass.
unit_suite host-iommufd host_iommufd_defconfig ""
unit_suite host-legacy host_legacy_defconfig ""
unit_suite arm64-user host_defconfig aarch64-linux-gnu- qemu-aarch64 -L /usr/aarch64-linux-gnu
unit_suite s390x-user host_defconfig s390x-linux-gnu- qemu-s390x -L /usr/s390x-linux-gnu

section "defconfig builds"
for f in configs/*_defconfig; do
	name=$(basename "$f")
	build=$out/${name%_defconfig}
	if quiet make --no-print-directory O="$build" "$name" &&
	   quiet make --no-print-directory -j"$jobs" O="$build"; then
		pass "build: $name"
	else
		fail "build: $name"
	fi
done

# The benchmarks are not run here (make bench), but they must build.
# The Linux-hosted build for arm64 Linux too: built static, run under
# qemu-user on this machine's /sys, it must see what the native one sees.
if quiet make --no-print-directory O="$out/linux-arm64" CROSS_COMPILE=aarch64-linux-gnu- \
	linux_defconfig &&
   quiet make --no-print-directory -j"$jobs" O="$out/linux-arm64" \
	CROSS_COMPILE=aarch64-linux-gnu- &&
   arm=$(qemu-aarch64 "$out/linux-arm64/partita" -report devices 2>&1) &&
   native=$("$out/linux/partita" -report devices 2>&1) &&
   [ "$arm" = "$native" ] && grep -q '^Devices of Linux' <<<"$arm"; then
	pass "build: linux_defconfig for arm64 Linux: under qemu-aarch64 it reports this machine's $(grep -c '^  [0-9]' <<<"$arm") PCI functions as the native build does"
else
	fail "build: linux_defconfig for arm64 Linux, run under qemu-aarch64"
fi

if quiet make --no-print-directory O="$out/bench" host_defconfig &&
   quiet make --no-print-directory -j"$jobs" O="$out/bench" benches; then
	pass "build: the benchmarks (make bench)"
else
	fail "build: the benchmarks (make bench)"
fi

section "end-to-end (host program, examples, error messages)"
absorb < <(bash tests/e2e/run.sh "$out")

section "fuzz corpus replay (tests/fuzz/corpus, no libFuzzer needed)"
if quiet make --no-print-directory -j"$jobs" O="$out/host" fuzz-replay; then
	for src in tests/fuzz/fuzz-*.c; do
		name=$(basename "$src" .c)
		prog=$out/host/tests/fuzz/replay-$name
		if res=$("$prog" "tests/fuzz/corpus/$name" 2>&1) &&
		   grep -q '^replayed [1-9][0-9]* inputs$' <<<"$res"; then
			pass "fuzz replay: $name: ${res#replayed }"
		else
			fail "fuzz replay: $name"
			tail -n 5 <<<"$res" | sed 's/^/    | /'
		fi
	done
else
	fail "fuzz replay: build"
fi

section "Kconfig"
absorb < <(bash tests/build/kconfig-tests.sh "$out")

section "architecture (tests/build/layers.py: every #include points down)"
absorb < <(python3 tests/build/layers.py --selftest; python3 tests/build/layers.py)

section "QEMU system boots"
absorb < <(bash tests/system/boot-tests.sh "$out")

section "against the real kernel (Debian's Linux in QEMU, tests/system/linux-vm-tests.sh)"
absorb < <(bash tests/system/linux-vm-tests.sh "$out")

echo
if [ $failed -gt 0 ]; then
	echo "Failed:"
	printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
