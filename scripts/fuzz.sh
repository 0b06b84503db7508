#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make fuzz: build the fuzz targets with clang, libFuzzer, AddressSanitizer
# and UBSan (build/fuzz), then run each for FUZZ_SECONDS (default 60),
# starting from tests/fuzz/corpus/<target> in a working copy under
# build/fuzz/corpus/. New inputs worth keeping can be copied back by
# hand (libFuzzer's -merge=1 keeps the corpus small). Crashes are written
# to build/fuzz/crash-*, and the run fails.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
build=build/fuzz
jobs=$(nproc 2>/dev/null || echo 2)

bash scripts/deps.sh --quiet --fuzz
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
make --no-print-directory O=$build host_defconfig >/dev/null
make --no-print-directory -j"$jobs" O=$build CC=clang EXTRA_CFLAGS="$flags" \
	EXTRA_LDFLAGS="-fsanitize=address,undefined" fuzz-programs
status=0
for prog in $build/tests/fuzz/libfuzzer-*; do
	name=${prog##*/libfuzzer-}
	corpus=$build/corpus/$name
	mkdir -p "$corpus"
	cp -n tests/fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null || true
	echo "fuzz: $name for ${seconds}s (corpus $corpus)"
	if ! (cd $build && "$OLDPWD/$prog" -max_total_time="$seconds" \
		-artifact_prefix="$OLDPWD/$build/crash-$name-" "$OLDPWD/$corpus" \
		>"$OLDPWD/$build/$name.log" 2>&1); then
		echo "fuzz: $name FAILED: see $build/$name.log and $build/crash-$name-*"
		status=1
	else
		echo "fuzz: $name: $(grep -o 'Done [0-9]* runs' "$build/$name.log" | tail -n 1)"
	fi
done
exit $status
