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
#include <partita/mm/memory.h>
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
	/* Optional: the backend's names for vdev's attachment, for the
	 * partition report ("ioas 2 hwpt 3 dev 1", "container fd 5
	 * group 1"), written into buf. */
	void (*describe)(struct vfio_container_base *bc,
			 struct vfio_device *vdev, char *buf, size_t len);
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
	/* What the listener has mapped through this container: successful
	 * dma_map calls less successful dma_unmap calls, and their bytes. */
	unsigned long dma_mappings;
	uint64_t dma_bytes;
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

/* The backend's names for vdev's attachment (or just the backend's
 * name when it has no describe op). */
void vfio_container_describe(struct vfio_container_base *bc,
			     struct vfio_device *vdev, char *buf, size_t len);

/* Replace the IOVA ranges (copied); false only when out of memory. */
bool vfio_container_set_iova_ranges(struct vfio_container_base *bc,
				    const uint64_t *start, const uint64_t *last,
				    unsigned n);

#endif
