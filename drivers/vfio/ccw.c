// SPDX-License-Identifier: GPL-2.0-or-later
/* The vfio-ccw front. */
#include <partita/ccw.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/option.h>
#include <partita/sys/eventfd.h>
#include <partita/sys/fd.h>
#include <partita/sys/namespace.h>
#include <partita/vfio/ccw.h>
#include <partita/vfio/container-base.h>
#include <partita/vfio/registry.h>
#include <stdio.h>
#include <string.h>

void vfio_ccw_init(struct vfio_ccw_device *vccw)
{
	memset(vccw, 0, sizeof(*vccw));
	/* Pages a subchannel's programs pin are in use: discard is fine. */
	vfio_device_init(&vccw->vbase, true);
	vccw->vbase.mdev = true;
	vccw->io_notifier.fd = vccw->req_notifier.fd = -1;
}

void vfio_ccw_fini(struct vfio_ccw_device *vccw)
{
	vfio_ccw_unrealize(vccw);
	heap_free(vccw->mdevid);
	vccw->mdevid = NULL;
	vfio_device_fini(&vccw->vbase);
}

bool vfio_ccw_set_props(struct vfio_registry *reg, struct vfio_ccw_device *vccw,
			struct opts *opts, Error **errp)
{
	if (!vfio_device_set_common_props(reg, &vccw->vbase, "vfio-ccw", opts, errp))
		return false;
	return opts_get_bool(opts, "force-orb-pfch", &vccw->force_orb_pfch, errp);
}

/* "%2x.%1x.%4x", all three, and nothing after. */
static bool parse_hostid(const char *s, unsigned *cssid, unsigned *ssid,
			 unsigned *schno)
{
	unsigned v[3], widths[3] = { 2, 1, 4 };

	for (int i = 0; i < 3; i++) {
		unsigned n = 0, digits = 0;

		for (; digits < widths[i] && *s; s++, digits++) {
			int d = *s >= '0' && *s <= '9' ? *s - '0' :
				*s >= 'a' && *s <= 'f' ? *s - 'a' + 10 :
				*s >= 'A' && *s <= 'F' ? *s - 'A' + 10 : -1;

			if (d < 0)
				break;
			n = n * 16 + (unsigned)d;
		}
		if (!digits || (i < 2 && *s++ != '.'))
			return false;
		v[i] = n;
	}
	*cssid = v[0];
	*ssid = v[1];
	*schno = v[2];
	return true;
}

/* QEMU's s390_ccw_get_dev_info. */
static bool get_dev_info(struct vfio_ccw_device *vccw, Error **errp)
{
	const char *sysfsdev = vccw->vbase.sysfsdev;
	char path[256], *slash, *parent;
	int ret;

	if (!sysfsdev) {
		error_setg(errp, "No host device provided");
		error_append_hint(errp, "Use -device vfio-ccw,sysfsdev=PATH_TO_DEVICE\n");
		return false;
	}
	ret = sys_realpath(vccw->reg->sys, sysfsdev, path, sizeof(path));
	if (ret) {
		error_setg_errno(errp, -ret, "Host device '%s' not found", sysfsdev);
		return false;
	}
	slash = strrchr(path, '/');
	vccw->mdevid = heap_strdup(slash + 1);
	if (!vccw->mdevid) {
		error_setg(errp, "out of memory");
		return false;
	}
	*slash = 0;
	parent = strrchr(path, '/') + 1;
	if (!parse_hostid(parent, &vccw->cssid, &vccw->ssid, &vccw->schno)) {
		error_setg(errp, "Failed to read %s", parent);
		return false;
	}
	return true;
}

bool vfio_ccw_locate(struct vfio_registry *reg, struct vfio_ccw_device *vccw,
		     Error **errp)
{
	vccw->reg = reg;
	heap_free(vccw->mdevid);
	vccw->mdevid = NULL;
	return get_dev_info(vccw, errp) &&
	       vfio_device_check_name(reg, &vccw->vbase, errp);
}

/* QEMU's vfio_ccw_get_region. */
static bool get_region(struct vfio_ccw_device *vccw, Error **errp)
{
	struct vfio_device *vdev = &vccw->vbase;
	struct vfio_region_info info = { .argsz = sizeof(info),
					 .index = VFIO_CCW_CONFIG_REGION_INDEX };
	long ret;

	if (!(vdev->info.flags & VFIO_DEVICE_FLAGS_CCW)) {
		error_setg(errp, "vfio: Um, this isn't a vfio-ccw device");
		return false;
	}
	if (vdev->info.num_regions < VFIO_CCW_CONFIG_REGION_INDEX + 1) {
		error_setg(errp, "vfio: too few regions (%u), expected at least %u",
			   vdev->info.num_regions, VFIO_CCW_CONFIG_REGION_INDEX + 1);
		return false;
	}
	ret = sys_ioctl(vccw->reg->sys, vdev->fd, VFIO_DEVICE_GET_REGION_INFO, &info);
	if (ret) {
		error_setg_errno(errp, (int)-ret, "vfio: Error getting config info");
		return false;
	}
	if (info.size != sizeof(vccw->io_region)) {
		error_setg(errp, "vfio: Unexpected size of the I/O region");
		return false;
	}
	vccw->io_region_offset = info.offset;
	return true;
}

/* The I/O interruption: the IRB is in the region. */
static void io_notifier_handler(void *opaque)
{
	struct vfio_ccw_device *vccw = opaque;
	long ret;

	sys_eventfd_read(vccw->reg->sys, vccw->io_notifier.fd);
	ret = sys_pread(vccw->reg->sys, vccw->vbase.fd, &vccw->io_region,
			sizeof(vccw->io_region), vccw->io_region_offset);
	if (ret != (long)sizeof(vccw->io_region)) {
		error_report("vfio-ccw: read I/O region failed with errno=%d",
			     ret < 0 ? (int)-ret : EIO);
		/* A channel-control check stands for what could not be read. */
		memset(vccw->irb, 0, sizeof(vccw->irb));
		ccw_put_be32(vccw->irb, SCSW_STCTL_PRIMARY | SCSW_STCTL_SECONDARY |
			     SCSW_STCTL_ALERT | SCSW_STCTL_PENDING);
		ccw_put_be32(vccw->irb + 8, (uint32_t)SCH_STAT_CHN_DATA_CHK << 16);
	} else {
		memcpy(vccw->irb, vccw->io_region.irb_area, sizeof(vccw->irb));
	}
	vccw->io_interrupts++;
}

static void req_notifier_handler(void *opaque)
{
	struct vfio_ccw_device *vccw = opaque;

	sys_eventfd_read(vccw->reg->sys, vccw->req_notifier.fd);
	info_report("vfio %s: the host asks for the subchannel back: unplugging",
		    vccw->vbase.name);
	if (vccw->unplug)
		vccw->unplug(vccw, vccw->unplug_opaque);
	else
		vfio_ccw_unrealize(vccw);
}

bool vfio_ccw_realize(struct vfio_registry *reg, struct vfio_ccw_device *vccw,
		      AddressSpace *as, Error **errp)
{
	struct vfio_device *vdev = &vccw->vbase;
	Error *err = NULL;

	if (!vfio_device_resolve_props(reg, vdev, errp) ||
	    !vfio_ccw_locate(reg, vccw, errp) ||
	    !vfio_device_get_name(reg, vdev, errp))
		goto fail;
	if (!vfio_attach_device(reg, vdev, as, errp))
		goto fail;
	if (!get_region(vccw, errp))
		goto fail_detach;
	if (!vfio_register_irq_notifier(reg, vdev, &vccw->io_notifier,
					VFIO_CCW_IO_IRQ_INDEX, io_notifier_handler,
					vccw, errp))
		goto fail_detach;
	/* Without it the subchannel still works; it only cannot be asked
	 * back. */
	if (!vfio_register_irq_notifier(reg, vdev, &vccw->req_notifier,
					VFIO_CCW_REQ_IRQ_INDEX,
					req_notifier_handler, vccw, &err))
		warn_report_err(err);
	vccw->realized = true;
	info_report("vfio %s: subchannel %x.%x.%04x, %s backend", vdev->name,
		    vccw->cssid, vccw->ssid, vccw->schno, vdev->bcontainer->backend);
	return true;

fail_detach:
	vfio_detach_device(vdev);
fail:
	heap_free(vccw->mdevid);
	vccw->mdevid = NULL;
	return false;
}

void vfio_ccw_unrealize(struct vfio_ccw_device *vccw)
{
	if (!vccw->realized)
		return;
	vccw->realized = false;
	vfio_unregister_irq_notifier(vccw->reg, &vccw->vbase, &vccw->req_notifier);
	vfio_unregister_irq_notifier(vccw->reg, &vccw->vbase, &vccw->io_notifier);
	vfio_detach_device(&vccw->vbase);
}

static void warn_once_pfch(struct vfio_ccw_device *vccw, const char *msg)
{
	if (vccw->warned_orb_pfch)
		return;
	vccw->warned_orb_pfch = true;
	warn_report("vfio-ccw (devno %x.%x.%04x): %s", vccw->cssid, vccw->ssid,
		    vccw->schno, msg);
}

/* What the partition sees when the program is refused: status pending
 * with a unit exception (QEMU's sch_gen_unit_exception). */
static void unit_exception(uint8_t irb[IRB_AREA_SIZE], uint32_t cpa)
{
	memset(irb, 0, IRB_AREA_SIZE);
	ccw_put_be32(irb, SCSW_FCTL_START | SCSW_STCTL_PRIMARY |
		     SCSW_STCTL_SECONDARY | SCSW_STCTL_ALERT | SCSW_STCTL_PENDING);
	ccw_put_be32(irb + 4, cpa + CCW_SIZE);
	ccw_put_be32(irb + 8, (uint32_t)DEV_STAT_UNIT_EXCEP << 24);
}

enum vfio_ccw_cc vfio_ccw_handle_request(struct vfio_ccw_device *vccw,
					 const uint8_t orb[ORB_AREA_SIZE],
					 uint8_t irb[IRB_AREA_SIZE])
{
	struct ccw_io_region *r = &vccw->io_region;
	uint32_t w1 = ccw_get_be32(orb + 4), cpa = ccw_get_be32(orb + 8);
	unsigned before = vccw->io_interrupts;
	long ret;

	if (!vccw->realized)
		return VFIO_CCW_CC_NOT_OPERATIONAL;
	if (!(w1 & ORB_W1_PFCH)) {
		if (!vccw->force_orb_pfch) {
			warn_once_pfch(vccw, "requires PFCH flag set");
			unit_exception(irb, cpa);
			return VFIO_CCW_CC_EXPECTED;
		}
		w1 |= ORB_W1_PFCH;
		warn_once_pfch(vccw, "PFCH flag forced");
	}
	memset(r, 0, sizeof(*r));
	memcpy(r->orb_area, orb, ORB_AREA_SIZE);
	ccw_put_be32(r->orb_area + 4, w1);
	ccw_put_be32(r->scsw_area, SCSW_FCTL_START);
	ret = sys_pwrite(vccw->reg->sys, vccw->vbase.fd, r, sizeof(*r),
			 vccw->io_region_offset);
	if (ret != (long)sizeof(*r)) {
		error_report("vfio-ccw: write I/O region failed with errno=%d",
			     ret < 0 ? (int)-ret : EIO);
		ret = ret < 0 ? ret : -EFAULT;
	} else {
		ret = 0;
	}
	switch (ret) {
	case 0:
		if (vccw->io_interrupts == before)
			/* No notifier ran: read the IRB ourselves. */
			io_notifier_handler(vccw);
		memcpy(irb, vccw->irb, IRB_AREA_SIZE);
		return VFIO_CCW_CC_EXPECTED;
	case -EBUSY:
		return VFIO_CCW_CC_BUSY;
	case -ENODEV:
	case -EACCES:
		return VFIO_CCW_CC_NOT_OPERATIONAL;
	default:
		unit_exception(irb, cpa);
		return VFIO_CCW_CC_EXPECTED;
	}
}
