/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Containers and groups of the legacy VFIO service. */
#ifndef TYPE1_PRIVATE_H
#define TYPE1_PRIVATE_H

#include <partita/interval-tree.h>
#include <partita/iommu/iommu.h>
#include <partita/sys/fd.h>
#include <stdbool.h>

#define TYPE1_DMA_ENTRY_LIMIT 65535   /* Linux's dma_entry_limit default */

struct type1_group;

/* One user mapping (VFIO_IOMMU_MAP_DMA), kept whole. */
struct vfio_dma {
	struct interval_node node;       /* [iova, iova + size - 1] */
	uint64_t vaddr;
	int prot;
	bool vaddr_invalid;              /* UNMAP_DMA with FLAG_VADDR */
	bool pinned;                     /* pinned and in every domain */
};

/* One domain per IOMMU instance, shared by the groups behind it. */
struct type1_domain {
	struct iommu_domain *domain;
	unsigned groups;
	struct type1_domain *next;
};

#define TYPE1_MAX_RESV 16

struct type1_container {
	struct sys_file *file;
	struct type1_group *groups;
	bool iommu_set;                  /* VFIO_SET_IOMMU done */
	bool v2;
	bool dirty_tracking;
	struct interval_tree dmas;
	unsigned dma_avail;
	struct type1_domain *domains;
	/* The reserved windows of the attached groups' devices, each once
	 * (container.c: added to as groups attach, gathered again only
	 * after one left), so a check of an IOVA does not visit every
	 * device: with 1024 groups that was the bulk of setting them up. */
	struct iommu_resv_region resv[TYPE1_MAX_RESV];
	unsigned nresv;
	bool resv_stale;
};

struct type1_group {
	struct iommu_group *group;
	struct sys *sys;
	bool open;                       /* single opener */
	struct sys_file *file;           /* the open group file */
	struct type1_container *container;
	struct sys_file *container_file; /* held while set */
	struct type1_domain *domain;     /* when the container's IOMMU is set */
	unsigned open_devices;
	struct type1_group *next;        /* in container->groups */
};

struct type1_container *type1_container_from_file(struct sys_file *file);
/* The first mapping meeting [start, last], or NULL. */
struct vfio_dma *type1_find_dma(struct type1_container *c, uint64_t start,
				uint64_t last);
/* An emulated group's devices get (lose) the container as their DMA
 * translator (emulated.c). */
void type1_emulated_attach(struct type1_container *c, struct type1_group *g);
void type1_emulated_detach(struct type1_group *g);
/* Join a container (attaching to its IOMMU if set); leave it. */
int type1_container_add_group(struct type1_container *c, struct type1_group *g);
void type1_container_remove_group(struct type1_container *c,
				  struct type1_group *g);

#endif
