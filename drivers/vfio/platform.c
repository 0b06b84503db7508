// SPDX-License-Identifier: GPL-2.0-or-later
/* The vfio-platform front (QEMU's hw/vfio/platform.c, for static partitions). */
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/option.h>
#include <partita/sys/eventfd.h>
#include <partita/sys/fd.h>
#include <partita/sys/namespace.h>
#include <partita/vfio/container-base.h>
#include <partita/vfio/platform.h>
#include <partita/vfio/registry.h>
#include <stdio.h>
#include <string.h>

void vfio_platform_init(struct vfio_platform_device *vplat)
{
	memset(vplat, 0, sizeof(*vplat));
	vfio_device_init(&vplat->vbase, false);
	for (unsigned i = 0; i < VFIO_PLATFORM_MAX_IRQS; i++)
		vplat->irqs[i].notifier.fd = -1;
}

void vfio_platform_fini(struct vfio_platform_device *vplat)
{
	vfio_platform_unrealize(vplat);
	heap_free(vplat->host);
	vplat->host = NULL;
	vfio_device_fini(&vplat->vbase);
}

bool vfio_platform_set_props(struct vfio_registry *reg,
			     struct vfio_platform_device *vplat,
			     struct opts *opts, Error **errp)
{
	const char *v;

	if ((v = opts_get(opts, "host"))) {
		heap_free(vplat->host);
		if (!(vplat->host = heap_strdup(v))) {
			error_setg(errp, "out of memory");
			return false;
		}
	}
	if (!vfio_device_set_common_props(reg, &vplat->vbase, "vfio-platform",
					  opts, errp))
		return false;
	return opts_get_bool(opts, "x-no-mmap", &vplat->no_mmap, errp);
}

/* fd= over sysfsdev= over host= (QEMU's vfio_base_device_init). */
static bool choose_device(struct vfio_platform_device *vplat, Error **errp)
{
	struct vfio_device *vdev = &vplat->vbase;
	char path[160];

	if (vdev->fd_passed) {
		/* host= names a passed-in device (QEMU keeps it as the name). */
		if (vplat->host) {
			heap_free(vdev->name);
			if (!(vdev->name = heap_strdup(vplat->host)))
				goto oom;
		}
		return true;
	}
	if (vdev->sysfsdev)
		return true;
	if (!vplat->host || strchr(vplat->host, '/')) {
		error_setg(errp, "wrong host device name");
		return false;
	}
	snprintf(path, sizeof(path), "/sys/bus/platform/devices/%s", vplat->host);
	if ((vdev->sysfsdev = heap_strdup(path)))
		return true;
oom:
	error_setg(errp, "out of memory");
	return false;
}

bool vfio_platform_locate(struct vfio_registry *reg,
			  struct vfio_platform_device *vplat, Error **errp)
{
	struct vfio_device *vdev = &vplat->vbase;

	if (!choose_device(vplat, errp)) {
		if (vdev->name)
			error_prepend(errp, VFIO_MSG_PREFIX, vdev->name);
		else
			error_prepend(errp, "vfio error: ");
		return false;
	}
	/* Its errors name the sysfs path already. */
	return vfio_device_check_name(reg, vdev, errp);
}

/* The node's "compatible" bytes, as the host's sysfs shows them. With
 * fd= and no sysfsdev, host= still says where to look (QEMU builds the
 * path from a NULL sysfsdev there). */
static bool read_compat(struct vfio_platform_device *vplat, Error **errp)
{
	struct vfio_device *vdev = &vplat->vbase;
	char path[192], buf[256];
	long len;

	if (vdev->sysfsdev)
		snprintf(path, sizeof(path), "%s/of_node/compatible", vdev->sysfsdev);
	else if (vplat->host && !strchr(vplat->host, '/'))
		snprintf(path, sizeof(path),
			 "/sys/bus/platform/devices/%s/of_node/compatible",
			 vplat->host);
	else {
		error_setg(errp, "cannot read the device's compatible string: "
			   "give sysfsdev= or host= with fd=");
		return false;
	}
	len = sys_read_file(vplat->reg->sys, path, buf, sizeof(buf));
	if (len <= 0) {
		error_setg_errno(errp, len ? (int)-len : ENOENT,
				 "Failed to read %s", path);
		return false;
	}
	/* A list of NUL-terminated strings; make sure the last one is. */
	if (buf[len - 1])
		buf[len++] = 0;
	vplat->compat = heap_alloc((size_t)len);
	if (!vplat->compat) {
		error_setg(errp, "out of memory");
		return false;
	}
	memcpy(vplat->compat, buf, (size_t)len);
	vplat->compat_len = (size_t)len;
	vplat->num_compat = 0;
	for (long i = 0; i < len; i++)
		vplat->num_compat += !buf[i];
	return true;
}

static bool populate(struct vfio_platform_device *vplat, Error **errp)
{
	struct vfio_device *vdev = &vplat->vbase;

	if (!(vdev->info.flags & VFIO_DEVICE_FLAGS_PLATFORM)) {
		error_setg(errp, "this isn't a platform device");
		return false;
	}
	if (vdev->info.num_regions > VFIO_PLATFORM_MAX_REGIONS ||
	    vdev->info.num_irqs > VFIO_PLATFORM_MAX_IRQS) {
		error_setg(errp, "%u regions and %u interrupts: at most %u and %u",
			   vdev->info.num_regions, vdev->info.num_irqs,
			   VFIO_PLATFORM_MAX_REGIONS, VFIO_PLATFORM_MAX_IRQS);
		return false;
	}
	vplat->nregions = vdev->info.num_regions;
	vplat->nirqs = vdev->info.num_irqs;
	return true;
}

static bool regions_setup(struct vfio_platform_device *vplat, Error **errp)
{
	const struct vfio_placement *pl = vplat->place;
	uint64_t next = *pl->next;
	char name[96];

	for (unsigned i = 0; i < vplat->nregions; i++) {
		struct vfio_region *r = &vplat->regions[i];

		snprintf(name, sizeof(name), "VFIO %s region %u", vplat->vbase.name,
			 i);
		if (!vfio_region_setup(vplat->reg, &vplat->vbase, r, i, pl, &next,
				       vplat->no_mmap, name, errp))
			return false;
		if (r->mmap_failed)
			warn_report("%s mmap unsupported, performance may be slow",
				    name);
	}
	if (!vfio_regions_add(pl, vplat->regions, vplat->nregions, errp))
		return false;
	*pl->next = next;
	return true;
}

/* The trigger fired: the partition's line goes up. */
static void intp_interrupt(void *opaque)
{
	struct vfio_platform_intp *intp = opaque;
	struct vfio_platform_device *vplat = intp->vplat;
	const struct vfio_placement *pl = vplat->place;

	sys_eventfd_read(vplat->reg->sys, intp->notifier.fd);
	intp->count++;
	intp->active = true;
	if (pl->irq_raise)
		pl->irq_raise(pl->irq_opaque, intp->line);
}

static void irqs_release(struct vfio_platform_device *vplat)
{
	for (unsigned i = 0; i < vplat->nirqs; i++) {
		vfio_unregister_irq_notifier(vplat->reg, &vplat->vbase,
					     &vplat->irqs[i].notifier);
		vplat->irqs[i].active = false;
	}
}

static bool irqs_setup(struct vfio_platform_device *vplat, Error **errp)
{
	const struct vfio_placement *pl = vplat->place;
	unsigned first = *pl->irq_next;

	if (first < pl->irq_base || first - pl->irq_base > pl->irq_count ||
	    vplat->nirqs > pl->irq_count - (first - pl->irq_base)) {
		error_setg(errp, "no room for %u interrupt(s) in the partition's "
			   "interrupt lines [%u, %u)", vplat->nirqs, pl->irq_base,
			   pl->irq_base + pl->irq_count);
		return false;
	}
	for (unsigned i = 0; i < vplat->nirqs; i++) {
		struct vfio_platform_intp *intp = &vplat->irqs[i];
		struct vfio_irq_info info = { .argsz = sizeof(info), .index = i };
		long ret = sys_ioctl(vplat->reg->sys, vplat->vbase.fd,
				     VFIO_DEVICE_GET_IRQ_INFO, &info);

		if (ret) {
			error_setg_errno(errp, (int)-ret,
					 "failed to get device irq info");
			return false;
		}
		*intp = (struct vfio_platform_intp){
			.vplat = vplat, .index = i, .flags = info.flags,
			.line = first + i, .notifier.fd = -1,
		};
		if (!vfio_register_irq_notifier(vplat->reg, &vplat->vbase,
						&intp->notifier, i, intp_interrupt,
						intp, errp))
			return false;
	}
	*pl->irq_next = first + vplat->nirqs;
	return true;
}

static void compat_free(struct vfio_platform_device *vplat)
{
	heap_free(vplat->compat);
	vplat->compat = NULL;
	vplat->compat_len = 0;
	vplat->num_compat = 0;
	vplat->binding = NULL;
}

bool vfio_platform_realize(struct vfio_registry *reg,
			   struct vfio_platform_device *vplat,
			   const struct vfio_placement *place, Error **errp)
{
	struct vfio_device *vdev = &vplat->vbase;
	const uint64_t next = *place->next;

	vplat->reg = reg;
	vplat->place = place;
	if (!vfio_device_resolve_props(reg, vdev, errp) ||
	    !vfio_platform_locate(reg, vplat, errp) ||
	    !vfio_device_get_name(reg, vdev, errp))
		return false;
	if (!vfio_attach_device(reg, vdev, place->as, errp))
		goto fail;
	if (!populate(vplat, errp) || !read_compat(vplat, errp))
		goto fail_detach;
	vplat->binding = vfio_platform_find_binding(vplat->compat,
						    vplat->compat_len);
	if (!vplat->binding) {
		error_setg(errp, "Device %s can not be dynamically instantiated",
			   vdev->name);
		error_append_hint(errp, "Its compatible string \"%s\" is not in "
				  "Partita's bindings table (docs/vfio.md)\n",
				  vplat->compat);
		goto fail_detach;
	}
	if (!regions_setup(vplat, errp))
		goto fail_regions;
	if (!irqs_setup(vplat, errp))
		goto fail_irqs;
	vplat->realized = true;
	info_report("vfio %s: %s, %u region(s), %u interrupt(s), %s backend",
		    vdev->name, vplat->compat, vplat->nregions, vplat->nirqs,
		    vdev->bcontainer->backend);
	return true;

fail_irqs:
	irqs_release(vplat);
fail_regions:
	vfio_regions_release(place, vplat->regions, vplat->nregions);
	*place->next = next;
fail_detach:
	compat_free(vplat);
	vfio_detach_device(vdev);
fail:
	if (vdev->name)
		error_prepend(errp, VFIO_MSG_PREFIX, vdev->name);
	else
		error_prepend(errp, "vfio error: ");
	return false;
}

void vfio_platform_unrealize(struct vfio_platform_device *vplat)
{
	if (!vplat->realized)
		return;
	vplat->realized = false;
	irqs_release(vplat);
	vfio_regions_release(vplat->place, vplat->regions, vplat->nregions);
	compat_free(vplat);
	vfio_detach_device(&vplat->vbase);
}

bool vfio_platform_eoi(struct vfio_platform_device *vplat, unsigned line)
{
	Error *err = NULL;

	for (unsigned i = 0; i < vplat->nirqs; i++) {
		struct vfio_platform_intp *intp = &vplat->irqs[i];

		if (intp->line != line)
			continue;
		if (!intp->active)
			return true;
		intp->active = false;
		/* A level interrupt was masked when it fired; it may fire
		 * again (and at once, if one came meanwhile). */
		if ((intp->flags & VFIO_IRQ_INFO_AUTOMASKED) &&
		    !vfio_unmask_single_irqindex(vplat->reg, &vplat->vbase,
						 intp->index, &err))
			warn_report_err(err);
		return true;
	}
	return false;
}
