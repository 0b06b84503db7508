#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# kconfig-tests.sh BUILD-ROOT
#
# The configuration system's promises, each checked against real
# kconfiglib runs: bad fragments are refused with a message and leave no
# configuration behind; backend and front choices reach autoconf.h and,
# once the backends exist, the binaries. Prints PASS:/FAIL: lines.
set -uo pipefail

cd "$(dirname "$0")/../.."
out=${1:-build/check}/kconfig
rm -rf "$out"
mkdir -p "$out"

pass() { echo "PASS: kconfig: $1"; }
fail() { echo "FAIL: kconfig: $1"; }

# kconfig CMD ARGS... in directory $out/$case: what `make` runs.
kconfig() { # case cmd args...
	local dir=$out/$1
	shift
	mkdir -p "$dir"
	KCONFIG_CONFIG=$dir/.config KCONFIG_AUTOHEADER=$dir/autoconf.h \
		srctree=. PYTHONPATH=/usr/lib/python3/dist-packages \
		/usr/bin/python3 scripts/kconfig.py "$@"
}

# A fragment kconfig must refuse, naming what is wrong, writing nothing.
expect_refused() { # name expected-message fragment-lines...
	local name=$1 msg=$2 dir=$out/$1 err
	shift 2
	mkdir -p "$dir"
	printf '%s\n' "$@" >"$dir/defconfig"
	if err=$(kconfig "$name" defconfig "$dir/defconfig" 2>&1); then
		fail "$name: accepted"
	elif ! grep -qF -- "$msg" <<<"$err"; then
		fail "$name: message lacks '$msg': $err"
	elif [ -e "$dir/.config" ] || [ -e "$dir/autoconf.h" ]; then
		fail "$name: left a configuration behind"
	else
		pass "$name: refused ($msg)"
	fi
}

expect_refused ap-on-arm64 "CONFIG_VFIO_AP=y" \
	CONFIG_ARCH_ARM64=y CONFIG_VFIO_AP=y
expect_refused ccw-on-arm64 "CONFIG_VFIO_CCW=y" \
	CONFIG_ARCH_ARM64=y CONFIG_VFIO_CCW=y
expect_refused platform-on-s390x "CONFIG_VFIO_PLATFORM=y" \
	CONFIG_ARCH_S390X=y CONFIG_VFIO_PLATFORM=y
expect_refused smmuv3-on-s390x "CONFIG_IOMMU_SMMUV3=y" \
	CONFIG_ARCH_S390X=y CONFIG_IOMMU_SMMUV3=y
expect_refused unknown-symbol "undefined symbol NO_SUCH_OPTION" \
	CONFIG_ARCH_HOST=y CONFIG_NO_SUCH_OPTION=y
expect_refused misspelt-value "'many' is invalid for MAX_PARTITIONS" \
	CONFIG_ARCH_HOST=y CONFIG_MAX_PARTITIONS=many
expect_refused backend-not-selectable "CONFIG_VFIO_LEGACY" \
	CONFIG_ARCH_HOST=y CONFIG_VFIO_BACKENDS_IOMMUFD=y CONFIG_VFIO_LEGACY=y

# Every backend choice yields exactly its backends in autoconf.h; turning
# both off is not expressible, the choice always holds one.
for choice in IOMMUFD:1:0 LEGACY:0:1 BOTH:1:1; do
	IFS=: read -r name want_iommufd want_legacy <<<"$choice"
	case=backends-$name
	printf 'CONFIG_ARCH_HOST=y\nCONFIG_VFIO_BACKENDS_%s=y\n' "$name" >"$out/$case.defconfig"
	if ! kconfig "$case" defconfig "$out/$case.defconfig" >/dev/null 2>&1; then
		fail "$case: refused"
		continue
	fi
	h=$out/$case/autoconf.h
	got_iommufd=$(grep -c '^#define CONFIG_VFIO_IOMMUFD 1$' "$h")
	got_legacy=$(grep -c '^#define CONFIG_VFIO_LEGACY 1$' "$h")
	if [ "$got_iommufd$got_legacy" = "$want_iommufd$want_legacy" ]; then
		pass "$case: autoconf.h has iommufd=$got_iommufd legacy=$got_legacy"
	else
		fail "$case: autoconf.h has iommufd=$got_iommufd legacy=$got_legacy, want $want_iommufd/$want_legacy"
	fi
done
printf 'CONFIG_ARCH_HOST=y\n# CONFIG_VFIO_BACKENDS_IOMMUFD is not set\n# CONFIG_VFIO_BACKENDS_LEGACY is not set\n# CONFIG_VFIO_BACKENDS_BOTH is not set\n' >"$out/none.defconfig"
if ! err=$(kconfig backends-none defconfig "$out/none.defconfig" 2>&1); then
	if grep -q 'did not take' <<<"$err"; then
		pass "backends-none: switching every backend off is refused"
	else
		fail "backends-none: refused without saying why: $err"
	fi
elif grep -qE '^#define CONFIG_VFIO_(IOMMUFD|LEGACY) 1$' "$out/backends-none/autoconf.h"; then
	pass "backends-none: the choice still picks a backend"
else
	fail "backends-none: a build without any VFIO backend was possible"
fi

# savedefconfig loses nothing: the minimal file it writes configures
# exactly what the shipped defconfig did.
for f in configs/*_defconfig; do
	name=$(basename "$f")
	if kconfig "rt-$name" defconfig "$f" >/dev/null 2>&1 &&
	   kconfig "rt-$name" savedefconfig "$out/rt-$name/saved" >/dev/null 2>&1 &&
	   kconfig "rt2-$name" defconfig "$out/rt-$name/saved" >/dev/null 2>&1 &&
	   diff -u "$out/rt-$name/.config" "$out/rt2-$name/.config" >"$out/rt-$name/diff"; then
		pass "$name: savedefconfig round trip"
	else
		fail "$name: savedefconfig round trip: $(head -c 400 "$out/rt-$name/diff" 2>/dev/null)"
	fi
done

# The Makefile refuses an ARCH that contradicts the configuration.
mk=$out/make-arch
if make --no-print-directory O="$mk" host_defconfig >/dev/null 2>&1 &&
   ! err=$(make --no-print-directory O="$mk" ARCH=arm64 2>&1) &&
   grep -q 'configured for host' <<<"$err"; then
	pass "make: ARCH=arm64 on a host configuration is refused"
else
	fail "make: ARCH=arm64 on a host configuration: ${err:-accepted}"
fi
if ! err=$(make --no-print-directory O="$out/make-none" no_such_defconfig 2>&1) &&
   grep -q 'no such defconfig' <<<"$err"; then
	pass "make: an unknown defconfig name is refused"
else
	fail "make: unknown defconfig: ${err:-accepted}"
fi

# Code of a backend or front that is switched off must not be in the
# binary. The checks need a positive control: the symbols must be present
# in the build that has everything, or the test would prove nothing.
check_absent() { # label config-with-all config-without prefix...
	local label=$1 all=$2 without=$3
	shift 3
	local dir_all=$out/nm-$all dir_without=$out/nm-$without prefix
	for d in "$all:$dir_all" "$without:$dir_without"; do
		if [ ! -f "${d#*:}/symbols" ]; then
			make --no-print-directory O="${d#*:}" "${d%%:*}_defconfig" >/dev/null 2>&1 &&
			make --no-print-directory -j"$(nproc)" O="${d#*:}" symbols >/dev/null 2>&1 ||
				{ fail "$label: build $d"; return; }
		fi
	done
	for prefix in "$@"; do
		if ! grep -q "^$prefix" "$dir_all/symbols"; then
			echo "SKIP: kconfig: $label: no '$prefix*' symbols exist yet in ${all}_defconfig (that code is not written yet); autoconf.h is checked above"
		elif grep -q "^$prefix" "$dir_without/symbols"; then
			fail "$label: ${without}_defconfig contains $(grep "^$prefix" "$dir_without/symbols" | head -3 | tr '\n' ' ')"
		else
			pass "$label: ${without}_defconfig has no '$prefix*' symbols"
		fi
	done
}
check_absent "legacy backend absent" host host_iommufd vfio_legacy_ vfio_type1_ type1_
check_absent "iommufd backend absent" host host_legacy iommufd_cdev_ iommufd_backend_ iommufd_
check_absent "ap/ccw fronts absent on arm64" host arm64_virt vfio_ap_ vfio_ccw_
check_absent "platform front absent on s390x" host s390x vfio_platform_
# The s390x firmware, as on arm64: each single-backend image lacks the other.
check_absent "s390x: legacy backend absent" s390x s390x_iommufd vfio_legacy_ vfio_type1_ type1_
check_absent "s390x: iommufd backend absent" s390x s390x_legacy iommufd_cdev_ iommufd_backend_ iommufd_
# ... and the s390x image itself (not just its library: the link drops
# what nothing calls) holds the manager, both backends, the pci and ccw
# fronts and the zPCI driver.
s390x_image_syms=$(s390x-linux-gnu-nm --defined-only "$out/nm-s390x/partita.elf" 2>/dev/null | awk '{ print $3 }')
for sym in manager_setup vfio_pci_realize vfio_ccw_realize iommufd_cdev_attach vfio_legacy_attach_device zpci_iommu_probe bus_zpci_discover bus_css_stsch_discover; do
	if grep -qx "$sym" <<<"$s390x_image_syms"; then
		pass "s390x image links $sym"
	else
		fail "s390x image links $sym"
	fi
done
# No defconfig leaves vfio-pci out: the host one with it switched off.
nopci=$out/nm-host-nopci
if make --no-print-directory O="$nopci" host_defconfig >/dev/null 2>&1 &&
   sed -i 's/^CONFIG_VFIO_PCI=y$/# CONFIG_VFIO_PCI is not set/' "$nopci/.config" &&
   make --no-print-directory O="$nopci" olddefconfig >/dev/null 2>&1 &&
   grep -qx '# CONFIG_VFIO_PCI is not set' "$nopci/.config" &&
   make --no-print-directory -j"$(nproc)" O="$nopci" symbols >/dev/null 2>&1; then
	check_absent "pci front absent" host host-nopci vfio_pci_
else
	fail "pci front absent: could not build host_defconfig without CONFIG_VFIO_PCI"
fi

# Every option a user can set is documented, and docs/kconfig.md
# is what the Kconfig help says today.
if err=$(srctree=. PYTHONPATH=/usr/lib/python3/dist-packages /usr/bin/python3 \
	scripts/kconfig-doc.py "$out/kconfig.md" 2>&1); then
	if diff -q "$out/kconfig.md" docs/kconfig.md >/dev/null; then
		pass "every option has help; docs/kconfig.md is current"
	else
		fail "docs/kconfig.md is stale: run 'make docs'"
	fi
else
	fail "configuration reference: $err"
fi
