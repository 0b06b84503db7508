// SPDX-License-Identifier: GPL-2.0-or-later
/* The -object iommufd backend (QEMU's backends/iommufd.c), on sys_*(). */
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/option.h>
#include <partita/sys/fd.h>
#include <partita/vfio/iommufd-backend.h>
#include <partita/vfio/registry.h>
#include <uapi/linux/iommufd.h>
#include <string.h>

bool iommufd_backend_check_opts(struct opts *opts, bool *ioas_copy,
				Error **errp)
{
	const char *type = opts_get(opts, "qom-type");
	const char *unused;
	bool copy = true;

	opts_get(opts, "id");
	opts_get(opts, "fd");
	if (!opts_get_bool(opts, "x-ioas-copy", &copy, errp))
		return false;
	unused = opts_first_unused(opts);
	if (!type || strcmp(type, "iommufd")) {
		error_setg(errp, "invalid object type: %s", type ? type : "");
		return false;
	}
	if (!opts_has(opts, "id")) {
		error_setg(errp, "Parameter 'id' is missing");
		return false;
	}
	if (unused) {
		error_setg(errp, "Property 'iommufd.%s' not found", unused);
		return false;
	}
	if (ioas_copy)
		*ioas_copy = copy;
	return true;
}

struct iommufd_backend *iommufd_backend_create_opts(struct vfio_registry *reg,
						    struct opts *opts,
						    Error **errp)
{
	struct iommufd_backend *be;
	bool copy;

	if (!iommufd_backend_check_opts(opts, &copy, errp))
		return NULL;
	be = iommufd_backend_create(reg, opts_get(opts, "id"),
				    opts_get(opts, "fd"), errp);
	if (be)
		be->ioas_copy = copy;
	return be;
}

struct iommufd_backend *iommufd_backend_find(struct vfio_registry *reg,
					     const char *id)
{
	for (struct iommufd_backend *be = reg->backends; be; be = be->next)
		if (!strcmp(be->id, id))
			return be;
	return NULL;
}

/* QEMU's monitor_fd_param: a pre-opened fd's name, or a number. */
static int fd_param(struct vfio_registry *reg, const char *str, Error **errp)
{
	uint64_t n;
	int fd = sys_fd_by_name(reg->sys, str);

	if (fd >= 0)
		return fd;
	if (!parse_u64(str, &n) || n >= SYS_FD_MAX) {
		error_setg(errp, "Invalid file descriptor number '%s'", str);
		return -1;
	}
	return (int)n;
}

struct iommufd_backend *iommufd_backend_create(struct vfio_registry *reg,
					       const char *id, const char *fd,
					       Error **errp)
{
	struct iommufd_backend *be;
	Error *err = NULL;

	if (iommufd_backend_find(reg, id)) {
		error_setg(errp, "attempt to add duplicate property '%s' to "
			   "object (type 'container')", id);
		return NULL;
	}
	be = heap_zalloc(sizeof(*be));
	if (!be || !(be->id = heap_strdup(id))) {
		heap_free(be);
		error_setg(errp, "out of memory for iommufd object '%s'", id);
		return NULL;
	}
	be->reg = reg;
	be->fd = -1;
	be->owned = true;
	be->ioas_copy = true;
	if (fd) {
		be->fd = fd_param(reg, fd, &err);
		if (be->fd < 0) {
			error_propagate_prepend(errp, err,
						"Could not parse remote object fd %s:", fd);
			heap_free(be->id);
			heap_free(be);
			return NULL;
		}
		be->owned = false;
	}
	be->next = reg->backends;
	reg->backends = be;
	return be;
}

bool iommufd_backend_delete(struct iommufd_backend *be, Error **errp)
{
	struct iommufd_backend **link;

	if (be->users) {
		error_setg(errp, "object '%s' is in use, can not be deleted", be->id);
		return false;
	}
	for (link = &be->reg->backends; *link != be; link = &(*link)->next)
		;
	*link = be->next;
	heap_free(be->id);
	heap_free(be);
	return true;
}

bool iommufd_backend_connect(struct iommufd_backend *be, Error **errp)
{
	if (be->owned && !be->users) {
		int fd = sys_open(be->reg->sys, "/dev/iommu");

		if (fd < 0) {
			error_setg_errno(errp, -fd, "/dev/iommu opening failed");
			return false;
		}
		be->fd = fd;
	}
	be->users++;
	return true;
}

void iommufd_backend_disconnect(struct iommufd_backend *be)
{
	if (!be->users)
		return;
	if (!--be->users && be->owned) {
		sys_close(be->reg->sys, be->fd);
		be->fd = -1;
	}
}

static long io(struct iommufd_backend *be, unsigned long req, void *arg)
{
	return sys_ioctl(be->reg->sys, be->fd, req, arg);
}

bool iommufd_backend_alloc_ioas(struct iommufd_backend *be, uint32_t *ioas_id,
				Error **errp)
{
	struct iommu_ioas_alloc a = { .size = sizeof(a) };
	long ret = io(be, IOMMU_IOAS_ALLOC, &a);

	if (ret) {
		error_setg_errno(errp, (int)-ret, "Failed to allocate ioas");
		return false;
	}
	*ioas_id = a.out_ioas_id;
	return true;
}

void iommufd_backend_free_id(struct iommufd_backend *be, uint32_t id)
{
	struct iommu_destroy d = { .size = sizeof(d), .id = id };
	long ret = io(be, IOMMU_DESTROY, &d);

	/* Nobody above can act on it: report, and go on. */
	if (ret)
		error_report("Failed to free id: %u %s", id, strerror((int)-ret));
}

int iommufd_backend_map_dma(struct iommufd_backend *be, uint32_t ioas_id,
			    uint64_t iova, uint64_t size, void *vaddr,
			    bool readonly)
{
	struct iommu_ioas_map m = {
		.size = sizeof(m), .ioas_id = ioas_id,
		.flags = IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_FIXED_IOVA |
			 (readonly ? 0 : IOMMU_IOAS_MAP_WRITEABLE),
		.user_va = (uint64_t)(uintptr_t)vaddr, .length = size, .iova = iova,
	};
	long ret = io(be, IOMMU_IOAS_MAP, &m);

	/* Only the backend knows why EFAULT happens: device memory. The
	 * failure itself is the caller's to report. */
	if (ret == -EFAULT)
		warn_report("IOMMU_IOAS_MAP failed: %s, PCI BAR?", strerror(EFAULT));
	be->ioas_maps += !ret;
	return (int)ret;
}

int iommufd_backend_copy_dma(struct iommufd_backend *be, uint32_t src_ioas,
			     uint64_t src_iova, uint32_t dst_ioas,
			     uint64_t dst_iova, uint64_t size, bool readonly)
{
	struct iommu_ioas_copy c = {
		.size = sizeof(c),
		.flags = IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_FIXED_IOVA |
			 (readonly ? 0 : IOMMU_IOAS_MAP_WRITEABLE),
		.dst_ioas_id = dst_ioas, .src_ioas_id = src_ioas,
		.length = size, .dst_iova = dst_iova, .src_iova = src_iova,
	};
	long ret = io(be, IOMMU_IOAS_COPY, &c);

	be->ioas_copies += !ret;
	return (int)ret;
}

int iommufd_backend_unmap_dma(struct iommufd_backend *be, uint32_t ioas_id,
			      uint64_t iova, uint64_t size)
{
	struct iommu_ioas_unmap u = { .size = sizeof(u), .ioas_id = ioas_id,
				      .iova = iova, .length = size };
	long ret = io(be, IOMMU_IOAS_UNMAP, &u);

	/* Redundant unmaps (nothing there) are not failures. */
	return ret == -ENOENT ? 0 : (int)ret;
}

bool iommufd_backend_alloc_hwpt(struct iommufd_backend *be, uint32_t dev_id,
				uint32_t pt_id, uint32_t flags,
				uint32_t *out_hwpt, Error **errp)
{
	struct iommu_hwpt_alloc h = { .size = sizeof(h), .flags = flags,
				      .dev_id = dev_id, .pt_id = pt_id };
	long ret = io(be, IOMMU_HWPT_ALLOC, &h);

	if (ret) {
		error_setg_errno(errp, (int)-ret, "Failed to allocate hwpt");
		return false;
	}
	*out_hwpt = h.out_hwpt_id;
	return true;
}

bool iommufd_backend_get_device_info(struct iommufd_backend *be,
				     uint32_t devid, uint64_t *caps,
				     Error **errp)
{
	struct iommu_hw_info info = { .size = sizeof(info), .dev_id = devid };
	long ret = io(be, IOMMU_GET_HW_INFO, &info);

	if (ret) {
		error_setg_errno(errp, (int)-ret, "Failed to get hardware info");
		return false;
	}
	*caps = info.out_capabilities;
	return true;
}

bool iommufd_backend_set_dirty_tracking(struct iommufd_backend *be,
					uint32_t hwpt_id, bool start,
					Error **errp)
{
	struct iommu_hwpt_set_dirty_tracking s = {
		.size = sizeof(s), .hwpt_id = hwpt_id,
		.flags = start ? IOMMU_HWPT_DIRTY_TRACKING_ENABLE : 0,
	};
	long ret = io(be, IOMMU_HWPT_SET_DIRTY_TRACKING, &s);

	if (ret) {
		error_setg_errno(errp, (int)-ret,
				 "IOMMU_HWPT_SET_DIRTY_TRACKING(hwpt_id %u) failed",
				 hwpt_id);
		return false;
	}
	return true;
}

bool iommufd_backend_get_dirty_bitmap(struct iommufd_backend *be,
				      uint32_t hwpt_id, uint64_t iova,
				      uint64_t size, uint64_t page_size,
				      uint64_t *data, Error **errp)
{
	struct iommu_hwpt_get_dirty_bitmap g = {
		.size = sizeof(g), .hwpt_id = hwpt_id, .iova = iova,
		.length = size, .page_size = page_size,
		.data = (uint64_t)(uintptr_t)data,
	};
	long ret = io(be, IOMMU_HWPT_GET_DIRTY_BITMAP, &g);

	if (ret) {
		error_setg_errno(errp, (int)-ret,
				 "IOMMU_HWPT_GET_DIRTY_BITMAP (iova: 0x%llx size: "
				 "0x%llx) failed", (unsigned long long)iova,
				 (unsigned long long)size);
		return false;
	}
	return true;
}
