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
# report has none. The self-test's duration is a measurement: <ms>.
report_of() {
	sed -E '1{/^Partita /{N;d}}
		s/^(selftest: [0-9]+ copies in [0-9]+ rounds .*), [0-9]+\.[0-9]{3} ms$/\1, <ms> ms/'
}

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
build= args= stage=check hint= n=0
while IFS= read -r line; do
	case $line in
	"build: "*) build=${line#build: } ;;
	"args: "*) args=${line#args: } ;;
	"stage: "*) stage=${line#stage: } ;;
	"hint: "*) hint=${line#hint: } ;;
	"error: "*)
		want=${line#error: }
		n=$((n + 1))
		prog=$out/$build/partita
		read -r -a argv <<<"$args"
		stdout=$("$prog" "${argv[@]}" 2>/tmp/e2e-err.$$)
		rc=$?
		first=$(head -n 1 /tmp/e2e-err.$$)
		second=$(sed -n 2p /tmp/e2e-err.$$)
		why=
		if [ $rc -ne 1 ] || [ "$first" != "$want" ]; then
			why="exit $rc, stderr: $first"
		elif [ -n "$hint" ] && [ "$second" != "$hint" ]; then
			why="hint: $second"
		elif grep -q '^Partitions:' <<<"$stdout"; then
			why="a report was printed"
		elif [ "$stage" = check ] && [ -n "$(report_of <<<"$stdout")" ]; then
			why="built before refusing: $(report_of <<<"$stdout" | head -n 1)"
		fi
		if [ -z "$why" ]; then
			pass "e2e: error $n ($build): ${want#partita: }"
		else
			fail "e2e: error $n ($build): ${want#partita: }"
			echo "    | $why"
		fi
		rm -f /tmp/e2e-err.$$
		stage=check hint=
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

# ---- what a new user hit (QEMU's words, our docs' promises) ------------------
# A ram-device section the iommufd backend cannot map: the spec's two
# lines, as QEMU 9.x prints them (no "PCI p2p may not work: " here).
err=$("$host" -object iommufd,id=iommufd0 \
	-device vfio-pci,host=0000:02:00.0,iommufd=iommufd0 2>&1 >/dev/null)
rc=$?
if [ $rc -eq 0 ] && [ "$(wc -l <<<"$err")" -eq 2 ] &&
   [ "$(head -n 1 <<<"$err")" = "partita: warning: IOMMU_IOAS_MAP failed: Bad address, PCI BAR?" ] &&
   grep -Eqx 'partita: vfio_container_dma_map\(0x[0-9a-f]+, 0x[0-9a-f]+, 0x[0-9a-f]+, 0x[0-9a-f]+\) = -14 \(Bad address\)' <<<"$(sed -n 2p <<<"$err")"; then
	pass "e2e: a BAR iommufd cannot map: the spec's two lines, QEMU's wording"
else
	fail "e2e: a BAR iommufd cannot map: the spec's two lines, QEMU's wording"
	sed 's/^/    | /' <<<"$err"
fi

# [DDDD:]BB:DD.F: the domain may be left out, on the command line, in a
# configuration file and in a /partitions manifest; the report names the
# device canonically.
tmp=$(mktemp -d)
sed 's/0000:\(0[0-9]:00\.0\)/\1/' examples/two-partitions.cfg >"$tmp/short.cfg"
check_example "host=BB:DD.F in a configuration file" two-partitions "$host" "$tmp/short.cfg"
read -r -a argv <<<"$(grep -v '^#' "$tmp/short.cfg" | tr '\n' ' ')"
check_example "host=BB:DD.F on the command line" two-partitions "$host" "${argv[@]}"
sed 's/"0000:\(0[0-9]:00\.0\)"/"\1"/' examples/manifest.dts >"$tmp/short.dts"
if grep -q 'host = "02:00.0"' "$tmp/short.dts" &&
   dtc -q -i examples -I dts -O dtb -o "$tmp/short.dtb" "$tmp/short.dts"; then
	check_example "host=BB:DD.F in a /partitions manifest" manifest \
		"$host" -dtb "$tmp/short.dtb" -selftest dma
else
	fail "e2e: host=BB:DD.F in a /partitions manifest: dtc"
fi
rm -rf "$tmp"

# An AP matrix passed by fd cannot be read from sysfs: the report says it
# is unknown (JSON null), never zero queues; by sysfsdev it is counted.
apdev=/sys/bus/mdev/devices/2d8e1b4c-4a5e-4b7f-9d63-0a1b2c3d4e50
apfd=(-fd fd=9,path=/dev/vfio/devices/vfio6 -object iommufd,id=iommufd0
      -device vfio-ap,fd=9,iommufd=iommufd0)
got=$("$host" "${apfd[@]}" 2>/dev/null)
if grep -Eq '^    VFIO_FD9 +vfio-ap .*  AP matrix: unknown \(fd passed, no sysfsdev\)$' <<<"$got" &&
   ! grep -q '0 queue' <<<"$got"; then
	pass "e2e: vfio-ap by fd: the table says the matrix is unknown"
else
	fail "e2e: vfio-ap by fd: the table says the matrix is unknown"
	sed 's/^/    | /' <<<"$got" | tail -n 4
fi
if json=$("$host" "${apfd[@]}" -report json 2>/dev/null) &&
   python3 -c 'import json,sys; d=json.loads(sys.stdin.read())["partitions"][0]["devices"][0]; \
	assert d["name"] == "VFIO_FD9" and d["ap_queues"] is None and d["ap_control_domains"] is None' <<<"$json" &&
   json=$("$host" -device vfio-ap,sysfsdev=$apdev -report json 2>/dev/null) &&
   python3 -c 'import json,sys; d=json.loads(sys.stdin.read())["partitions"][0]["devices"][0]; \
	assert d["ap_queues"] == 2 and d["ap_control_domains"] == 0' <<<"$json"; then
	pass "e2e: vfio-ap in JSON: ap_queues null by fd, 2 by sysfsdev"
else
	fail "e2e: vfio-ap in JSON: ap_queues null by fd, 2 by sysfsdev"
fi

# -report devices alone is the device list alone: nothing is built.
got=$("$host" -report devices 2>&1 | report_of)
if [ "$(head -n 1 <<<"$got")" = "Devices of Partita simulated board: 8" ] &&
   [ "$(wc -l <<<"$got")" -eq 10 ] && ! grep -Eq '^(Partitions:|partition )' <<<"$got"; then
	pass "e2e: -report devices prints the device list alone"
else
	fail "e2e: -report devices prints the device list alone"
	sed 's/^/    | /' <<<"$got" | tail -n 4
fi
# With a configuration it is built and reported as well.
if got=$("$host" -report devices -device vfio-pci,host=0000:02:00.0 2>/dev/null) &&
   grep -q '^Devices of ' <<<"$got" && grep -q '^Partitions: 1, devices: 1,' <<<"$got"; then
	pass "e2e: -report devices with a configuration: the list, then the table"
else
	fail "e2e: -report devices with a configuration: the list, then the table"
fi

# Exit statuses of -selftest dma: 0 every check passed, 77 nothing could
# be checked (kvm-unit-tests' and automake's skip), never 0 for that.
selftest_status() { # label want-status want-last-line args...
	local label=$1 want=$2 line=$3 got rc
	shift 3
	got=$("$host" "$@" 2>/dev/null)
	rc=$?
	if [ $rc -eq "$want" ] && [ "$(tail -n 1 <<<"$got")" = "$line" ]; then
		pass "e2e: -selftest dma exit $want: $label"
	else
		fail "e2e: -selftest dma exit $want: $label"
		echo "    | exit $rc, last line: $(tail -n 1 <<<"$got")"
	fi
}
untested="selftest: dma isolation NOT TESTED: no device with a DMA engine the self-test can drive"
selftest_status "only an AP matrix (no DMA)" 77 "$untested" \
	-device vfio-ap,sysfsdev=$apdev -selftest dma
selftest_status "no device at all" 77 "$untested" -selftest dma
selftest_status "every check passed" 0 "selftest: dma isolation ok (9 checks)" \
	examples/two-partitions.cfg
if help=$("$host" -h 2>&1) && grep -q '^  0   built' <<<"$help" &&
   grep -q '^  2   -selftest dma: a device reached memory outside' <<<"$help" &&
   grep -q '^  77  -selftest dma could make no check' <<<"$help"; then
	pass "e2e: partita -h documents the exit statuses"
else
	fail "e2e: partita -h documents the exit statuses"
fi

# ---- guests: a FIT checked offline (-fit) -----------------------------------
# The same checks the firmware makes on its initrd, on a FIT mkimage made
# here: the host program checks, builds the stage 2, and starts nothing.
fitdir=$(mktemp -d)
head -c 4096 /dev/urandom >"$fitdir/g.bin"
cat >"$fitdir/g.its" <<'ITS'
/dts-v1/;
/ {
	description = "e2e guest";
	#address-cells = <1>;
	images {
		g {
			data = /incbin/("g.bin");
			type = "kernel"; arch = "arm64"; os = "linux";
			compression = "none";
			load = <0x1000000>; entry = <0x1000000>;
			hash-1 { algo = "sha256"; };
			hash-2 { algo = "crc32"; };
		};
	};
	configurations { default = "c"; c { kernel = "g"; }; };
};
ITS
fit_case() { # label rc "expected line" args... (the line on stdout for rc 0, else stderr's first)
	local label=$1 want_rc=$2 want=$3 got rc
	shift 3
	if [ "$want_rc" = 0 ]; then
		got=$("$host" "$@" 2>/dev/null)
	else
		got=$("$host" "$@" 2>&1 >/dev/null)
	fi
	rc=$?
	if [ $rc -eq "$want_rc" ] && grep -qxF -- "$want" <<<"$got"; then
		pass "e2e: -fit: $label"
	else
		fail "e2e: -fit: $label"
		echo "    | exit $rc: $(head -n 3 <<<"$got" | tr '\n' '|')"
	fi
}
if (cd "$fitdir" && mkimage -q -f g.its g.itb); then
	fit_case "a good image is checked, not started (exit 0)" 0 \
		"    guest 'g', 2 vCPUs on CPUs 1-2: checked, not started: this build checks guests but cannot run them" \
		-fit "$fitdir/g.itb" -partition id=p0,ram=16M,ram-addr=0x1000000,cpus=2,image=g,bootargs=id=p0
	fit_case "an image the FIT does not have" 1 \
		"partita: -partition id=p0,ram=16M,ram-addr=0x1000000,image=nope: FIT image 'nope': no such image in the FIT" \
		-fit "$fitdir/g.itb" -partition id=p0,ram=16M,ram-addr=0x1000000,image=nope
	fit_case "an image loaded outside the partition's RAM" 1 \
		"partita: -partition id=p0,ram=16M,ram-addr=0x4000000,image=g: FIT image 'g': loaded at 0x1000000-0x1000fff, outside the partition's RAM (0x4000000-0x4ffffff)" \
		-fit "$fitdir/g.itb" -partition id=p0,ram=16M,ram-addr=0x4000000,image=g
	# One byte of the image's data flipped: its sha256 no longer holds.
	python3 - "$fitdir/g.itb" "$fitdir/g.bin" "$fitdir/bad.itb" <<'PY'
import sys
fit = bytearray(open(sys.argv[1], "rb").read())
at = fit.find(open(sys.argv[2], "rb").read())
assert at > 0
fit[at + 7] ^= 0xff
open(sys.argv[3], "wb").write(fit)
PY
	fit_case "a corrupted image is refused by its hash" 1 \
		"partita: -partition id=p0,ram=16M,ram-addr=0x1000000,image=g: FIT image 'g': sha256 hash ('hash-1') does not match its data: the image is corrupt" \
		-fit "$fitdir/bad.itb" -partition id=p0,ram=16M,ram-addr=0x1000000,image=g
	fit_case "a file that is not a FIT" 1 \
		"partita: -partition id=p0,ram=16M,ram-addr=0x1000000,image=g: FIT: not a FIT image (no valid device tree header in 4096 bytes)" \
		-fit "$fitdir/g.bin" -partition id=p0,ram=16M,ram-addr=0x1000000,image=g
	# Blanks inside a bootargs value need quotes in a configuration file.
	printf -- '-partition id=p0,ram=16M,ram-addr=0x1000000,image=g,bootargs="id=p0 start=other"\n' >"$fitdir/ok.cfg"
	fit_case "bootargs with blanks, quoted in a configuration file" 0 \
		"    guest 'g', 1 vCPU on CPU 1: checked, not started: this build checks guests but cannot run them" \
		-fit "$fitdir/g.itb" "$fitdir/ok.cfg"
	printf -- '-partition id=p0,ram=16M,image=g,bootargs="id=p0\n' >"$fitdir/bad.cfg"
	fit_case "an unclosed quote in a configuration file" 1 \
		"partita: a '\"' is not closed" -fit "$fitdir/g.itb" "$fitdir/bad.cfg"
else
	fail "e2e: -fit: mkimage could not make the test FIT"
fi
rm -rf "$fitdir"
