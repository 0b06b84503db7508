// SPDX-License-Identifier: GPL-2.0-or-later
/* Device regions in a partition (QEMU's VFIORegion, helpers.c). */
#include <partita/err.h>
#include <partita/log.h>
#include <partita/sys/fd.h>
#include <partita/vfio/region.h>
#include <partita/vfio/registry.h>
#include <stdio.h>

/* A region that is not mapped: each access is a pread/pwrite of the
 * device fd, the bytes little-endian as on the bus. */
static uint64_t region_mmio_read(void *opaque, uint64_t addr, unsigned size)
{
	struct vfio_region *r = opaque;
	uint8_t b[8] = { 0 };
	uint64_t v = 0;

	if (sys_pread(r->reg->sys, r->vdev->fd, b, size,
		      r->fd_offset + addr) != (long)size) {
		warn_report("%s region %u: read of %u bytes at 0x%llx failed",
			    r->vdev->name, r->index, size,
			    (unsigned long long)addr);
		return ~0ULL;
	}
	for (unsigned i = size; i--;)
		v = v << 8 | b[i];
	return v;
}

static void region_mmio_write(void *opaque, uint64_t addr, uint64_t v,
			      unsigned size)
{
	struct vfio_region *r = opaque;
	uint8_t b[8];

	for (unsigned i = 0; i < size; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	if (sys_pwrite(r->reg->sys, r->vdev->fd, b, size,
		       r->fd_offset + addr) != (long)size)
		warn_report("%s region %u: write of %u bytes at 0x%llx failed",
			    r->vdev->name, r->index, size,
			    (unsigned long long)addr);
}

static const MemoryRegionOps region_mmio_ops = {
	.read = region_mmio_read,
	.write = region_mmio_write,
	.max_access_size = 8,
};

bool vfio_region_setup(struct vfio_registry *reg, struct vfio_device *vdev,
		       struct vfio_region *r, unsigned index,
		       const struct vfio_placement *pl, uint64_t *next,
		       bool no_mmap, const char *name, Error **errp)
{
	struct vfio_region_info info = { .argsz = sizeof(info), .index = index };
	uint64_t align, addr;
	long ret;

	r->reg = reg;
	r->vdev = vdev;
	r->index = index;
	ret = sys_ioctl(reg->sys, vdev->fd, VFIO_DEVICE_GET_REGION_INFO, &info);
	if (ret) {
		error_setg_errno(errp, (int)-ret, "failed to get region %u info",
				 index);
		return false;
	}
	if (!info.size)
		return true;
	r->size = info.size;
	r->flags = info.flags;
	r->fd_offset = info.offset;
	align = info.size < 4096 ? 4096 : info.size;
	addr = (*next + align - 1) & ~(align - 1);
	if (addr < *next || addr - pl->mmio_base > pl->mmio_size ||
	    info.size > pl->mmio_size - (addr - pl->mmio_base)) {
		error_setg(errp, "no room for %s (0x%llx bytes) in the "
			   "partition's MMIO window [0x%llx, 0x%llx)", name,
			   (unsigned long long)info.size,
			   (unsigned long long)pl->mmio_base,
			   (unsigned long long)(pl->mmio_base + pl->mmio_size));
		return false;
	}
	if ((info.flags & VFIO_REGION_INFO_FLAG_MMAP) && !no_mmap) {
		r->mmap = sys_mmap(reg->sys, vdev->fd, info.offset, info.size);
		r->mmap_failed = IS_ERR(r->mmap);
		if (r->mmap_failed)
			r->mmap = NULL;
	}
	if (r->mmap ?
	    !memory_region_init_ram_device_ptr(&r->mr, pl->ctx, name, info.size,
					       r->mmap, errp) :
	    !memory_region_init_io(&r->mr, pl->ctx, &region_mmio_ops, r, name,
				   info.size, errp))
		return false;
	r->mr_inited = true;
	r->addr = addr;
	*next = addr + info.size;
	return true;
}

bool vfio_regions_add(const struct vfio_placement *pl, struct vfio_region *r,
		      unsigned n, Error **errp)
{
	memory_region_transaction_begin(pl->ctx);
	for (unsigned i = 0; i < n; i++)
		if (r[i].mr_inited) {
			memory_region_add_subregion(pl->parent, r[i].addr, &r[i].mr,
						    &error_abort);
			r[i].added = true;
		}
	return memory_region_transaction_commit(pl->ctx, errp);
}

void vfio_regions_release(const struct vfio_placement *pl,
			  struct vfio_region *r, unsigned n)
{
	memory_region_transaction_begin(pl->ctx);
	for (unsigned i = 0; i < n; i++)
		if (r[i].added) {
			memory_region_del_subregion(pl->parent, &r[i].mr,
						    &error_abort);
			r[i].added = false;
		}
	memory_region_transaction_commit(pl->ctx, &error_abort);
	for (unsigned i = 0; i < n; i++) {
		if (r[i].mr_inited)
			memory_region_finalize(&r[i].mr);
		if (r[i].mmap && sys_munmap(r[i].reg->sys, r[i].mmap))
			warn_report("%s region %u: munmap failed", r[i].vdev->name,
				    r[i].index);
		r[i].mr_inited = r[i].mmap_failed = false;
		r[i].mmap = NULL;
		r[i].size = 0;
	}
}
