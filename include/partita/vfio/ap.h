/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vfio-ap front: a matrix of s390 AP queues given to a partition
 * through its mediated device (QEMU's hw/vfio/ap.c). The matrix itself
 * (adapters, usage and control domains) is configured below the line;
 * the front attaches the mdev (straight to the IOAS; RAM discard
 * allowed), reads the matrix it was given from sysfs for the report, and
 * registers the request notifier (a failure only warns): when the host
 * wants the matrix back, the device is unplugged. Reset is
 * VFIO_DEVICE_RESET, which zeroizes the queues; closing the device does
 * the same below the line.
 */
#ifndef PARTITA_VFIO_AP_H
#define PARTITA_VFIO_AP_H

#include <partita/vfio/device.h>
#include <partita/vfio/irq.h>

struct opts;

struct vfio_ap_device {
	struct vfio_device vbase;
	struct vfio_registry *reg;
	bool realized;
	/* The matrix as sysfs shows it. Unknown when the device came as a
	 * passed fd without sysfsdev: nothing says where to read it (the
	 * spec's caveat about fd passing), and it is not claimed empty. */
	bool matrix_known;
	unsigned apqns;                  /* queues in the matrix */
	unsigned control_domains;
	struct vfio_irq_notifier req_notifier;
	/* The request notifier: called with unplug_opaque; NULL: the
	 * device is unrealized at once. */
	void (*unplug)(struct vfio_ap_device *vap, void *opaque);
	void *unplug_opaque;
};

void vfio_ap_init(struct vfio_ap_device *vap);
void vfio_ap_fini(struct vfio_ap_device *vap);
/* -device vfio-ap properties: sysfsdev, fd, iommufd. */
bool vfio_ap_set_props(struct vfio_registry *reg, struct vfio_ap_device *vap,
		       struct opts *opts, Error **errp);
/* The mdev at sysfsdev exists (or an fd is passed with an iommufd
 * object), checked as realize does but opening nothing. */
bool vfio_ap_locate(struct vfio_registry *reg, struct vfio_ap_device *vap,
		    Error **errp);
bool vfio_ap_realize(struct vfio_registry *reg, struct vfio_ap_device *vap,
		     AddressSpace *as, Error **errp);
void vfio_ap_unrealize(struct vfio_ap_device *vap);
/* QEMU's vfio_ap_reset: a failure is reported, not returned. */
void vfio_ap_reset(struct vfio_ap_device *vap);

#endif
