/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VFIODevice: what every front (pci, platform, ap, ccw) shares. A device
 * is named by its sysfs path's basename, or VFIO_FD<n> when a management
 * layer passed its fd (then it is never recognised as a mediated device:
 * the spec's caveat). A device with an iommufd object uses the iommufd
 * backend; without one, the legacy backend.
 */
#ifndef PARTITA_VFIO_SIDE_DEVICE_H
#define PARTITA_VFIO_SIDE_DEVICE_H

#include <partita/error.h>
#include <partita/mm/memory.h>
#include <uapi/linux/vfio.h>
#include <stdbool.h>
#include <stdint.h>

struct vfio_registry;
struct vfio_container_base;
struct iommufd_backend;
struct vfio_iommufd_hwpt;
struct vfio_group;

/* QEMU's prefix for a device's messages. */
#define VFIO_MSG_PREFIX "vfio %s: "

/* QEMU's OnOffAuto, for enable-migration. */
enum vfio_on_off_auto { VFIO_AUTO, VFIO_ON, VFIO_OFF };

struct vfio_device {
	char *name;
	char *sysfsdev;                /* NULL when only an fd was given */
	int fd;                        /* device fd; -1 until attached */
	bool fd_passed;
	bool mdev;
	bool ram_discard_allowed;      /* x-balloon-allowed; ap/ccw: forced */
	char *iommufd_id;              /* iommufd=, as written */
	char *fd_arg;                  /* fd=NUM|NAME, as written */
	struct iommufd_backend *iommufd;  /* iommufd_id, once resolved */
	struct vfio_container_base *bcontainer;
	struct vfio_device_info info;
	uint32_t devid;                /* iommufd */
	struct vfio_iommufd_hwpt *hwpt;
	struct vfio_group *group;      /* legacy */
	/* Migration (migration.c). */
	enum vfio_on_off_auto enable_migration;
	bool iommu_dirty_tracking;     /* attached to a dirty-tracking HWPT */
	uint64_t migration_flags;      /* VFIO_MIGRATION_*; 0: none */
	Error *migration_blocker;      /* why this device blocks migration */
	struct vfio_device *next;      /* in bcontainer->devices */
	struct vfio_device *group_next;/* in group->devices (legacy) */
};

void vfio_device_init(struct vfio_device *vdev, bool ram_discard);
void vfio_device_fini(struct vfio_device *vdev);

struct opts;
/* The properties every front has: sysfsdev=, fd= and iommufd=. Where a
 * backend is not built in, naming it is an error that says which Kconfig
 * symbol is missing. driver names the front in messages ("vfio-pci").
 * iommufd= and fd= are kept as written: setting properties opens and
 * looks up nothing, so a whole configuration can be checked first. */
bool vfio_device_set_common_props(struct vfio_registry *reg,
				  struct vfio_device *vdev, const char *driver,
				  struct opts *opts, Error **errp);
/* Realize's first step: iommufd= to its object ("Device '%s' not
 * found"), fd= to the descriptor. */
bool vfio_device_resolve_props(struct vfio_registry *reg,
			       struct vfio_device *vdev, Error **errp);
/* What naming the device needs, checked without opening anything:
 * sysfsdev exists (QEMU's "vfio <sysfsdev>: no such host device: ..."),
 * or a passed fd comes with an iommufd object. */
bool vfio_device_check_name(struct vfio_registry *reg, struct vfio_device *vdev,
			    Error **errp);

/* fd=NUM|NAME: the device fd a management layer opened. */
bool vfio_device_set_fd(struct vfio_registry *reg, struct vfio_device *vdev,
			const char *str, Error **errp);
/* The name, from sysfsdev or the passed fd ("VFIO_FD<n>"). */
bool vfio_device_get_name(struct vfio_registry *reg, struct vfio_device *vdev,
			  Error **errp);
/* realpath(<sysfsdev>/subsystem) == /sys/bus/mdev. */
bool vfio_device_is_mdev(struct vfio_registry *reg, struct vfio_device *vdev);

/* Join a container for as (finding or making it) through the device's
 * backend, then read its info. On failure nothing is left. */
bool vfio_attach_device(struct vfio_registry *reg, struct vfio_device *vdev,
			AddressSpace *as, Error **errp);
void vfio_detach_device(struct vfio_device *vdev);

/* Backends (container-iommufd.c, container-legacy.c). */
bool iommufd_cdev_attach(struct vfio_registry *reg, struct vfio_device *vdev,
			 AddressSpace *as, Error **errp);
void iommufd_cdev_detach(struct vfio_device *vdev);
bool vfio_legacy_attach_device(struct vfio_registry *reg,
			       struct vfio_device *vdev, AddressSpace *as,
			       Error **errp);
void vfio_legacy_detach_device(struct vfio_device *vdev);

#endif
