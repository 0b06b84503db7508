/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vfio-ap bus driver, the "kernel" side (Linux's vfio_ap): s390 AP
 * crypto queues handed to a partition through a matrix mediated device.
 * A matrix is a set of adapters and a set of usage domains (its queues,
 * APQNs, are every adapter x domain pair) plus control domains.
 *
 * The rule that makes partitions safe is here, below the line: an APQN
 * belongs to one matrix at most (assigning an adapter or a domain that
 * would share one is -EADDRINUSE, as Linux's
 * vfio_ap_mdev_verify_no_sharing). A matrix is configured before it is
 * published (Partita's configuration is static): its sysfs directory
 * then shows "matrix" and "control_domains" as Linux formats them, and
 * assignments are -EBUSY. Resetting the device, and closing its file,
 * zeroizes every queue of the matrix, so the next user finds no keys.
 * AP does no DMA of its own in Partita (no interrupt indicator pages),
 * so a matrix never pins memory.
 */
#ifndef PARTITA_IOMMU_VFIO_VFIO_AP_OPS_H
#define PARTITA_IOMMU_VFIO_VFIO_AP_OPS_H

#include <partita/bitmap.h>
#include <partita/bus/bus.h>
#include <partita/iommu/iommu.h>
#include <partita/iommu/vfio/vfio-main.h>


/* The AP bus as discovery found it. */
struct ap_bus {
	unsigned long adapters[BITS_TO_LONGS(AP_MAX_ADAPTERS)];
	unsigned long domains[BITS_TO_LONGS(AP_MAX_DOMAINS)];
	struct ap_matrix *matrices;
	unsigned long queues_zeroized;   /* over all matrices */
};

struct ap_matrix {
	struct device *dev;          /* the mdev; dev->name is its UUID */
	struct vfio_core_device vdev;       /* its VFIO side, once bound */
	struct ap_bus *bus;
	unsigned long apm[BITS_TO_LONGS(AP_MAX_ADAPTERS)];
	unsigned long aqm[BITS_TO_LONGS(AP_MAX_DOMAINS)];
	unsigned long adm[BITS_TO_LONGS(AP_MAX_DOMAINS)];
	bool published;
	unsigned resets;             /* times its queues were zeroized */
	struct ap_matrix *next;      /* in bus->matrices */
};

extern const struct vfio_device_ops vfio_ap_ops;

/* Make m->dev a vfio-ap device on bus (an empty matrix). */
void vfio_ap_matrix_init(struct ap_matrix *m, struct ap_bus *bus);
void vfio_ap_matrix_fini(struct ap_matrix *m);
/* -ENODEV for an adapter or domain the bus lacks, -EADDRINUSE when an
 * APQN would be shared with another matrix, -EBUSY once published. */
int vfio_ap_assign_adapter(struct ap_matrix *m, unsigned adapter);
int vfio_ap_assign_domain(struct ap_matrix *m, unsigned domain);
int vfio_ap_assign_control_domain(struct ap_matrix *m, unsigned domain);
/* vfio_mdev_publish under /sys/devices/vfio_ap/matrix, with the matrix
 * and control_domains attributes. */
struct sys;
int vfio_ap_publish(struct sys *sys, struct ap_matrix *m, unsigned index);
/* The host wants the matrix back: signal the user's request trigger. */
bool vfio_ap_request(struct ap_matrix *m);

#endif
