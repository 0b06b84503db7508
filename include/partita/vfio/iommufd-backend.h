/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The iommufd backend object, "-object iommufd,id=ID[,fd=NUM|NAME]": the
 * owner of a /dev/iommu fd, shared by the containers and devices that
 * name it. Opened at its first user and closed after its last, unless the
 * fd was passed in (a management layer's); it cannot be deleted while in
 * use. Wraps the iommufd requests the VFIO side makes, with QEMU's
 * messages.
 */
#ifndef PARTITA_VFIO_IOMMUFD_BACKEND_H
#define PARTITA_VFIO_IOMMUFD_BACKEND_H

#include <partita/error.h>
#include <stdbool.h>
#include <stdint.h>

struct vfio_registry;

struct iommufd_backend {
	char *id;
	struct vfio_registry *reg;
	int fd;
	bool owned;          /* opened by us, not passed in */
	unsigned users;      /* bound devices */
	/* x-ioas-copy (default on): a container that maps memory another
	 * address space's container of this object already maps takes it
	 * with IOMMU_IOAS_COPY, so the pages are not looked up and pinned
	 * again (see container-iommufd.c). */
	bool ioas_copy;
	unsigned long ioas_maps, ioas_copies;   /* successful requests */
	struct iommufd_backend *next;
};

/* fd: NULL, a number, or the name of a pre-opened fd. */
struct iommufd_backend *iommufd_backend_create(struct vfio_registry *reg,
					       const char *id, const char *fd,
					       Error **errp);
struct opts;
/* "-object iommufd,id=ID[,fd=NUM|NAME][,x-ioas-copy=on|off]" parsed with
 * the implied key "qom-type": id is required, other properties are
 * refused with QEMU's "Property 'iommufd.x' not found". */
/* The same checks alone, creating nothing (ioas_copy may be NULL). */
bool iommufd_backend_check_opts(struct opts *opts, bool *ioas_copy,
				Error **errp);
struct iommufd_backend *iommufd_backend_create_opts(struct vfio_registry *reg,
						    struct opts *opts,
						    Error **errp);
struct iommufd_backend *iommufd_backend_find(struct vfio_registry *reg,
					     const char *id);
/* Refused while a device uses it. */
bool iommufd_backend_delete(struct iommufd_backend *be, Error **errp);

bool iommufd_backend_connect(struct iommufd_backend *be, Error **errp);
void iommufd_backend_disconnect(struct iommufd_backend *be);

bool iommufd_backend_alloc_ioas(struct iommufd_backend *be, uint32_t *ioas_id,
				Error **errp);
void iommufd_backend_free_id(struct iommufd_backend *be, uint32_t id);
/* 0 or -errno. EFAULT (device memory) also warns "... PCI BAR?". */
int iommufd_backend_map_dma(struct iommufd_backend *be, uint32_t ioas_id,
			    uint64_t iova, uint64_t size, void *vaddr,
			    bool readonly);
/* IOMMU_IOAS_COPY of [src_iova, + size) of src_ioas to dst_iova of
 * dst_ioas (fixed), writable unless readonly: 0 or -errno, not reported
 * (the caller falls back to a map). */
int iommufd_backend_copy_dma(struct iommufd_backend *be, uint32_t src_ioas,
			     uint64_t src_iova, uint32_t dst_ioas,
			     uint64_t dst_iova, uint64_t size, bool readonly);
/* ENOENT (nothing there) counts as success, as in QEMU. */
int iommufd_backend_unmap_dma(struct iommufd_backend *be, uint32_t ioas_id,
			      uint64_t iova, uint64_t size);
bool iommufd_backend_alloc_hwpt(struct iommufd_backend *be, uint32_t dev_id,
				uint32_t pt_id, uint32_t flags,
				uint32_t *out_hwpt, Error **errp);
bool iommufd_backend_get_device_info(struct iommufd_backend *be,
				     uint32_t devid, uint64_t *caps,
				     Error **errp);
bool iommufd_backend_set_dirty_tracking(struct iommufd_backend *be,
					uint32_t hwpt_id, bool start,
					Error **errp);
bool iommufd_backend_get_dirty_bitmap(struct iommufd_backend *be,
				      uint32_t hwpt_id, uint64_t iova,
				      uint64_t size, uint64_t page_size,
				      uint64_t *data, Error **errp);

#endif
