// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The legacy container (QEMU's hw/vfio/container.c): groups opened from
 * /dev/vfio/<id>, joined to a /dev/vfio/vfio container of the address
 * space with the type1 IOMMU model, device fds from the group. Unlike
 * QEMU, a new group tries only the legacy containers of the space (QEMU's
 * loop tries every container, whatever its backend).
 */
#include <partita/compiler.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/mm/page-alloc.h>
#include <partita/sys/fd.h>
#include <partita/sys/namespace.h>
#include <partita/vfio/address-space.h>
#include <partita/vfio/device.h>
#include <partita/vfio/registry.h>
#include <uapi/linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vfio_legacy_container {
	struct vfio_container_base bc;
	struct sys *sys;
	int fd;
	unsigned long iommu_type;
	struct vfio_group *groups;
};

struct vfio_group {
	int id;
	int fd;
	struct vfio_legacy_container *container;
	struct vfio_device *devices;
	struct vfio_group *next;            /* in its bucket of reg->groups */
	struct vfio_group *container_next;  /* in container->groups */
};

static struct vfio_legacy_container *to_c(struct vfio_container_base *bc)
{
	return container_of(bc, struct vfio_legacy_container, bc);
}

static long cio(struct vfio_legacy_container *c, unsigned long req, void *arg)
{
	return sys_ioctl(c->sys, c->fd, req, arg);
}

/* ---- container ops ------------------------------------------------------ */

static int legacy_dma_unmap(struct vfio_container_base *bc, uint64_t iova,
			    uint64_t size)
{
	struct vfio_legacy_container *c = to_c(bc);
	struct vfio_iommu_type1_dma_unmap u = { .argsz = sizeof(u), .iova = iova,
						.size = size };
	long ret = cio(c, VFIO_IOMMU_UNMAP_DMA, &u);

	/* Type1v2 refuses a range ending at 2^64; QEMU retries one page
	 * short. */
	if (ret == -EINVAL && c->iommu_type == VFIO_TYPE1v2_IOMMU &&
	    iova + size == 0) {
		u.size = size - (bc->pgsizes & -bc->pgsizes);
		ret = cio(c, VFIO_IOMMU_UNMAP_DMA, &u);
	}
	return (int)ret;
}

static int legacy_dma_map(struct vfio_container_base *bc, uint64_t iova,
			  uint64_t size, void *vaddr, bool readonly)
{
	struct vfio_legacy_container *c = to_c(bc);
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ |
			 (readonly ? 0 : VFIO_DMA_MAP_FLAG_WRITE),
		.vaddr = (uint64_t)(uintptr_t)vaddr, .iova = iova, .size = size,
	};
	long ret = cio(c, VFIO_IOMMU_MAP_DMA, &m);

	/* QEMU: EBUSY (an old mapping in the way) gets one unmap and retry. */
	if (ret == -EBUSY && !legacy_dma_unmap(bc, iova, size))
		ret = cio(c, VFIO_IOMMU_MAP_DMA, &m);
	return (int)ret;
}

static int legacy_set_dirty_tracking(struct vfio_container_base *bc, bool start,
				     Error **errp)
{
	struct vfio_iommu_type1_dirty_bitmap d = {
		.argsz = sizeof(d),
		.flags = start ? VFIO_IOMMU_DIRTY_PAGES_FLAG_START :
				 VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP,
	};
	long ret = cio(to_c(bc), VFIO_IOMMU_DIRTY_PAGES, &d);

	if (ret) {
		error_setg_errno(errp, (int)-ret, "Failed to set dirty tracking "
				 "flag 0x%x", d.flags);
		return -1;
	}
	return 0;
}

static int legacy_query_dirty_bitmap(struct vfio_container_base *bc,
				     uint64_t *bitmap, uint64_t iova,
				     uint64_t size, Error **errp)
{
	uint8_t buf[sizeof(struct vfio_iommu_type1_dirty_bitmap) +
		    sizeof(struct vfio_iommu_type1_dirty_bitmap_get)];
	struct vfio_iommu_type1_dirty_bitmap *d = (void *)buf;
	struct vfio_iommu_type1_dirty_bitmap_get range = {
		.iova = iova, .size = size,
		.bitmap = { PAGE_SIZE, ((size / PAGE_SIZE + 63) / 64) * 8, bitmap },
	};
	long ret;

	d->argsz = sizeof(buf);
	d->flags = VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP;
	memcpy(buf + sizeof(*d), &range, sizeof(range));
	ret = cio(to_c(bc), VFIO_IOMMU_DIRTY_PAGES, buf);
	if (ret) {
		error_setg_errno(errp, (int)-ret, "Failed to get dirty bitmap for "
				 "iova: 0x%llx size: 0x%llx",
				 (unsigned long long)iova, (unsigned long long)size);
		return -1;
	}
	return 0;
}

static void legacy_describe(struct vfio_container_base *bc,
			    struct vfio_device *vdev, char *buf, size_t len)
{
	snprintf(buf, len, "container fd %d group %d", to_c(bc)->fd,
		 vdev->group ? vdev->group->id : -1);
}

static const struct vfio_container_ops legacy_ops = {
	.describe = legacy_describe,
	.dma_map = legacy_dma_map,
	.dma_unmap = legacy_dma_unmap,
	.set_dirty_page_tracking = legacy_set_dirty_tracking,
	.query_dirty_bitmap = legacy_query_dirty_bitmap,
};

/* VFIO_IOMMU_GET_INFO, grown until it fits, and its capability chain. */
static bool legacy_setup(struct vfio_legacy_container *c, Error **errp)
{
	uint32_t argsz = sizeof(struct vfio_iommu_type1_info);
	struct vfio_iommu_type1_info *info = NULL;
	uint64_t start[16], last[16];
	unsigned n = 0;
	long ret;

	for (;;) {
		struct vfio_iommu_type1_info *grown = heap_realloc(info, argsz);

		if (!grown) {
			heap_free(info);
			error_setg(errp, "out of memory");
			return false;
		}
		info = grown;
		memset(info, 0, argsz);
		info->argsz = argsz;
		ret = cio(c, VFIO_IOMMU_GET_INFO, info);
		if (ret) {
			heap_free(info);
			error_setg_errno(errp, (int)-ret, "Failed to get iommu info");
			return false;
		}
		if (info->argsz <= argsz)
			break;
		argsz = info->argsz;
	}
	c->bc.pgsizes = (info->flags & VFIO_IOMMU_INFO_PGSIZES) ?
			info->iova_pgsizes : PAGE_SIZE;
	c->bc.dma_max_mappings = 65535;      /* when the kernel does not say */
	if (info->flags & VFIO_IOMMU_INFO_CAPS) {
		for (uint32_t off = info->cap_offset; off && off + 8 <= argsz;) {
			const struct vfio_info_cap_header *h =
				(const void *)((const uint8_t *)info + off);

			if (h->id == VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) {
				c->bc.dma_max_mappings =
					((const struct vfio_iommu_type1_info_dma_avail *)h)->avail;
			} else if (h->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
				const struct vfio_iommu_type1_info_cap_iova_range *r =
					(const void *)h;

				for (n = 0; n < r->nr_iovas && n < 16; n++) {
					start[n] = r->iova_ranges[n].start;
					last[n] = r->iova_ranges[n].end;
				}
			} else if (h->id == VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION) {
				const struct vfio_iommu_type1_info_cap_migration *m =
					(const void *)h;

				/* Usable only at the host page size. */
				c->bc.dirty_pages_supported = m->pgsize_bitmap & PAGE_SIZE;
			}
			off = h->next;
		}
	}
	heap_free(info);
	if (n && !vfio_container_set_iova_ranges(&c->bc, start, last, n)) {
		error_setg(errp, "out of memory");
		return false;
	}
	return true;
}

/* ---- groups and containers ---------------------------------------------- */

static void container_release(struct vfio_legacy_container *c)
{
	vfio_address_space_remove_container(&c->bc);
	sys_close(c->sys, c->fd);
	vfio_container_destroy(&c->bc);
	heap_free(c);
}

static bool set_container(struct vfio_group *g, struct vfio_legacy_container *c,
			  struct sys *sys)
{
	int32_t fd = c->fd;

	return !sys_ioctl(sys, g->fd, VFIO_GROUP_SET_CONTAINER, &fd);
}

static void join(struct vfio_group *g, struct vfio_legacy_container *c)
{
	g->container = c;
	g->container_next = c->groups;
	c->groups = g;
}

static bool connect_container(struct vfio_registry *reg, struct vfio_group *g,
			      AddressSpace *as, Error **errp)
{
	struct vfio_address_space *space = vfio_address_space_get(reg, as);
	struct vfio_legacy_container *c;
	long ret;

	if (!space) {
		error_setg(errp, "out of memory");
		return false;
	}
	/* An existing legacy container of this space, if it takes us. */
	for (struct vfio_container_base *bc = space->containers; bc; bc = bc->next)
		if (bc->ops == &legacy_ops && set_container(g, to_c(bc), reg->sys)) {
			join(g, to_c(bc));
			return true;
		}
	c = heap_zalloc(sizeof(*c));
	if (!c) {
		error_setg(errp, "out of memory");
		goto fail_space;
	}
	vfio_container_init(&c->bc, &legacy_ops, "legacy");
	c->sys = reg->sys;
	c->fd = sys_open(reg->sys, "/dev/vfio/vfio");
	if (c->fd < 0) {
		error_setg_errno(errp, -c->fd, "failed to open /dev/vfio/vfio");
		goto fail_free;
	}
	ret = cio(c, VFIO_GET_API_VERSION, NULL);
	if (ret != VFIO_API_VERSION) {
		error_setg(errp, "supported vfio version: %d, reported version: %ld",
			   VFIO_API_VERSION, ret);
		goto fail_fd;
	}
	/* Type1v2, then Type1 (no sPAPR on these machines). */
	if (cio(c, VFIO_CHECK_EXTENSION, (void *)(uintptr_t)VFIO_TYPE1v2_IOMMU) == 1)
		c->iommu_type = VFIO_TYPE1v2_IOMMU;
	else if (cio(c, VFIO_CHECK_EXTENSION, (void *)(uintptr_t)VFIO_TYPE1_IOMMU) == 1)
		c->iommu_type = VFIO_TYPE1_IOMMU;
	else {
		error_setg(errp, "No available IOMMU models");
		goto fail_fd;
	}
	{
		int32_t fd = c->fd;

		ret = sys_ioctl(reg->sys, g->fd, VFIO_GROUP_SET_CONTAINER, &fd);
		if (ret) {
			error_setg_errno(errp, (int)-ret, "Failed to set group container");
			goto fail_fd;
		}
	}
	ret = cio(c, VFIO_SET_IOMMU, (void *)(uintptr_t)c->iommu_type);
	if (ret) {
		error_setg_errno(errp, (int)-ret, "Failed to set iommu for container");
		goto fail_unset;
	}
	if (!legacy_setup(c, errp))
		goto fail_unset;
	join(g, c);
	if (!vfio_address_space_add_container(space, &c->bc, errp)) {
		g->container = NULL;
		c->groups = NULL;
		goto fail_unset;
	}
	return true;
fail_unset:
	sys_ioctl(reg->sys, g->fd, VFIO_GROUP_UNSET_CONTAINER, NULL);
fail_fd:
	sys_close(reg->sys, c->fd);
fail_free:
	vfio_container_destroy(&c->bc);
	heap_free(c);
fail_space:
	vfio_address_space_put(space);
	return false;
}

static void disconnect_container(struct vfio_registry *reg, struct vfio_group *g)
{
	struct vfio_legacy_container *c = g->container;
	struct vfio_address_space *space = c->bc.space;
	struct vfio_group **link;

	for (link = &c->groups; *link != g; link = &(*link)->container_next)
		;
	*link = g->container_next;
	g->container = NULL;
	/* The last group out: take the listener off first, so its unmaps
	 * still have a container to go through. */
	if (!c->groups)
		vfio_address_space_remove_container(&c->bc);
	if (sys_ioctl(reg->sys, g->fd, VFIO_GROUP_UNSET_CONTAINER, NULL))
		error_report("vfio: error disconnecting group %d from container",
			     g->id);
	if (!c->groups) {
		container_release(c);
		vfio_address_space_put(space);
	}
}

static struct vfio_group **group_bucket(struct vfio_registry *reg, int id)
{
	return &reg->groups[(unsigned)id % VFIO_REGISTRY_GROUP_BUCKETS];
}

static struct vfio_group *get_group(struct vfio_registry *reg, int id,
				    AddressSpace *as, Error **errp)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	struct vfio_group *g;
	char path[32];
	long ret;

	for (g = *group_bucket(reg, id); g; g = g->next)
		if (g->id == id) {
			if (g->container->bc.space->as == as)
				return g;
			error_setg(errp, "group %d used in multiple address spaces", id);
			return NULL;
		}
	g = heap_zalloc(sizeof(*g));
	if (!g) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	g->id = id;
	snprintf(path, sizeof(path), "/dev/vfio/%d", id);
	g->fd = sys_open(reg->sys, path);
	if (g->fd < 0) {
		error_setg_errno(errp, -g->fd, "failed to open %s", path);
		heap_free(g);
		return NULL;
	}
	ret = sys_ioctl(reg->sys, g->fd, VFIO_GROUP_GET_STATUS, &st);
	if (ret) {
		error_setg_errno(errp, (int)-ret, "failed to get group %d status", id);
		goto fail;
	}
	if (!(st.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		error_setg(errp, "group %d is not viable", id);
		error_append_hint(errp, "Please ensure all devices within the "
				  "iommu_group are bound to their vfio bus "
				  "driver.\n");
		goto fail;
	}
	if (!connect_container(reg, g, as, errp)) {
		error_prepend(errp, "failed to setup container for group %d: ", id);
		goto fail;
	}
	g->next = *group_bucket(reg, id);
	*group_bucket(reg, id) = g;
	return g;
fail:
	sys_close(reg->sys, g->fd);
	heap_free(g);
	return NULL;
}

static void put_group(struct vfio_registry *reg, struct vfio_group *g)
{
	struct vfio_group **link;

	if (g->devices)
		return;
	disconnect_container(reg, g);
	for (link = group_bucket(reg, g->id); *link != g; link = &(*link)->next)
		;
	*link = g->next;
	sys_close(reg->sys, g->fd);
	heap_free(g);
}

/* <sysfsdev>/iommu_group links to .../iommu_groups/<id>. */
static int device_groupid(struct vfio_registry *reg, struct vfio_device *vdev,
			  Error **errp)
{
	char path[256], target[256], *base, *end;
	long len;
	unsigned long id;

	snprintf(path, sizeof(path), "%s/iommu_group", vdev->sysfsdev);
	len = sys_readlink(reg->sys, path, target, sizeof(target) - 1);
	if (len <= 0) {
		error_setg_errno(errp, len < 0 ? (int)-len : ENOENT,
				 "no iommu_group found");
		return -1;
	}
	target[len] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	id = strtoul(base, &end, 10);
	if (end == base || *end || id > 0x7fffffff) {
		error_setg(errp, "failed to read %s", path);
		return -1;
	}
	return (int)id;
}

bool vfio_legacy_attach_device(struct vfio_registry *reg,
			       struct vfio_device *vdev, AddressSpace *as,
			       Error **errp)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_group *g;
	int id, fd;
	long ret;

	id = device_groupid(reg, vdev, errp);
	if (id < 0)
		return false;
	g = get_group(reg, id, as, errp);
	if (!g)
		return false;
	for (struct vfio_device *d = g->devices; d; d = d->group_next)
		if (!strcmp(d->name, vdev->name)) {
			error_setg(errp, "device is already attached");
			put_group(reg, g);
			return false;
		}
	fd = (int)sys_ioctl(reg->sys, g->fd, VFIO_GROUP_GET_DEVICE_FD, vdev->name);
	if (fd < 0) {
		error_setg_errno(errp, -fd, "error getting device from group %d", id);
		error_append_hint(errp, "Verify all devices in group %d are bound to "
				  "vfio-<bus> or pci-stub and not already in use\n",
				  id);
		put_group(reg, g);
		return false;
	}
	ret = sys_ioctl(reg->sys, fd, VFIO_DEVICE_GET_INFO, &info);
	if (ret) {
		error_setg_errno(errp, (int)-ret, "error getting device info");
		sys_close(reg->sys, fd);
		put_group(reg, g);
		return false;
	}
	vdev->fd = fd;
	vdev->info = info;
	vdev->group = g;
	vdev->group_next = g->devices;
	g->devices = vdev;
	vdev->bcontainer = &g->container->bc;
	vdev->next = g->container->bc.devices;
	g->container->bc.devices = vdev;
	return true;
}

void vfio_legacy_detach_device(struct vfio_device *vdev)
{
	struct vfio_group *g = vdev->group;
	struct vfio_legacy_container *c = g->container;
	struct vfio_registry *reg = c->bc.space->reg;
	struct vfio_device **link;

	for (link = &c->bc.devices; *link != vdev; link = &(*link)->next)
		;
	*link = vdev->next;
	for (link = &g->devices; *link != vdev; link = &(*link)->group_next)
		;
	*link = vdev->group_next;
	vdev->bcontainer = NULL;
	vdev->group = NULL;
	sys_close(reg->sys, vdev->fd);
	vdev->fd = -1;
	put_group(reg, g);
}
