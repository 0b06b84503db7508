/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vfio-platform front: a device-tree platform device given to a
 * partition (QEMU's hw/vfio/platform.c and the vfio part of
 * hw/core/sysbus-fdt.c).
 *
 * The device is named by fd=, sysfsdev= or host= (the sysfs name under
 * /sys/bus/platform/devices), in that order of precedence; a host= with
 * a '/' is "wrong host device name". Realize attaches it to the
 * partition's address space, reads its "compatible" list from
 * <sysfsdev>/of_node/compatible (with fd= alone, from host='s sysfs
 * entry: QEMU reads a NULL path there), refuses a device the bindings
 * table cannot describe ("Device %s can not be dynamically
 * instantiated"), places every MMIO region in the partition's window
 * (mapped where the driver allows: "%s mmap unsupported, performance may
 * be slow" when the mapping fails), and gives each interrupt a partition
 * interrupt line with an event file as its trigger. A level interrupt
 * arrives masked (the driver masks it); vfio_platform_eoi() unmasks it
 * once the partition has serviced it. There is no reset (QEMU: "not
 * implemented yet"). Unrealize undoes every step; a failed realize
 * leaves nothing behind.
 *
 * vfio_platform_add_fdt_node() writes the device's node into the
 * partition's device tree from the bindings table.
 */
#ifndef PARTITA_VFIO_PLATFORM_H
#define PARTITA_VFIO_PLATFORM_H

#include <partita/vfio/irq.h>
#include <partita/vfio/region.h>

struct opts;
struct vfio_platform_binding;

#define VFIO_PLATFORM_MAX_REGIONS 8
#define VFIO_PLATFORM_MAX_IRQS    8

struct vfio_platform_intp {
	struct vfio_platform_device *vplat;
	struct vfio_irq_notifier notifier;
	unsigned index;
	uint32_t flags;                /* VFIO_IRQ_INFO_* */
	unsigned line;                 /* the partition's interrupt line */
	unsigned long count;           /* times it fired */
	bool active;                   /* raised, not yet EOId */
};

struct vfio_platform_device {
	struct vfio_device vbase;
	struct vfio_registry *reg;
	char *host;                    /* host= as given */
	bool no_mmap;                  /* x-no-mmap */
	bool realized;
	char *compat;                  /* NUL-separated list */
	size_t compat_len;
	unsigned num_compat;
	const struct vfio_platform_binding *binding;
	struct vfio_region regions[VFIO_PLATFORM_MAX_REGIONS];
	unsigned nregions;
	struct vfio_platform_intp irqs[VFIO_PLATFORM_MAX_IRQS];
	unsigned nirqs;
	const struct vfio_placement *place;
};

void vfio_platform_init(struct vfio_platform_device *vplat);
/* Unrealizes if needed and frees the properties. */
void vfio_platform_fini(struct vfio_platform_device *vplat);
/* -device vfio-platform properties: host, sysfsdev, fd, iommufd,
 * x-no-mmap. */
bool vfio_platform_set_props(struct vfio_registry *reg,
			     struct vfio_platform_device *vplat,
			     struct opts *opts, Error **errp);
/* Which host device the properties name (fd > sysfsdev > host, QEMU's
 * "vfio error: wrong host device name"), checked as realize does but
 * opening nothing. */
bool vfio_platform_locate(struct vfio_registry *reg,
			  struct vfio_platform_device *vplat, Error **errp);
bool vfio_platform_realize(struct vfio_registry *reg,
			   struct vfio_platform_device *vplat,
			   const struct vfio_placement *place, Error **errp);
void vfio_platform_unrealize(struct vfio_platform_device *vplat);
/* The partition serviced line: deassert it and unmask a level interrupt
 * (VFIO_IRQ_SET_ACTION_UNMASK). False if line is not this device's. */
bool vfio_platform_eoi(struct vfio_platform_device *vplat, unsigned line);

/* ---- the bindings table (platform-fdt.c) -------------------------------- */

/* The binding for a compatible list, or NULL. */
const struct vfio_platform_binding *
vfio_platform_find_binding(const char *compat, size_t len);
/* Write the realized device's node under the node at parent_path of fdt
 * (an FDT being edited, with room): compatible, reg in the parent's
 * #address-cells/#size-cells, interrupts as GIC SPI specifiers (level or
 * edge from the interrupt's flags), and what the binding adds. */
bool vfio_platform_add_fdt_node(struct vfio_platform_device *vplat, void *fdt,
				const char *parent_path, Error **errp);

#endif
