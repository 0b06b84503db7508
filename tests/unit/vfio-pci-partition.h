/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A partition with an MMIO window for vfio-pci tests: the VFIO partition
 * fixture, an iommufd object where that backend is built in, and
 * pp_device() to realize "-device vfio-pci,<props>".
 */
#ifndef PARTITA_TEST_VFIO_PCI_PARTITION_H
#define PARTITA_TEST_VFIO_PCI_PARTITION_H

#include "front-fixture.h"
#include "vfio-partition.h"
#include <partita/option.h>
#include <partita/vfio/migration.h>
#include <partita/vfio/pci.h>

#define WIN_BASE 0x10000000ULL
#define WIN_SIZE 0x10000000ULL

struct pci_part {
	struct part p;
	uint64_t next;
	struct vfio_placement pl;
	struct iommufd_backend *be;
};

static inline void pp_init_idr(struct pci_part *pp, unsigned ndev,
			       uint64_t ram, uint64_t idr)
{
	part_init_idr(&pp->p, ndev, ram, idr);
	pp->next = WIN_BASE;
	pp->pl = (struct vfio_placement){ .as = &pp->p.as, .ctx = &pp->p.ctx,
					  .parent = &pp->p.root,
					  .mmio_base = WIN_BASE,
					  .mmio_size = WIN_SIZE,
					  .next = &pp->next };
	pp->be = part_iommufd(&pp->p);
}

static inline void pp_init(struct pci_part *pp, unsigned ndev)
{
	pp_init_idr(pp, ndev, 4 << 20, SIM_M_IDR_ALL);
}

static inline void pp_fini(struct pci_part *pp)
{
	part_iommufd_delete(pp->be);
	part_fini(&pp->p);
}

/* -device vfio-pci,<props> on pp: set the properties (no unknown ones)
 * and realize. */
static inline bool pp_device(struct pci_part *pp, struct vfio_pci_device *vpci,
		      const char *props, Error **errp)
{
	return front_set_props(vfio_pci, &pp->p.reg, vpci, props, errp) &&
	       vfio_pci_realize(&pp->p.reg, vpci, &pp->pl, errp);
}

static inline const char *backend_props(bool iommufd)
{
	return iommufd ? ",iommufd=iommufd0" : "";
}

/* -device vfio-pci,host=HOST on pp through the iommufd or the legacy
 * backend, which must succeed. */
static inline void pp_host_device(struct pci_part *pp,
				  struct vfio_pci_device *vpci,
				  const char *host, bool iommufd)
{
	char props[96];

	snprintf(props, sizeof(props), "host=%s%s", host, backend_props(iommufd));
	assert_true(pp_device(pp, vpci, props, &error_abort));
}

#endif
