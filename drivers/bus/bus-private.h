/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the bus drivers share: the list of found devices and groups. */
#ifndef PARTITA_BUS_PRIVATE_H
#define PARTITA_BUS_PRIVATE_H

#include <partita/bus/bus.h>
#include <stdio.h>
#include <partita/iommu/iommu.h>

struct pci_func;
struct platform_device;
struct ccw_subchannel;
struct ap_matrix;
struct ap_bus;

/* An interrupt line routed to a platform device's driver. */
struct bus_irq {
	struct platform_device *pd;
	unsigned index;
	bool connected;
};

#define BUS_MAX_IRQS 8

struct bus_entry {
	struct bus_device_info info;
	struct device dev;
	char name[64];
	char path[128];
	char compat[64];
	struct iommu_group *group;
	struct pci_func *pci;
	struct platform_device *plat;
	struct ccw_subchannel *sch;
	struct ap_matrix *matrix;
	const struct bus_env *env;
	struct bus_irq irqs[BUS_MAX_IRQS];
};

struct bus_devices {
	struct bus_entry **devs;
	unsigned n, cap;
	struct iommu_group **groups;
	unsigned ngroups, groups_cap;
	struct ap_bus *ap;
};

/* A new entry (zeroed, info.index set, name copied) in d; NULL when out
 * of memory. */
struct bus_entry *bus_entry_add(struct bus_devices *d, enum bus_kind kind,
				const char *name, Error **errp);
/* A new group (id = next group number) in d. */
struct iommu_group *bus_group_new(struct bus_devices *d, bool emulated,
				  Error **errp);
/* Put e's device in g and note it. */
bool bus_group_add(struct iommu_group *g, struct bus_entry *e, Error **errp);
/* e in a new group of its own. */
bool bus_group_alone(struct bus_devices *d, struct bus_entry *e, bool emulated,
		     Error **errp);
/* e's publish returned ret: false with a message on failure. (Its group
 * is published by the board's bring-up, after discovery.) */
bool bus_published(struct bus_entry *e, int ret, Error **errp);
/* The CPU's plain view of [pa, pa + size) when it is memory on the bus
 * (RAM, an SRAM, a prefetchable BAR), else NULL: registers are reached
 * through the bus, memory may be mapped. */
void *bus_cpu_view(AddressSpace *as, uint64_t pa, uint64_t size);
/* Stream id sid already taken by a device of d? Names it in errp. */
bool bus_sid_clash(const struct bus_devices *d, const struct iommu_device *iommu,
		   uint32_t sid, const char *who, Error **errp);

bool bus_pci_discover(const struct bus_env *env, struct bus_devices *d,
		      Error **errp);
bool bus_platform_discover(const struct bus_env *env, struct bus_devices *d,
			   Error **errp);
bool bus_css_discover(const struct bus_env *env, struct bus_devices *d,
		      Error **errp);
bool bus_ap_discover(const struct bus_env *env, struct bus_devices *d,
		     Error **errp);

/* A u32 cell array property: its cell count, or -1 when absent or
 * malformed; cells point into the blob. */
int bus_fdt_cells(const void *fdt, int node, const char *name,
		  const void **cells);

#endif
