#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# linux-vm.sh BUILD PAYLOAD
#
# Boot Debian's own Linux kernel in QEMU (x86_64 q35, an emulated Intel
# IOMMU, two edu devices, TCG) with a busybox initramfs, bind both edu to
# vfio-pci, and run PAYLOAD/run.sh inside with the edu functions' names as
# its arguments; print the VM's console. PAYLOAD is a directory copied to
# /payload in the VM (static programs and their data).
#
# The kernel is the package Debian's linux-image-cloud-amd64 depends on
# today (its -unsigned build when the archive has one), downloaded with
# apt-get into BUILD/linux-vm/debs once and kept there: a second run
# downloads nothing. Exit status: run.sh's, or 3 when the VM could not be
# prepared or booted (said on stderr), or 124 on timeout.
#
# Facts behind the choices: ../shared/reference/linux-vfio-type1-measured.md
# (KVM here is a nested software virtualiser: TCG; each edu is its own
# IOMMU group; the modules are loaded in dependency order by hand because
# the package has no modules.dep).
set -uo pipefail
build=${1:?usage: linux-vm.sh BUILD PAYLOAD}
payload=${2:?usage: linux-vm.sh BUILD PAYLOAD}
vm=$build/linux-vm
timeout_s=${LINUX_VM_TIMEOUT:-240}

fail() {
	echo "linux-vm: $*" >&2
	exit 3
}

for tool in qemu-system-x86_64 busybox cpio depmod apt-get dpkg-deb; do
	command -v "$tool" >/dev/null ||
		fail "$tool not found: run scripts/deps.sh (qemu-system-x86, busybox-static, kmod, cpio)"
done

# ---- the kernel package ------------------------------------------------------

mkdir -p "$vm/debs"
meta_dep=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
	awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
[ -n "$meta_dep" ] || fail "apt-cache knows no linux-image-cloud-amd64: is Debian's archive in the sources?"
pkg=$meta_dep
apt-cache show "$meta_dep-unsigned" >/dev/null 2>&1 && pkg=$meta_dep-unsigned
deb=$(ls "$vm/debs/${pkg}"_*.deb 2>/dev/null | head -1)
if [ -z "$deb" ]; then
	echo "linux-vm: downloading $pkg" >&2
	(cd "$vm/debs" && apt-get download "$pkg" >/dev/null 2>&1) ||
		fail "cannot download the kernel package $pkg (apt-get download failed): the VM tests need it"
	deb=$(ls "$vm/debs/${pkg}"_*.deb 2>/dev/null | head -1)
	[ -n "$deb" ] || fail "apt-get download $pkg left no .deb behind"
fi
kdir=$vm/kernel-$(basename "$deb" .deb)
if [ ! -d "$kdir/boot" ]; then
	rm -rf "$kdir.tmp"
	dpkg-deb -x "$deb" "$kdir.tmp" || fail "cannot unpack $deb"
	mv "$kdir.tmp" "$kdir"
fi
kver=$(ls "$kdir/lib/modules" | head -1)
vmlinuz=$kdir/boot/vmlinuz-$kver
[ -f "$vmlinuz" ] || fail "$deb holds no /boot/vmlinuz-$kver"

# ---- the initramfs -------------------------------------------------------------

root=$vm/root
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,lib/modules,payload}
cp "$(command -v busybox)" "$root/bin/busybox"
mods="virt/lib/irqbypass drivers/vfio/vfio drivers/vfio/vfio_virqfd
      drivers/vfio/vfio_iommu_type1 drivers/vfio/pci/vfio-pci-core
      drivers/vfio/pci/vfio-pci"
order=
for m in $mods; do
	f=$kdir/lib/modules/$kver/kernel/$m.ko
	[ -f "$f" ] || { [ "$m" = drivers/vfio/vfio_virqfd ] && continue; fail "$kver has no $m.ko"; }
	cp "$f" "$root/lib/modules/"
	order="$order $(basename "$m")"
done
cp -r "$payload"/. "$root/payload/"
cat >"$root/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev
for m in$order; do
	insmod /lib/modules/\$m.ko || echo "VM: insmod \$m failed"
done
edu=
for d in /sys/bus/pci/devices/*; do
	[ "\$(cat \$d/vendor)" = 0x1234 ] && [ "\$(cat \$d/device)" = 0x11e8 ] || continue
	echo vfio-pci >\$d/driver_override
	echo \${d##*/} >/sys/bus/pci/drivers_probe
	edu="\$edu \${d##*/}"
done
echo "VM: kernel \$(uname -r), up \$(cut -d' ' -f1 /proc/uptime) s, edu:\$edu"
cd /payload
sh ./run.sh \$edu
echo "VM: run.sh status \$?, up \$(cut -d' ' -f1 /proc/uptime) s"
poweroff -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$vm/initrd.gz" ||
	fail "cannot pack the initramfs"

# ---- the boot --------------------------------------------------------------------

log=$vm/console.log
timeout "$timeout_s" qemu-system-x86_64 -accel tcg -M q35,kernel-irqchip=split \
	-device intel-iommu,intremap=on,caching-mode=on \
	-device edu -device edu -m 1G -smp 2 -nographic -no-reboot \
	-kernel "$vmlinuz" -initrd "$vm/initrd.gz" \
	-append "console=ttyS0 intel_iommu=on panic=-1 quiet" >"$log" 2>&1
qemu=$?
cat "$log"
[ $qemu -eq 124 ] && { echo "linux-vm: timed out after $timeout_s s" >&2; exit 124; }
status=$(sed -n 's/^VM: run.sh status \([0-9]*\),.*/\1/p' "$log" | tr -d '\r' | tail -1)
[ -n "$status" ] || fail "the VM ended without running run.sh to its end (QEMU status $qemu): see $log"
exit "$status"
