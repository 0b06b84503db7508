/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Migration and dirty tracking on the VFIO side (QEMU 9.1's migration.c
 * and the dirty parts of common.c).
 *
 * At realize, enable-migration decides what a device without a way to
 * track its DMA does: auto blocks migration with QEMU's message, on only
 * warns (and then every mapped page reads dirty: "low efficient"), off
 * blocks it outright. With on, any other blocker fails the realize
 * instead. A device attached to a dirty-tracking HWPT (iommufd) or
 * offering device DMA logging needs nothing more.
 *
 * During a migration the caller starts logging on an address space,
 * syncs the dirty bitmap as often as it likes (each container's tracker,
 * or everything mapped when a container has none) and stops.
 */
#ifndef PARTITA_VFIO_MIGRATION_H
#define PARTITA_VFIO_MIGRATION_H

#include <partita/vfio/device.h>

struct vfio_address_space;

bool vfio_migration_realize(struct vfio_registry *reg, struct vfio_device *vdev,
			    Error **errp);
void vfio_migration_exit(struct vfio_device *vdev);

/* The first reason the registry's devices cannot migrate, or NULL. */
const Error *vfio_migration_blocked(struct vfio_registry *reg);

/* Start or stop dirty tracking in every container of the space. On a
 * failure to start, those already started are stopped again. Messages
 * are prefixed "vfio: Could not start dirty page tracking - ". */
bool vfio_migration_log_start(struct vfio_address_space *space, Error **errp);
void vfio_migration_log_stop(struct vfio_address_space *space);
/* OR the pages written since the last sync into bitmap (one bit per 4 KiB
 * page of the address space, from address 0, npages bits). */
bool vfio_migration_log_sync(struct vfio_address_space *space,
			     uint64_t *bitmap, uint64_t npages, Error **errp);

#endif
