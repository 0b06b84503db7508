// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The iommufd container (QEMU's hw/vfio/iommufd.c, 9.1 behaviour): one
 * IOAS per container, devices bound through their cdev and attached to
 * HWPTs the container keeps (one per compatible IOMMU), mediated devices
 * straight to the IOAS. Containers are shared within an address space by
 * devices naming the same iommufd object.
 */
#include <partita/compiler.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/sys/fd.h>
#include <partita/sys/namespace.h>
#include <partita/vfio/address-space.h>
#include <partita/vfio/device.h>
#include <partita/vfio/iommufd-backend.h>
#include <partita/vfio/registry.h>
#include <uapi/linux/iommufd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vfio_iommufd_hwpt {
	uint32_t hwpt_id;
	uint32_t flags;
	unsigned devices;
	struct vfio_iommufd_hwpt *next;
};

/* What the container's IOAS maps, as the listener asked: the sources an
 * IOMMU_IOAS_COPY can take memory from. Kept exact: an unmap drops every
 * mapping it touches, so a record always names live memory. */
struct vfio_iommufd_mapping {
	uint64_t iova, size;
	uintptr_t vaddr;
	bool readonly;
	struct vfio_iommufd_mapping *next;
};

struct vfio_iommufd_container {
	struct vfio_container_base bc;
	struct iommufd_backend *be;
	uint32_t ioas_id;
	struct vfio_iommufd_hwpt *hwpts;
	struct vfio_iommufd_mapping *mappings;
};

static const struct vfio_container_ops iommufd_ops;

static struct vfio_iommufd_container *to_c(struct vfio_container_base *bc)
{
	return container_of(bc, struct vfio_iommufd_container, bc);
}

/* A container of the same iommufd object, in another address space,
 * whose IOAS maps [vaddr, vaddr + size) (writably unless readonly). */
static bool find_copy_source(struct vfio_iommufd_container *c, uintptr_t vaddr,
			     uint64_t size, bool readonly, uint32_t *src_ioas,
			     uint64_t *src_iova)
{
	for (struct vfio_address_space *sp = c->be->reg->spaces; sp; sp = sp->next) {
		if (sp == c->bc.space)
			continue;
		for (struct vfio_container_base *bc = sp->containers; bc;
		     bc = bc->next) {
			struct vfio_iommufd_container *o = to_c(bc);

			if (bc->ops != &iommufd_ops || o->be != c->be)
				continue;
			for (struct vfio_iommufd_mapping *m = o->mappings; m;
			     m = m->next)
				if (m->vaddr <= vaddr &&
				    vaddr - m->vaddr <= m->size &&
				    size <= m->size - (vaddr - m->vaddr) &&
				    (readonly || !m->readonly)) {
					*src_ioas = o->ioas_id;
					*src_iova = m->iova + (vaddr - m->vaddr);
					return true;
				}
		}
	}
	return false;
}

static int iommufd_cdev_map(struct vfio_container_base *bc, uint64_t iova,
			    uint64_t size, void *vaddr, bool readonly)
{
	struct vfio_iommufd_container *c = to_c(bc);
	struct vfio_iommufd_mapping *m = heap_zalloc(sizeof(*m));
	uint32_t src_ioas;
	uint64_t src_iova;
	int ret = -ENOENT;

	if (!m)
		return -ENOMEM;
	/* Memory another partition's IOAS maps already: take its pinned
	 * pages rather than look them up again. Any failure (the source
	 * changed, read-only pages) falls back to a plain map. */
	if (c->be->ioas_copy &&
	    find_copy_source(c, (uintptr_t)vaddr, size, readonly, &src_ioas,
			     &src_iova))
		ret = iommufd_backend_copy_dma(c->be, src_ioas, src_iova,
					       c->ioas_id, iova, size, readonly);
	if (ret)
		ret = iommufd_backend_map_dma(c->be, c->ioas_id, iova, size, vaddr,
					      readonly);
	if (ret) {
		heap_free(m);
		return ret;
	}
	*m = (struct vfio_iommufd_mapping){ iova, size, (uintptr_t)vaddr,
					    readonly, c->mappings };
	c->mappings = m;
	return 0;
}

static int iommufd_cdev_unmap(struct vfio_container_base *bc, uint64_t iova,
			      uint64_t size)
{
	struct vfio_iommufd_container *c = to_c(bc);
	struct vfio_iommufd_mapping **link = &c->mappings;

	while (*link) {
		struct vfio_iommufd_mapping *m = *link;

		if (size && m->iova <= iova + (size - 1) &&
		    iova <= m->iova + (m->size - 1)) {
			*link = m->next;
			heap_free(m);
		} else {
			link = &m->next;
		}
	}
	return iommufd_backend_unmap_dma(c->be, c->ioas_id, iova, size);
}

static int iommufd_set_dirty_tracking(struct vfio_container_base *bc,
				      bool start, Error **errp)
{
	struct vfio_iommufd_container *c = to_c(bc);

	for (struct vfio_iommufd_hwpt *h = c->hwpts; h; h = h->next)
		if ((h->flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING) &&
		    !iommufd_backend_set_dirty_tracking(c->be, h->hwpt_id, start,
							errp))
			return -1;
	return 0;
}

static int iommufd_query_dirty_bitmap(struct vfio_container_base *bc,
				      uint64_t *bitmap, uint64_t iova,
				      uint64_t size, Error **errp)
{
	struct vfio_iommufd_container *c = to_c(bc);

	for (struct vfio_iommufd_hwpt *h = c->hwpts; h; h = h->next)
		if ((h->flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING) &&
		    !iommufd_backend_get_dirty_bitmap(c->be, h->hwpt_id, iova, size,
						      4096, bitmap, errp))
			return -1;
	return 0;
}

static void iommufd_describe(struct vfio_container_base *bc,
			     struct vfio_device *vdev, char *buf, size_t len)
{
	if (vdev->hwpt)
		snprintf(buf, len, "ioas %u hwpt %u dev %u", to_c(bc)->ioas_id,
			 vdev->hwpt->hwpt_id, vdev->devid);
	else       /* a mediated device: straight on the IOAS */
		snprintf(buf, len, "ioas %u dev %u", to_c(bc)->ioas_id,
			 vdev->devid);
}

static const struct vfio_container_ops iommufd_ops = {
	.describe = iommufd_describe,
	.dma_map = iommufd_cdev_map,
	.dma_unmap = iommufd_cdev_unmap,
	.set_dirty_page_tracking = iommufd_set_dirty_tracking,
	.query_dirty_bitmap = iommufd_query_dirty_bitmap,
};

/* ---- finding the cdev ------------------------------------------------- */

struct first_vfio {
	char name[64];
};

static int take_vfio(void *opaque, const char *name)
{
	struct first_vfio *f = opaque;

	if (strncmp(name, "vfio", 4))
		return 0;
	snprintf(f->name, sizeof(f->name), "%s", name);
	return 1;
}

/* "M:m\n" (no sscanf: the s390x libc is minimal). */
static bool parse_major_minor(const char *text, unsigned *major,
			      unsigned *minor)
{
	char *end, *end2;
	unsigned long ma = strtoul(text, &end, 10), mi;

	if (end == text || *end != ':')
		return false;
	mi = strtoul(end + 1, &end2, 10);
	if (end2 == end + 1 || ma > UINT32_MAX || mi > UINT32_MAX)
		return false;
	*major = (unsigned)ma;
	*minor = (unsigned)mi;
	return true;
}

/* <sysfsdev>/vfio-dev/vfioX/dev names the cdev by major:minor. */
static int cdev_getfd(struct vfio_registry *reg, const char *sysfsdev,
		      Error **errp)
{
	char path[256], text[32], cdev[96];
	struct first_vfio f = { "" };
	struct sys_stat st;
	unsigned major, minor;
	int ret;

	snprintf(path, sizeof(path), "%s/vfio-dev", sysfsdev);
	ret = sys_readdir(reg->sys, path, take_vfio, &f);
	if (ret < 0) {
		error_setg_errno(errp, -ret, "couldn't open directory %s", path);
		return -1;
	}
	if (!f.name[0]) {
		error_setg(errp, "failed to find vfio-dev/vfioX/dev");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/vfio-dev/%s/dev", sysfsdev, f.name);
	if (sys_read_file(reg->sys, path, text, sizeof(text)) < 0) {
		error_setg(errp, "failed to load \"%s\"", path);
		return -1;
	}
	if (!parse_major_minor(text, &major, &minor)) {
		error_setg(errp, "failed to get major:minor for \"%s\"", path);
		return -1;
	}
	snprintf(cdev, sizeof(cdev), "/dev/vfio/devices/%s", f.name);
	if (sys_stat(reg->sys, cdev, &st) || st.type != SYS_CHR ||
	    st.rdev_major != major || st.rdev_minor != minor) {
		error_setg(errp, "Failed to open %s", cdev);
		return -1;
	}
	ret = sys_open(reg->sys, cdev);
	if (ret < 0) {
		error_setg_errno(errp, -ret, "Failed to open %s", cdev);
		return -1;
	}
	return ret;
}

/* ---- attaching ------------------------------------------------------------ */

static long dev_io(struct vfio_registry *reg, struct vfio_device *vdev,
		   unsigned long req, void *arg)
{
	return sys_ioctl(reg->sys, vdev->fd, req, arg);
}

static int attach_pt(struct vfio_registry *reg, struct vfio_device *vdev,
		     uint32_t pt_id)
{
	struct vfio_device_attach_iommufd_pt at = { .argsz = sizeof(at),
						    .pt_id = pt_id };

	return (int)dev_io(reg, vdev, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at);
}

static bool attach_error(struct vfio_device *vdev, struct iommufd_backend *be,
			 int ret, uint32_t id, Error **errp)
{
	error_setg_errno(errp, -ret, "[iommufd=%d] error attach %s (%d) to id=%d",
			 be->fd, vdev->name, vdev->fd, id);
	return false;
}

/* QEMU 9.1's autodomains: an existing HWPT of the container if one
 * takes the device (-EINVAL: incompatible, try the next), else a new one,
 * with dirty tracking when the IOMMU offers it. */
static bool attach_hwpt(struct vfio_registry *reg, struct vfio_device *vdev,
			struct vfio_iommufd_container *c, Error **errp)
{
	struct vfio_iommufd_hwpt *h;
	uint64_t caps = 0;
	uint32_t flags = 0, id;
	int ret;

	if (vdev->mdev) {
		ret = attach_pt(reg, vdev, c->ioas_id);
		return ret ? attach_error(vdev, c->be, ret, c->ioas_id, errp) : true;
	}
	for (h = c->hwpts; h; h = h->next) {
		ret = attach_pt(reg, vdev, h->hwpt_id);
		if (!ret) {
			h->devices++;
			vdev->hwpt = h;
			vdev->iommu_dirty_tracking =
				!!(h->flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING);
			return true;
		}
		if (ret != -EINVAL)
			return attach_error(vdev, c->be, ret, h->hwpt_id, errp);
	}
	if (!iommufd_backend_get_device_info(c->be, vdev->devid, &caps, errp))
		return false;
	if (caps & IOMMU_HW_CAP_DIRTY_TRACKING)
		flags |= IOMMU_HWPT_ALLOC_DIRTY_TRACKING;
	if (!iommufd_backend_alloc_hwpt(c->be, vdev->devid, c->ioas_id, flags, &id,
					errp))
		return false;
	h = heap_zalloc(sizeof(*h));
	if (!h) {
		iommufd_backend_free_id(c->be, id);
		error_setg(errp, "out of memory");
		return false;
	}
	ret = attach_pt(reg, vdev, id);
	if (ret) {
		heap_free(h);
		iommufd_backend_free_id(c->be, id);
		return attach_error(vdev, c->be, ret, id, errp);
	}
	h->hwpt_id = id;
	h->flags = flags;
	h->devices = 1;
	h->next = c->hwpts;
	c->hwpts = h;
	vdev->hwpt = h;
	vdev->iommu_dirty_tracking = !!flags;
	if (c->bc.initialized && c->bc.dirty_pages_supported && !flags)
		warn_report("IOMMU instance for device %s doesn't support dirty "
			    "tracking", vdev->name);
	c->bc.dirty_pages_supported |= !!flags;
	return true;
}

static void detach_hwpt(struct vfio_registry *reg, struct vfio_device *vdev,
			struct vfio_iommufd_container *c)
{
	struct vfio_device_detach_iommufd_pt dt = { .argsz = sizeof(dt) };
	struct vfio_iommufd_hwpt *h = vdev->hwpt, **link;

	if (dev_io(reg, vdev, VFIO_DEVICE_DETACH_IOMMUFD_PT, &dt))
		error_report("detach %s failed", vdev->name);
	vdev->hwpt = NULL;
	vdev->iommu_dirty_tracking = false;
	if (!h || --h->devices)
		return;
	for (link = &c->hwpts; *link != h; link = &(*link)->next)
		;
	*link = h->next;
	iommufd_backend_free_id(c->be, h->hwpt_id);
	heap_free(h);
}

/* The IOVA ranges of the IOAS, sized with EMSGSIZE; QEMU's fallback (a
 * warning, the whole 64-bit space, 4 KiB pages) when the kernel cannot
 * say. false only when the ranges cannot be stored. */
static bool get_ranges(struct vfio_iommufd_container *c, Error **errp)
{
	struct iommu_ioas_iova_ranges r = { .size = sizeof(r), .ioas_id = c->ioas_id };
	struct iommu_iova_range *ranges = NULL;
	uint64_t start[16], last[16];
	long ret = sys_ioctl(c->be->reg->sys, c->be->fd, IOMMU_IOAS_IOVA_RANGES, &r);
	unsigned n;

	if (ret == -EMSGSIZE && r.num_iovas && r.num_iovas <= 16) {
		ranges = heap_calloc(r.num_iovas, sizeof(*ranges));
		r.allowed_iovas = (uint64_t)(uintptr_t)ranges;
		ret = ranges ? sys_ioctl(c->be->reg->sys, c->be->fd,
					 IOMMU_IOAS_IOVA_RANGES, &r) : -ENOMEM;
	}
	if (ret || !ranges) {
		Error *err = NULL;

		error_setg(&err, "Cannot get IOVA ranges");
		error_append_hint(&err, "Fallback to default 64bit IOVA range and "
				  "4K page size\n");
		warn_report_err(err);
		start[0] = 0;
		last[0] = UINT64_MAX;
		heap_free(ranges);
		c->bc.pgsizes = 4096;
		n = 1;
		goto store;
	}
	n = r.num_iovas;
	for (unsigned i = 0; i < n; i++) {
		start[i] = ranges[i].start;
		last[i] = ranges[i].last;
	}
	c->bc.pgsizes = r.out_iova_alignment;
	heap_free(ranges);
store:
	if (!vfio_container_set_iova_ranges(&c->bc, start, last, n)) {
		error_setg(errp, "out of memory for the IOVA ranges");
		return false;
	}
	return true;
}

static void container_free(struct vfio_iommufd_container *c)
{
	while (c->mappings) {
		struct vfio_iommufd_mapping *m = c->mappings;

		c->mappings = m->next;
		heap_free(m);
	}
	iommufd_backend_free_id(c->be, c->ioas_id);
	vfio_container_destroy(&c->bc);
	heap_free(c);
}

bool iommufd_cdev_attach(struct vfio_registry *reg, struct vfio_device *vdev,
			 AddressSpace *as, Error **errp)
{
	struct iommufd_backend *be = vdev->iommufd;
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct vfio_address_space *space;
	struct vfio_iommufd_container *c = NULL;
	struct vfio_container_base *bc;
	bool opened = false;
	long ret;

	if (!vdev->fd_passed) {
		vdev->fd = cdev_getfd(reg, vdev->sysfsdev, errp);
		if (vdev->fd < 0)
			return false;
		opened = true;
	}
	if (!iommufd_backend_connect(be, errp))
		goto fail_fd;
	bind.iommufd = be->fd;
	ret = dev_io(reg, vdev, VFIO_DEVICE_BIND_IOMMUFD, &bind);
	if (ret) {
		error_setg_errno(errp, (int)-ret, "error bind device fd=%d to "
				 "iommufd=%d", vdev->fd, be->fd);
		goto fail_connect;
	}
	vdev->devid = bind.out_devid;
	space = vfio_address_space_get(reg, as);
	if (!space) {
		error_setg(errp, "out of memory");
		goto fail_connect;
	}
	/* Join a container of the same iommufd object in this space. */
	for (bc = space->containers; bc; bc = bc->next) {
		Error *skip = NULL;

		if (bc->ops != &iommufd_ops || to_c(bc)->be != be)
			continue;
		if (attach_hwpt(reg, vdev, to_c(bc), &skip)) {
			c = to_c(bc);
			break;
		}
		error_free(skip);       /* QEMU traces and tries the next */
	}
	if (!c) {
		c = heap_zalloc(sizeof(*c));
		if (!c) {
			error_setg(errp, "out of memory");
			goto fail_space;
		}
		vfio_container_init(&c->bc, &iommufd_ops, "iommufd");
		c->be = be;
		if (!iommufd_backend_alloc_ioas(be, &c->ioas_id, errp)) {
			vfio_container_destroy(&c->bc);
			heap_free(c);
			goto fail_space;
		}
		if (!attach_hwpt(reg, vdev, c, errp)) {
			container_free(c);
			goto fail_space;
		}
		if (!get_ranges(c, errp) ||
		    !vfio_address_space_add_container(space, &c->bc, errp)) {
			detach_hwpt(reg, vdev, c);
			container_free(c);
			goto fail_space;
		}
	}
	{
		struct vfio_device_info info = { .argsz = sizeof(info) };

		ret = dev_io(reg, vdev, VFIO_DEVICE_GET_INFO, &info);
		if (ret) {
			error_setg_errno(errp, (int)-ret, "error getting device info");
			vdev->bcontainer = &c->bc;
			vdev->next = c->bc.devices;
			c->bc.devices = vdev;
			iommufd_cdev_detach(vdev);
			return false;
		}
		vdev->info = info;
	}
	vdev->bcontainer = &c->bc;
	vdev->next = c->bc.devices;
	c->bc.devices = vdev;
	return true;

fail_space:
	vfio_address_space_put(space);
fail_connect:
	/* Closing the device fd unbinds it. */
	iommufd_backend_disconnect(be);
fail_fd:
	if (opened) {
		sys_close(reg->sys, vdev->fd);
		vdev->fd = -1;
	}
	return false;
}

void iommufd_cdev_detach(struct vfio_device *vdev)
{
	struct vfio_iommufd_container *c = to_c(vdev->bcontainer);
	struct vfio_registry *reg = c->be->reg;
	struct vfio_address_space *space = c->bc.space;
	struct iommufd_backend *be = c->be;
	struct vfio_device **link;

	for (link = &c->bc.devices; *link != vdev; link = &(*link)->next)
		;
	*link = vdev->next;
	vdev->bcontainer = NULL;
	detach_hwpt(reg, vdev, c);
	if (!c->bc.devices) {
		vfio_address_space_remove_container(&c->bc);
		container_free(c);
		vfio_address_space_put(space);
	}
	/* QEMU closes the device fd at unprepare, passed or not. */
	sys_close(reg->sys, vdev->fd);
	vdev->fd = -1;
	iommufd_backend_disconnect(be);
}
