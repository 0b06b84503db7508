/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VFIOContainerBase: what the generic VFIO code (the address-space
 * listener, devices, migration) knows of a container, whichever backend
 * it is. A backend (container-iommufd.c, container-legacy.c) embeds it
 * and provides the ops; generic code never asks which backend it has.
 *
 * Only container-level operations are here: bus-specific hooks (PCI hot
 * reset) belong to the bus front, not to this table.
 */
#ifndef PARTITA_VFIO_CONTAINER_BASE_H
#define PARTITA_VFIO_CONTAINER_BASE_H

#include <partita/error.h>
#include <partita/memory.h>
#include <stdbool.h>
#include <stdint.h>

struct vfio_address_space;
struct vfio_container_base;
struct vfio_device;

struct vfio_iova_range_list {
	uint64_t *start, *last;          /* inclusive ranges */
	unsigned n;
};

struct vfio_container_ops {
	/* Mandatory. dma_map/unmap return 0 or -errno; a backend may warn
	 * about a condition it alone can explain (the "PCI BAR?" case) but
	 * the failure itself is reported by the caller, once. */
	int (*dma_map)(struct vfio_container_base *bc, uint64_t iova,
		       uint64_t size, void *vaddr, bool readonly);
	int (*dma_unmap)(struct vfio_container_base *bc, uint64_t iova,
			 uint64_t size);
	/* Optional: dirty tracking (NULL: not supported). */
	int (*set_dirty_page_tracking)(struct vfio_container_base *bc,
				       bool start, Error **errp);
	int (*query_dirty_bitmap)(struct vfio_container_base *bc,
				  uint64_t *bitmap, uint64_t iova,
				  uint64_t size, Error **errp);
};

struct vfio_container_base {
	const struct vfio_container_ops *ops;
	const char *backend;                /* "iommufd" or "legacy" */
	struct vfio_address_space *space;
	MemoryListener listener;
	Error *error;                       /* first listener error at realize */
	bool initialized;
	uint64_t pgsizes;                   /* IOMMU page sizes (mask) */
	struct vfio_iova_range_list iova_ranges;
	unsigned dma_max_mappings;          /* 0: no limit known */
	bool dirty_pages_supported;
	bool dirty_tracking;                /* started */
	struct vfio_device *devices;
	struct vfio_container_base *next;   /* in space->containers */
};

/* Backends call these around their own setup and teardown. init asserts
 * the mandatory ops. */
void vfio_container_init(struct vfio_container_base *bc,
			 const struct vfio_container_ops *ops,
			 const char *backend);
void vfio_container_destroy(struct vfio_container_base *bc);

int vfio_container_dma_map(struct vfio_container_base *bc, uint64_t iova,
			   uint64_t size, void *vaddr, bool readonly);
int vfio_container_dma_unmap(struct vfio_container_base *bc, uint64_t iova,
			     uint64_t size);
/* 0 when the container cannot track dirty pages (nothing to do). */
int vfio_container_set_dirty_page_tracking(struct vfio_container_base *bc,
					   bool start, Error **errp);
int vfio_container_query_dirty_bitmap(struct vfio_container_base *bc,
				      uint64_t *bitmap, uint64_t iova,
				      uint64_t size, Error **errp);

/* Replace the IOVA ranges (copied); false only when out of memory. */
bool vfio_container_set_iova_ranges(struct vfio_container_base *bc,
				    const uint64_t *start, const uint64_t *last,
				    unsigned n);

#endif
