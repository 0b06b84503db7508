/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A device region placed in a partition (QEMU's VFIORegion): a PCI BAR,
 * a platform device's MMIO range. A region the driver lets us map
 * becomes a ram-device MemoryRegion over the mapping (so the listener
 * maps it for peer-to-peer); any other one an MMIO region whose accesses
 * are preads and pwrites of the device fd, little-endian as on the bus.
 */
#ifndef PARTITA_VFIO_REGION_H
#define PARTITA_VFIO_REGION_H

#include <partita/vfio/device.h>

/*
 * Where a partition wants its devices: its DMA address space, the
 * container its regions go into and the window for them (regions are
 * placed upward from *next, each aligned to its size, at least a page),
 * and for platform devices the partition's interrupt lines (taken upward
 * from *irq_next within [irq_base, irq_base + irq_count)) with the hook
 * that raises one in the partition (NULL: only counted).
 */
struct vfio_placement {
	AddressSpace *as;
	MemoryContext *ctx;
	MemoryRegion *parent;
	uint64_t mmio_base, mmio_size;
	uint64_t *next;
	unsigned irq_base, irq_count;
	unsigned *irq_next;
	void (*irq_raise)(void *opaque, unsigned irq);
	void *irq_opaque;
};

struct vfio_region {
	MemoryRegion mr;
	uint64_t size, addr;           /* addr: in the partition */
	uint32_t flags;                /* VFIO_REGION_INFO_FLAG_* */
	uint64_t fd_offset;
	void *mmap;                    /* sys_mmap'd, or NULL (MMIO) */
	bool mmap_failed;              /* MMAP offered, the mapping failed */
	bool mr_inited, added;
	struct vfio_registry *reg;
	struct vfio_device *vdev;
	unsigned index;
};

/* Read region index's info and, when it has a size, give it an address
 * in pl's window from *next (advanced past it) and its MemoryRegion
 * named name: mapped when the driver offers it and !no_mmap. Nothing is
 * added to the partition yet. A region of size 0 is left empty (true).
 * Errors say which region and the window. */
bool vfio_region_setup(struct vfio_registry *reg, struct vfio_device *vdev,
		       struct vfio_region *r, unsigned index,
		       const struct vfio_placement *pl, uint64_t *next,
		       bool no_mmap, const char *name, Error **errp);

/* Add the set-up regions of r[0..n) to the partition at once (one
 * transaction, so the listener sees them together). */
bool vfio_regions_add(const struct vfio_placement *pl, struct vfio_region *r,
		      unsigned n, Error **errp);

/* Remove r[0..n) from the partition, finalize and unmap them: whatever
 * part of setup and add was done. */
void vfio_regions_release(const struct vfio_placement *pl,
			  struct vfio_region *r, unsigned n);

#endif
