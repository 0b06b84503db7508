// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VFIOAddressSpace and the memory listener every container registers on
 * it (QEMU's vfio_listener_region_add/del, rules in the header).
 */
#include <partita/compiler.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/mm/page-alloc.h>
#include <partita/vfio/address-space.h>
#include <partita/vfio/registry.h>
#include <string.h>

struct vfio_address_space *vfio_address_space_get(struct vfio_registry *reg,
						  AddressSpace *as)
{
	struct vfio_address_space *s;

	for (s = reg->spaces; s; s = s->next)
		if (s->as == as)
			return s;
	s = heap_zalloc(sizeof(*s));
	if (!s)
		return NULL;
	s->reg = reg;
	s->as = as;
	s->next = reg->spaces;
	reg->spaces = s;
	return s;
}

void vfio_address_space_put(struct vfio_address_space *space)
{
	struct vfio_address_space **link;

	if (!space || space->containers)
		return;
	for (link = &space->reg->spaces; *link != space; link = &(*link)->next)
		;
	*link = space->next;
	heap_free(space->stop_reason);
	heap_free(space);
}

/* ---- the listener ------------------------------------------------------ */

static struct vfio_container_base *to_bc(MemoryListener *l)
{
	return container_of(l, struct vfio_container_base, listener);
}

static bool section_valid(const MemoryRegionSection *s)
{
	/* Only memory that can be DMA'd: RAM and mapped device BARs, never
	 * protected (encrypted) memory. */
	return memory_region_is_ram(s->mr) && !memory_region_is_protected(s->mr);
}

static bool section_aligned(const MemoryRegionSection *s)
{
	if (!((s->offset_within_address_space ^ s->offset_within_region) &
	      (PAGE_SIZE - 1)))
		return true;
	error_report("%s received unaligned region %s iova=0x%llx "
		     "offset_within_region=0x%llx qemu_real_host_page_size=0x%lx",
		     "vfio_listener_region_add", memory_region_name(s->mr),
		     (unsigned long long)s->offset_within_address_space,
		     (unsigned long long)s->offset_within_region, PAGE_SIZE);
	return false;
}

/* The page-rounded range a section covers; false when empty. */
static bool section_range(const MemoryRegionSection *s, uint64_t *iova,
			  uint64_t *size)
{
	uint64_t start = PT_ALIGN_UP(s->offset_within_address_space,
				     (uint64_t)PAGE_SIZE);
	uint64_t end = PT_ALIGN_DOWN(s->offset_within_address_space + s->size,
				     (uint64_t)PAGE_SIZE);

	if (start >= end)
		return false;
	*iova = start;
	*size = end - start;
	return true;
}

static void stop_partition(struct vfio_address_space *space, Error *err)
{
	/* QEMU aborts here (hw_error). A partition manager stops only the
	 * partition that lost its DMA map; the rest keeps running. */
	error_prepend(&err, "vfio: DMA mapping failed, unable to continue: ");
	if (!space->stopped) {
		space->stopped = true;
		space->stop_reason = heap_strdup(error_get_pretty(err));
	}
	error_report_err(err);
}

static void region_add(MemoryListener *l, MemoryRegionSection *s)
{
	struct vfio_container_base *bc = to_bc(l);
	uint64_t iova, size, min;
	void *vaddr;
	Error *err = NULL;
	int ret;

	if (!section_valid(s) || !section_aligned(s) ||
	    !section_range(s, &iova, &size))
		return;
	min = bc->pgsizes & -bc->pgsizes;
	/* A BAR not aligned to the IOMMU's smallest page cannot be mapped;
	 * QEMU skips it silently (a trace). */
	if (memory_region_is_ram_device(s->mr) && min &&
	    ((iova | size) & (min - 1)))
		return;
	vaddr = (uint8_t *)memory_region_get_ram_ptr(s->mr) +
		s->offset_within_region + (iova - s->offset_within_address_space);
	ret = vfio_container_dma_map(bc, iova, size, vaddr, s->readonly);
	if (!ret)
		return;
	error_setg(&err, "vfio_container_dma_map(%p, 0x%llx, 0x%llx, %p) = %d (%s)",
		   (void *)bc, (unsigned long long)iova, (unsigned long long)size,
		   vaddr, ret, strerror(-ret));
	if (memory_region_is_ram_device(s->mr)) {
		/* Peer-to-peer only: the device works without it. QEMU
		 * reports this one bare; its "PCI p2p may not work: " prefix
		 * is for the listener's other failures of a ram-device
		 * section (sPAPR windows), which this listener has none of. */
		error_report_err(err);
		return;
	}
	if (!bc->initialized) {
		/* Keep the first; the attach will fail with it. */
		if (!bc->error) {
			error_prepend(&err, "Region %s: ", memory_region_name(s->mr));
			bc->error = err;
		} else {
			error_free(err);
		}
		return;
	}
	stop_partition(bc->space, err);
}

static void region_del(MemoryListener *l, MemoryRegionSection *s)
{
	struct vfio_container_base *bc = to_bc(l);
	uint64_t iova, size, min;
	int ret;

	if (!section_valid(s) ||
	    ((s->offset_within_address_space ^ s->offset_within_region) &
	     (PAGE_SIZE - 1)) || !section_range(s, &iova, &size))
		return;
	min = bc->pgsizes & -bc->pgsizes;
	if (memory_region_is_ram_device(s->mr) && min &&
	    ((iova | size) & (min - 1)))
		return;
	ret = vfio_container_dma_unmap(bc, iova, size);
	if (ret)
		error_report("vfio_container_dma_unmap(%p, 0x%llx, 0x%llx) = %d (%s)",
			     (void *)bc, (unsigned long long)iova,
			     (unsigned long long)size, ret, strerror(-ret));
}

bool vfio_address_space_add_container(struct vfio_address_space *space,
				      struct vfio_container_base *bc,
				      Error **errp)
{
	bc->space = space;
	bc->next = space->containers;
	space->containers = bc;
	bc->listener = (MemoryListener){
		.name = "vfio",
		.region_add = region_add,
		.region_del = region_del,
	};
	memory_listener_register(&bc->listener, space->as);
	if (bc->error) {
		error_propagate_prepend(errp, bc->error,
					"memory listener initialization failed: ");
		bc->error = NULL;
		vfio_address_space_remove_container(bc);
		return false;
	}
	bc->initialized = true;
	return true;
}

void vfio_address_space_remove_container(struct vfio_container_base *bc)
{
	struct vfio_container_base **link;

	if (!bc->space)
		return;
	memory_listener_unregister(&bc->listener);
	for (link = &bc->space->containers; *link && *link != bc;
	     link = &(*link)->next)
		;
	if (*link)
		*link = bc->next;
	bc->space = NULL;
	bc->next = NULL;
	bc->initialized = false;
}
