/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VFIOAddressSpace: one per DMA address space (a partition's), holding
 * the containers that mirror it. Each container listens to the space and
 * maps what it sees, by QEMU's rules:
 *
 *  - only RAM (and ram-device) sections that are not protected are mapped;
 *    sections whose address and region offset disagree modulo the page are
 *    refused with QEMU's "received unaligned region" message;
 *  - the range is rounded inward to the page;
 *  - a ram-device section (a device BAR) is mapped for peer-to-peer; its
 *    failure is reported with the prefix "PCI p2p may not work: " and
 *    ignored;
 *  - before the container is initialized the first error is kept, and the
 *    attach then fails with "memory listener initialization failed: ...";
 *    after it, a mapping failure stops the space's partition (reported,
 *    the rest of the machine runs on);
 *  - unmap failures are reported and otherwise ignored.
 *
 * Spaces live in a registry (struct vfio_registry), not a global list.
 */
#ifndef PARTITA_VFIO_ADDRESS_SPACE_H
#define PARTITA_VFIO_ADDRESS_SPACE_H

#include <partita/vfio/container-base.h>

struct vfio_registry;

struct vfio_address_space {
	struct vfio_registry *reg;
	AddressSpace *as;
	struct vfio_container_base *containers;
	bool stopped;                     /* a runtime mapping failure */
	char *stop_reason;
	struct vfio_address_space *next;
};

/* Find the space for as, or make it. NULL when out of memory. */
struct vfio_address_space *vfio_address_space_get(struct vfio_registry *reg,
						  AddressSpace *as);
/* Drop it when it has no container left. */
void vfio_address_space_put(struct vfio_address_space *space);

/* Put bc in space and start listening; the listener replays the current
 * map. false (with the kept listener error) when that fails. */
bool vfio_address_space_add_container(struct vfio_address_space *space,
				      struct vfio_container_base *bc,
				      Error **errp);
void vfio_address_space_remove_container(struct vfio_container_base *bc);

#endif
