/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the bus drivers share: the list of what they found. */
#ifndef PARTITA_BUS_PRIVATE_H
#define PARTITA_BUS_PRIVATE_H

#include <partita/bus/bus.h>
#include <stdio.h>

struct bus_entry {
	struct bus_device_info info;
	char name[64];
	char path[128];
	char compat[64];
	struct iommu_device *iommu;         /* NULL: a mediated device */
	struct bus_pci_function *pci;
	struct bus_platform_node *plat;
	struct bus_subchannel *sch;
	struct bus_ap_matrix *matrix;
	/* What a bus keeps for the entry beyond its description (zPCI: the
	 * BARs' address space), freed with it. */
	void *priv;
	void (*release)(void *priv);
};

struct bus_devices {
	struct bus_entry **devs;
	unsigned n, cap;
	/* The same entries by name (equal names in discovery order), for
	 * bus_device_find; an entry's path is /sys/bus/<bus>/devices/<name>. */
	struct bus_entry **by_name;
	unsigned by_name_cap;
	unsigned ngroups;
	struct bus_ap *ap;
	const char *ap_absent;          /* why there is no AP bus, or NULL */
};

/* A new entry (zeroed, info.index set, name copied) in d; NULL when out
 * of memory. */
struct bus_entry *bus_entry_add(struct bus_devices *d, enum bus_kind kind,
				const char *name, Error **errp);
/* Subchannel schno as a vfio-ccw mediated device named uuid, in a group
 * of its own (ent->sch made, ent->compat its bus id); NULL when out of
 * memory. */
struct bus_entry *bus_css_add_mdev(struct bus_devices *d, const char *uuid,
				   uint16_t schno, Error **errp);
/* The next group number of d (groups are numbered from 1). */
int bus_group_next(struct bus_devices *d);
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
bool bus_sysfs_discover(const struct bus_env *env, struct bus_devices *d,
			Error **errp);
bool bus_ap_discover(const struct bus_env *env, struct bus_devices *d,
		     Error **errp);
/* The machine's own enumeration where there is no device tree (s390x):
 * CLP for zPCI, STORE SUBCHANNEL for the channel subsystem. */
bool bus_zpci_discover(const struct bus_env *env, struct bus_devices *d,
		       Error **errp);
bool bus_css_stsch_discover(const struct bus_env *env, struct bus_devices *d,
			    Error **errp);
bool bus_ap_facility_discover(const struct bus_env *env, struct bus_devices *d,
			      Error **errp);

/* A u32 cell array property: its cell count, or -1 when absent or
 * malformed; cells point into the blob. */
int bus_fdt_cells(const void *fdt, int node, const char *name,
		  const void **cells);

#endif
