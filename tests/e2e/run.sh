#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# End-to-end tests of the host program: every example in examples/ with
# its expected report, every error message of tests/e2e/errors.txt, the
# JSON report parsed, and -dtb. Speaks make check's PASS:/FAIL: protocol.
#
#   tests/e2e/run.sh OUT     OUT holds host/, host_iommufd/, host_legacy/
#                            (make check's defconfig builds); host-noccw/
#                            is built here.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${1:?usage: run.sh OUT}
pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1"; }

# Stdout without the two banner lines (they carry the version); a JSON
# report has none.
report_of() { sed '1{/^Partita /{N;d}}'; }

# The host program without the vfio-ccw front, for "not built in".
noccw=$out/host-noccw
if [ ! -x "$noccw/partita" ]; then
	if ! { make --no-print-directory O="$noccw" host_defconfig &&
	       sed -i 's/^CONFIG_VFIO_CCW=y$/# CONFIG_VFIO_CCW is not set/' "$noccw/.config" &&
	       make --no-print-directory O="$noccw" olddefconfig &&
	       grep -qx '# CONFIG_VFIO_CCW is not set' "$noccw/.config" &&
	       make --no-print-directory -j"$(nproc)" O="$noccw"; } >/dev/null 2>&1; then
		fail "e2e: build host_defconfig without CONFIG_VFIO_CCW"
	fi
fi

host=$out/host/partita
if [ ! -x "$host" ]; then
	fail "e2e: $host is not built"
	exit 0
fi

# ---- examples ---------------------------------------------------------------
# An example's report: exit status 0 and stdout (less the banner) as in
# examples/<name>.expected.
check_example() { # label name command...
	local label=$1 name=$2 got rc
	shift 2
	if [ ! -f "examples/$name.expected" ]; then
		fail "e2e: $label: no examples/$name.expected"
		return
	fi
	got=$("$@" 2>/dev/null)
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "e2e: $label: exit status $rc"
	elif diff -u "examples/$name.expected" <(report_of <<<"$got") >/tmp/e2e-diff.$$; then
		pass "e2e: $label: report as expected"
	else
		fail "e2e: $label: report differs"
		head -n 40 /tmp/e2e-diff.$$ | sed 's/^/    | /'
	fi
	rm -f /tmp/e2e-diff.$$
}

for cfg in examples/*.cfg; do
	name=$(basename "$cfg" .cfg)
	check_example "example $name" "$name" "$host" "$cfg"
done

# Device-tree examples: the board with a /partitions node, run with the
# self-test.
for dts in examples/*.dts; do
	name=$(basename "$dts" .dts)
	dtb=$(mktemp)
	if dtc -q -I dts -O dtb -o "$dtb" "$dts"; then
		check_example "example $name (/partitions)" "$name" \
			"$host" -dtb "$dtb" -selftest dma
	else
		fail "e2e: example $name (/partitions): dtc"
	fi
	rm -f "$dtb"
done

# The JSON report is one document a JSON parser takes, with the
# self-test's verdict in it.
if json=$("$host" examples/json.cfg 2>/dev/null) &&
   python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); \
	assert len(d["partitions"]) == 2; \
	assert d["selftest"]["checks"] == 6 and d["selftest"]["failures"] == 0; \
	assert d["partitions"][1]["devices"][0]["name"] == "a100000.dma"' <<<"$json"; then
	pass "e2e: -report json is valid JSON with the partitions and the self-test"
else
	fail "e2e: -report json is valid JSON with the partitions and the self-test"
fi

# ---- error messages ---------------------------------------------------------
build= args= n=0
while IFS= read -r line; do
	case $line in
	"build: "*) build=${line#build: } ;;
	"args: "*) args=${line#args: } ;;
	"error: "*)
		want=${line#error: }
		n=$((n + 1))
		prog=$out/$build/partita
		read -r -a argv <<<"$args"
		stdout=$("$prog" "${argv[@]}" 2>/tmp/e2e-err.$$)
		rc=$?
		first=$(head -n 1 /tmp/e2e-err.$$)
		if [ $rc -eq 1 ] && [ "$first" = "$want" ] &&
		   ! grep -q '^Partitions:' <<<"$stdout"; then
			pass "e2e: error $n ($build): ${want#partita: }"
		else
			fail "e2e: error $n ($build): ${want#partita: }"
			echo "    | exit $rc, stderr: $first"
		fi
		rm -f /tmp/e2e-err.$$
		;;
	esac
done < tests/e2e/errors.txt

# Manifests refused: each file says its error on a "// error:" line.
for dts in tests/e2e/manifests/*.dts; do
	name=$(basename "$dts" .dts)
	want=$(sed -n 's|^// error: ||p' "$dts")
	dtb=$(mktemp)
	if dtc -q -I dts -O dtb -o "$dtb" "$dts" &&
	   got=$("$host" -dtb "$dtb" 2>&1 >/dev/null); [ $? -eq 1 ] &&
	   [ "$(head -n 1 <<<"$got")" = "$want" ]; then
		pass "e2e: manifest $name: ${want#partita: }"
	else
		fail "e2e: manifest $name: ${want#partita: }"
		echo "    | got: $(head -n 1 <<<"$got")"
	fi
	rm -f "$dtb"
done
# The command line cannot add to a manifest.
dtb=$(mktemp)
if dtc -q -I dts -O dtb -o "$dtb" examples/manifest.dts &&
   got=$("$host" -dtb "$dtb" -device vfio-pci,host=0000:02:00.1 2>&1 >/dev/null);
   [ $? -eq 1 ] && [ "$got" = "partita: /partitions: the device tree holds the configuration; -partition, -object and -device cannot add to it" ]; then
	pass "e2e: manifest: the command line cannot add devices to it"
else
	fail "e2e: manifest: the command line cannot add devices to it"
fi
rm -f "$dtb"

# ---- the board's device tree ------------------------------------------------
# -dtb with the built-in board's own source gives the same devices; a
# board with fewer devices gives fewer.
tmp=$(mktemp -d)
if dtc -q -I dts -O dtb -o "$tmp/board.dtb" arch/host/sim/default-board.dts &&
   diff <("$host" -report devices) <("$host" -dtb "$tmp/board.dtb" -report devices) >/dev/null; then
	pass "e2e: -dtb with the built-in board's source finds the same devices"
else
	fail "e2e: -dtb with the built-in board's source finds the same devices"
fi
if dtc -q -I dts -O dtb -o "$tmp/small.dtb" tests/e2e/small-board.dts &&
   got=$("$host" -dtb "$tmp/small.dtb" -report devices 2>&1) &&
   grep -q '^Devices of Small board: 2$' <<<"$got" &&
   grep -Eq '^  0 +0000:00:03\.0 +pci +1 +0x118 ' <<<"$got" &&
   grep -Eq '^  1 +b000000\.dma +platform +2 +0x200 ' <<<"$got"; then
	pass "e2e: -dtb describes another board (devices, groups, stream ids)"
else
	fail "e2e: -dtb describes another board (devices, groups, stream ids)"
	sed 's/^/    | /' <<<"$got" | head -n 12
fi
if printf 'this is not a device tree, only text standing in for one.\n' >"$tmp/bad.dtb" &&
   err=$("$host" -dtb "$tmp/bad.dtb" 2>&1 >/dev/null); [ $? -eq 1 ] &&
   [ "$err" = "partita: -dtb $tmp/bad.dtb: not a valid device tree: FDT_ERR_BADMAGIC" ]; then
	pass "e2e: -dtb with a file that is not a device tree is refused"
else
	fail "e2e: -dtb with a file that is not a device tree is refused"
fi
rm -rf "$tmp"
