// SPDX-License-Identifier: GPL-2.0-or-later
/* The vfio-ap front. */
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/sys/eventfd.h>
#include <partita/sys/fd.h>
#include <partita/sys/namespace.h>
#include <partita/vfio/ap.h>
#include <partita/vfio/container-base.h>
#include <partita/vfio/registry.h>
#include <stdio.h>
#include <string.h>

void vfio_ap_init(struct vfio_ap_device *vap)
{
	memset(vap, 0, sizeof(*vap));
	/* AP does no DMA that could meet discarded RAM. */
	vfio_device_init(&vap->vbase, true);
	vap->vbase.mdev = true;
	vap->req_notifier.fd = -1;
}

void vfio_ap_fini(struct vfio_ap_device *vap)
{
	vfio_ap_unrealize(vap);
	vfio_device_fini(&vap->vbase);
}

bool vfio_ap_set_props(struct vfio_registry *reg, struct vfio_ap_device *vap,
		       struct opts *opts, Error **errp)
{
	return vfio_device_set_common_props(reg, &vap->vbase, "vfio-ap", opts,
					    errp);
}

bool vfio_ap_locate(struct vfio_registry *reg, struct vfio_ap_device *vap,
		    Error **errp)
{
	vap->reg = reg;
	return vfio_device_check_name(reg, &vap->vbase, errp);
}

/* Lines of a sysfs attribute of the mdev, or -1 when it cannot be read
 * (a passed fd without sysfsdev: nothing to read). */
static int count_lines(struct vfio_ap_device *vap, const char *attr)
{
	char path[192], buf[4096];
	int n = 0;

	if (!vap->vbase.sysfsdev)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", vap->vbase.sysfsdev, attr);
	if (sys_read_file(vap->reg->sys, path, buf, sizeof(buf)) < 0)
		return -1;
	for (const char *p = buf; *p; p++)
		n += *p == '\n';
	return n;
}

static void req_notifier_handler(void *opaque)
{
	struct vfio_ap_device *vap = opaque;

	sys_eventfd_read(vap->reg->sys, vap->req_notifier.fd);
	info_report("vfio %s: the host asks for the AP matrix back: unplugging",
		    vap->vbase.name);
	if (vap->unplug)
		vap->unplug(vap, vap->unplug_opaque);
	else
		vfio_ap_unrealize(vap);
}

bool vfio_ap_realize(struct vfio_registry *reg, struct vfio_ap_device *vap,
		     AddressSpace *as, Error **errp)
{
	struct vfio_device *vdev = &vap->vbase;
	Error *err = NULL;
	int n, m;

	vap->reg = reg;
	if (!vfio_device_resolve_props(reg, vdev, errp) ||
	    !vfio_device_get_name(reg, vdev, errp))
		return false;
	if (!vfio_attach_device(reg, vdev, as, errp)) {
		error_prepend(errp, VFIO_MSG_PREFIX, vdev->name);
		return false;
	}
	/* Without it the queues still work; the host only cannot ask for
	 * them back. */
	if (!vfio_register_irq_notifier(reg, vdev, &vap->req_notifier,
					VFIO_AP_REQ_IRQ_INDEX,
					req_notifier_handler, vap, &err))
		warn_report_err(err);
	n = count_lines(vap, "matrix");
	m = count_lines(vap, "control_domains");
	vap->matrix_known = n >= 0 && m >= 0;
	vap->apqns = n < 0 ? 0 : (unsigned)n;
	vap->control_domains = m < 0 ? 0 : (unsigned)m;
	vap->realized = true;
	if (vap->matrix_known)
		info_report("vfio %s: AP matrix, %u queue(s), %u control "
			    "domain(s), %s backend", vdev->name, vap->apqns,
			    vap->control_domains, vdev->bcontainer->backend);
	else
		info_report("vfio %s: AP matrix unknown (no sysfsdev to read "
			    "it from), %s backend", vdev->name,
			    vdev->bcontainer->backend);
	return true;
}

void vfio_ap_unrealize(struct vfio_ap_device *vap)
{
	if (!vap->realized)
		return;
	vap->realized = false;
	vfio_unregister_irq_notifier(vap->reg, &vap->vbase, &vap->req_notifier);
	vfio_detach_device(&vap->vbase);
}

void vfio_ap_reset(struct vfio_ap_device *vap)
{
	long ret = sys_ioctl(vap->reg->sys, vap->vbase.fd, VFIO_DEVICE_RESET, NULL);

	if (ret)
		error_report("%s: failed to reset %s device: %s", "vfio_ap_reset",
			     vap->vbase.name, strerror((int)-ret));
}
