/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device discovery (drivers/bus): everything a board's device tree says
 * can be given to a partition, found and its devices published in the
 * device namespace, below the system-call line; the board's bring-up
 * (include/partita/arch/bring-up.h) registers the services first and
 * publishes the IOMMU groups after.
 *
 *  - PCI: each "pci-host-ecam-generic" node: every bus of bus-range is
 *    scanned through ECAM; BARs are sized and assigned from the node's
 *    ranges (64-bit prefetchable BARs from a 64-bit prefetchable window
 *    when there is one); memory decoding is enabled. A function's stream
 *    id comes from the node's iommu-map; the functions of a
 *    multi-function device share an IOMMU group (extended capabilities,
 *    ACS among them, are not read); a function with no iommu-map entry
 *    is left out, with a warning: nothing reaches memory untranslated.
 *  - platform: each enabled node with an "iommus" property whose
 *    compatible the vfio-platform front binds: regions from reg (a range
 *    the CPU reaches as memory can be mapped), interrupts (3 cells),
 *    one group each.
 *  - CSS: the subchannels of a "partita,sim-css" node, each handed out
 *    as a vfio-ccw mediated device (partita,mdev-uuid) in a group of
 *    its own.
 *  - AP: the adapters and domains of a "partita,sim-ap-bus" node and its
 *    matrix mediated devices (vfio-ap), a group each.
 *
 * Device numbers (/dev/vfio/devices/vfio<N>) and group numbers are given
 * in that order from 0 and 1. Stream ids found twice are an error.
 * Bindings: docs/bindings/.
 */
#ifndef PARTITA_BUS_BUS_H
#define PARTITA_BUS_BUS_H

#include <partita/error.h>
#include <partita/mm/memory.h>
#include <stdbool.h>
#include <stdint.h>

struct sys;
struct umem;
struct page_pool;
struct iommu_device;
struct ccw_status;

/* What discovery needs from the board. */
struct bus_env {
	const void *fdt;
	struct sys *sys;             /* where devices are published */
	AddressSpace *phys;          /* the CPU's view of the bus */
	/* The IOMMU driver behind the node with this phandle, or NULL. */
	struct iommu_device *(*iommu_for)(void *opaque, uint32_t phandle);
	/* Pages for translated channel programs (below 2 GiB). */
	struct page_pool *pool;
	/* Start subchannel schno with the program at absolute cpa. */
	int (*css_start)(void *opaque, uint16_t schno, uint32_t cpa,
			 struct ccw_status *st);
	/* Route the interrupt line with this 3-cell specifier to
	 * handler(arg); handler NULL disconnects. false: no such line. */
	bool (*irq_connect)(void *opaque, const uint32_t spec[3],
			    void (*handler)(void *arg), void *arg);
	void *opaque;
};

enum bus_kind { BUS_PCI, BUS_PLATFORM, BUS_CCW, BUS_AP };

/* One published device, as the partition manager sees it. */
struct bus_device_info {
	enum bus_kind kind;
	const char *name;            /* 0000:02:00.0, a100000.dma, a UUID */
	const char *sysfsdev;        /* /sys/bus/<bus>/devices/<name> */
	unsigned index;              /* /dev/vfio/devices/vfio<index> */
	int group;                   /* /dev/vfio/<group> */
	uint32_t stream_id;          /* PCI and platform */
	/* PCI: vendor and device id; platform: the first compatible. */
	uint16_t vendor, device;
	const char *compatible;
};

struct bus_devices;

/* Discover and publish. On failure what was found is freed; entries it
 * published stay in env->sys, which the board then drops. */
struct bus_devices *bus_discover(const struct bus_env *env, Error **errp);
/* After the namespace (sys) is gone: free what discovery made and
 * disconnect its interrupts. */
void bus_devices_release(struct bus_devices *d);

unsigned bus_device_count(const struct bus_devices *d);
/* The IOMMU groups discovery made, for the bring-up to publish. */
struct iommu_group;
unsigned bus_group_count(const struct bus_devices *d);
struct iommu_group *bus_group(const struct bus_devices *d, unsigned i);
int bus_group_id(const struct bus_devices *d, unsigned i);
const struct bus_device_info *bus_device(const struct bus_devices *d,
					 unsigned i);
/* By name or by sysfs path (symlinks not followed); NULL if none. */
const struct bus_device_info *bus_device_find(const struct bus_devices *d,
					      const char *name_or_path);

#endif
