// SPDX-License-Identifier: GPL-2.0-or-later
/* Migration blockers and dirty-page logging (QEMU 9.1's migration.c and
 * the dirty-tracking parts of common.c). */
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/sys/fd.h>
#include <partita/vfio/address-space.h>
#include <partita/vfio/migration.h>
#include <partita/vfio/registry.h>
#include <string.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1ULL << PAGE_SHIFT)

/* VFIO_DEVICE_FEATURE on the device fd: 0, or -errno. */
static long feature(struct vfio_registry *reg, struct vfio_device *vdev,
		    uint32_t flags, void *data, size_t len)
{
	uint64_t buf[1 + 2] = { 0 };
	struct vfio_device_feature *f = (void *)buf;
	long ret;

	f->argsz = (uint32_t)(sizeof(*f) + len);
	f->flags = flags;
	ret = sys_ioctl(reg->sys, vdev->fd, VFIO_DEVICE_FEATURE, buf);
	if (!ret && len)
		memcpy(data, f->data, len);
	return ret;
}

/* A blocker: fatal with enable-migration=on, else kept on the device. */
static bool block(struct vfio_device *vdev, Error *err, Error **errp)
{
	if (vdev->enable_migration == VFIO_ON) {
		error_propagate(errp, err);
		vdev->migration_flags = 0;
		return false;
	}
	error_free(vdev->migration_blocker);
	vdev->migration_blocker = err;
	return true;
}

/* Every migratable device of the machine can do P2P, or there is one. */
static bool multiple_devices_ok(struct vfio_registry *reg)
{
	unsigned n = 0;
	bool all_p2p = true;

	for (struct vfio_address_space *s = reg->spaces; s; s = s->next)
		for (struct vfio_container_base *bc = s->containers; bc; bc = bc->next)
			for (struct vfio_device *d = bc->devices; d; d = d->next) {
				if (!d->migration_flags)
					continue;
				n++;
				all_p2p &= !!(d->migration_flags & VFIO_MIGRATION_P2P);
			}
	return n <= 1 || all_p2p;
}

bool vfio_migration_realize(struct vfio_registry *reg, struct vfio_device *vdev,
			    Error **errp)
{
	struct vfio_device_feature_migration mig;
	Error *err = NULL;
	bool device_logging;
	long ret;

	if (vdev->enable_migration == VFIO_OFF) {
		error_setg(&err, "%s: Migration is disabled for VFIO device",
			   vdev->name);
		error_free(vdev->migration_blocker);
		vdev->migration_blocker = err;
		return true;
	}
	ret = feature(reg, vdev, VFIO_DEVICE_FEATURE_GET |
		      VFIO_DEVICE_FEATURE_MIGRATION, &mig, sizeof(mig));
	if (!ret && !(mig.flags & VFIO_MIGRATION_STOP_COPY))
		ret = -EOPNOTSUPP;
	if (ret) {
		if (ret == -ENOTTY)
			error_setg(&err, "%s: VFIO migration is not supported in "
				   "kernel", vdev->name);
		else
			error_setg(&err, "%s: Migration couldn't be initialized "
				   "for VFIO device, err: %d (%s)", vdev->name,
				   (int)ret, strerror((int)-ret));
		return block(vdev, err, errp);
	}
	vdev->migration_flags = mig.flags;
	device_logging = !feature(reg, vdev, VFIO_DEVICE_FEATURE_PROBE |
				  VFIO_DEVICE_FEATURE_SET |
				  VFIO_DEVICE_FEATURE_DMA_LOGGING_START, NULL, 0);
	if (!device_logging && !vdev->iommu_dirty_tracking) {
		if (vdev->enable_migration == VFIO_AUTO) {
			error_setg(&err, "%s: VFIO device doesn't support device "
				   "and IOMMU dirty tracking", vdev->name);
			vdev->migration_flags = 0;
			return block(vdev, err, errp);
		}
		/* Forced on: every mapped page will read dirty. */
		warn_report("%s: VFIO device doesn't support device and IOMMU "
			    "dirty tracking", vdev->name);
	}
	if (!multiple_devices_ok(reg)) {
		error_setg(&err, "Multiple VFIO devices migration is supported "
			   "only if all of them support P2P migration");
		vdev->migration_flags = 0;
		return block(vdev, err, errp);
	}
	return true;
}

void vfio_migration_exit(struct vfio_device *vdev)
{
	error_free(vdev->migration_blocker);
	vdev->migration_blocker = NULL;
	vdev->migration_flags = 0;
}

const Error *vfio_migration_blocked(struct vfio_registry *reg)
{
	for (struct vfio_address_space *s = reg->spaces; s; s = s->next)
		for (struct vfio_container_base *bc = s->containers; bc; bc = bc->next)
			for (struct vfio_device *d = bc->devices; d; d = d->next)
				if (d->migration_blocker)
					return d->migration_blocker;
	return NULL;
}

/* ---- dirty logging -------------------------------------------------------- */

bool vfio_migration_log_start(struct vfio_address_space *space, Error **errp)
{
	for (struct vfio_container_base *bc = space->containers; bc; bc = bc->next) {
		if (vfio_container_set_dirty_page_tracking(bc, true, errp)) {
			error_prepend(errp, "vfio: Could not start dirty page "
				      "tracking - ");
			for (struct vfio_container_base *b = space->containers;
			     b != bc; b = b->next)
				vfio_container_set_dirty_page_tracking(b, false, NULL);
			return false;
		}
	}
	return true;
}

void vfio_migration_log_stop(struct vfio_address_space *space)
{
	for (struct vfio_container_base *bc = space->containers; bc; bc = bc->next) {
		Error *err = NULL;

		if (vfio_container_set_dirty_page_tracking(bc, false, &err)) {
			error_prepend(&err, "vfio: Could not stop dirty page "
				      "tracking - ");
			error_report_err(err);
		}
	}
}

static void set_bits(uint64_t *map, uint64_t start, uint64_t n)
{
	for (uint64_t b = start; b < start + n; b++)
		map[b / 64] |= 1ULL << (b % 64);
}

/* One RAM range of the space through one container: its tracker's bits,
 * or every page when it has none running ("low efficient"). */
static bool sync_range(struct vfio_container_base *bc, uint64_t iova,
		       uint64_t size, uint64_t *bitmap, Error **errp)
{
	uint64_t pages = size >> PAGE_SHIFT, *tmp;

	if (!bc->dirty_pages_supported || !bc->dirty_tracking) {
		set_bits(bitmap, iova >> PAGE_SHIFT, pages);
		return true;
	}
	tmp = heap_zalloc((size_t)((pages + 63) / 64 * 8));
	if (!tmp) {
		error_setg(errp, "out of memory for a dirty bitmap of 0x%llx pages",
			   (unsigned long long)pages);
		return false;
	}
	if (vfio_container_query_dirty_bitmap(bc, tmp, iova, size, errp)) {
		heap_free(tmp);
		return false;
	}
	for (uint64_t p = 0; p < pages; p++)
		if (tmp[p / 64] >> (p % 64) & 1)
			set_bits(bitmap, (iova >> PAGE_SHIFT) + p, 1);
	heap_free(tmp);
	return true;
}

bool vfio_migration_log_sync(struct vfio_address_space *space,
			     uint64_t *bitmap, uint64_t npages, Error **errp)
{
	const FlatView *fv = address_space_get_flatview(space->as);
	const uint64_t limit = npages << PAGE_SHIFT;

	for (struct vfio_container_base *bc = space->containers; bc; bc = bc->next)
		for (size_t i = 0; fv && i < fv->nr; i++) {
			const FlatRange *r = &fv->ranges[i];
			uint64_t start = (r->addr + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
			uint64_t end = (r->addr + r->size) & ~(PAGE_SIZE - 1);

			/* Guest RAM only: device BARs carry no dirty log. */
			if (!memory_region_is_ram(r->mr) ||
			    memory_region_is_ram_device(r->mr) || r->protected)
				continue;
			if (end > limit)
				end = limit;
			if (start >= end)
				continue;
			if (!sync_range(bc, start, end - start, bitmap, errp))
				return false;
		}
	return true;
}
