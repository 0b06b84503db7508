/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vfio-platform bus driver, the "kernel" side (Linux's
 * vfio_platform_common): what a device-tree platform device's VFIO
 * device file answers. Discovery fills struct platform_device from the
 * device's node (its "reg" entries become regions, its "interrupts"
 * entries interrupts, its "compatible" list is kept as the node had it).
 *
 * Region i sits at file offset i << 40 (VFIO_PLATFORM_OFFSET_SHIFT), is
 * readable and writable, and can be mapped when it has a host view and
 * is page aligned in address and size (Linux's rule). Each interrupt is
 * its own index with count 1: edge interrupts are EVENTFD|MASKABLE,
 * level ones also AUTOMASKED, as Linux reports them. A level interrupt
 * masks itself when it fires and stays masked until the user unmasks it
 * (VFIO_IRQ_SET_ACTION_UNMASK); one that fires while masked is kept
 * pending and delivered on unmask, so none is lost.
 *
 * Linux resets a platform device only through a per-compatible reset
 * module; Partita has none, so VFIO_DEVICE_RESET is -EINVAL and the
 * device info lacks VFIO_DEVICE_FLAGS_RESET (QEMU's "not implemented").
 */
#ifndef PARTITA_IOMMU_VFIO_VFIO_PLATFORM_H
#define PARTITA_IOMMU_VFIO_VFIO_PLATFORM_H

#include <partita/bus/bus.h>
#include <partita/iommu/iommu.h>
#include <partita/iommu/vfio/vfio-main.h>
#include <partita/mm/memory.h>

#define VFIO_PLATFORM_OFFSET_SHIFT 40

struct platform_region {
	uint64_t pa, size;
	void *host;                 /* CPU view when mappable, else NULL */
};

struct platform_irq {
	uint32_t spec[3];           /* the node's interrupt specifier */
	bool level;                 /* level-triggered: automasked */
	/* Driver state. */
	bool masked, pending;
};

struct platform_device {
	struct device *dev;         /* dev->name: "<unit>.<node>", Linux's */
	struct vfio_core_device vdev;       /* its VFIO side, once bound */
	char compatible[PLATFORM_MAX_COMPAT];  /* NUL-separated list */
	size_t compatible_len;
	char of_path[96];           /* the node's path: "/soc/dma@a100000" */
	struct platform_region regions[PLATFORM_MAX_REGIONS];
	unsigned nregions;
	struct platform_irq irqs[PLATFORM_MAX_IRQS];
	unsigned nirqs;
	AddressSpace *bus_as;       /* where regions without a host view are */
	unsigned long irqs_delivered;  /* to the user's triggers */
};

extern const struct vfio_device_ops vfio_platform_core_ops;

/* Make pd's device a vfio-platform device (dev->vfio_ops and ->priv). */
void vfio_platform_core_init(struct platform_device *pd);

/* The hardware raised interrupt i (its handler, or a test, calls this):
 * signal the user's trigger unless masked; a level interrupt masks
 * itself. */
void vfio_platform_irq(struct platform_device *pd, unsigned i);

/* Publish the device as /dev/vfio/devices/vfio<index> and
 * /sys/bus/platform/devices/<name>, with of_node a link to its node
 * under /sys/firmware/devicetree/base holding the node's "compatible"
 * bytes, as Linux shows them. On failure nothing is left. */
int vfio_platform_publish(struct sys *sys, struct platform_device *pd,
			  unsigned index);

#endif
