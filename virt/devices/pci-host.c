// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtual PCI host bridge (include/partita/virt/devices/pci-host.h).
 * ECAM: offset = bus << 20 | device << 15 | function << 12 | register
 * (PCI Express Base, 7.2.2); only bus 0 exists.
 */
#include <partita/pci.h>
#include <partita/vfio/pci.h>
#include <partita/virt/devices/pci-host.h>
#include <string.h>

/* 00:00.0 as QEMU's gpex presents it: Red Hat's generic PCIe host. */
#define BRIDGE_VENDOR   0x1b36
#define BRIDGE_DEVICE   0x0008
#define BRIDGE_CLASS    0x06000000u     /* host bridge, revision 0 */

static struct vfio_pci_device *fn_at(struct pci_host *h, uint64_t addr,
				     unsigned *reg, bool *bridge)
{
	unsigned dev = (unsigned)(addr >> 15) & 31, fn = (unsigned)(addr >> 12) & 7;

	*reg = (unsigned)addr & 0xfff;
	*bridge = dev == 0 && fn == 0;
	return h->fn[dev][fn];
}

static uint64_t bridge_read(struct pci_host *h, unsigned reg, unsigned size)
{
	uint64_t v = 0;

	if (reg >= sizeof(h->bridge))
		return 0;
	for (unsigned i = 0; i < size && reg + i < sizeof(h->bridge); i++)
		v |= (uint64_t)h->bridge[reg + i] << (8 * i);
	return v;
}

static uint64_t ecam_read(void *opaque, uint64_t addr, unsigned size)
{
	struct pci_host *h = opaque;
	unsigned reg;
	bool bridge;
	struct vfio_pci_device *d = fn_at(h, addr, &reg, &bridge);

	h->accesses++;
	if (bridge)
		return bridge_read(h, reg, size);
	if (!d)
		return size == 4 ? 0xffffffffu : (1ULL << (8 * size)) - 1;
	return vfio_pci_config_read(d, reg, size);
}

static void ecam_write(void *opaque, uint64_t addr, uint64_t val,
		       unsigned size)
{
	struct pci_host *h = opaque;
	unsigned reg;
	bool bridge;
	struct vfio_pci_device *d = fn_at(h, addr, &reg, &bridge);

	h->accesses++;
	if (bridge) {
		/* The command register's decoding bits are kept (and
		 * mean nothing: the bridge has no BAR); the rest is
		 * read-only. */
		if (reg == PCI_COMMAND && size >= 2)
			pci_set_word(h->bridge + PCI_COMMAND, (uint16_t)val & 0x7);
		return;
	}
	if (d)
		vfio_pci_config_write(d, reg, (uint32_t)val, size);
}

static const MemoryRegionOps ecam_ops = {
	.read = ecam_read,
	.write = ecam_write,
	.max_access_size = 4,
};

bool pci_host_init(struct pci_host *h, MemoryContext *ctx, Error **errp)
{
	memset(h, 0, sizeof(*h));
	pci_set_word(h->bridge + PCI_VENDOR_ID, BRIDGE_VENDOR);
	pci_set_word(h->bridge + PCI_DEVICE_ID, BRIDGE_DEVICE);
	pci_set_long(h->bridge + PCI_CLASS_REVISION, BRIDGE_CLASS);
	return memory_region_init_io(&h->ecam, ctx, &ecam_ops, h, "pci-ecam",
				     PCI_HOST_ECAM_SIZE, errp);
}

void pci_host_fini(struct pci_host *h)
{
	memory_region_finalize(&h->ecam);
}

bool pci_host_place(struct pci_host *h, unsigned slot, unsigned fn,
		    struct vfio_pci_device *vpci, Error **errp)
{
	if (slot < 1 || slot >= PCI_HOST_SLOTS || fn > 7) {
		error_setg(errp, "PCI host: no slot %02x.%x (slots 01-1f, "
			   "functions 0-7)", slot, fn);
		return false;
	}
	if (h->fn[slot][fn]) {
		error_setg(errp, "PCI host: 00:%02x.%x is taken", slot, fn);
		return false;
	}
	h->fn[slot][fn] = vpci;
	return true;
}
