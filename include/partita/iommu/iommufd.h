/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The iommufd service (drivers/iommu/iommufd): what answers /dev/iommu.
 * The VFIO device file uses the device half to bind, attach and detach a
 * device; everything else arrives as IOMMU_* ioctls on the /dev/iommu fd.
 */
#ifndef PARTITA_IOMMU_IOMMUFD_H
#define PARTITA_IOMMU_IOMMUFD_H

#include <stdint.h>

struct device;
struct sys;
struct sys_file;
struct iommufd_ctx;
struct iommufd_device;
struct iommufd_access;

/* Publish /dev/iommu in sys's namespace. 0 or -errno. */
int iommufd_register(struct sys *sys);

/* The iommufd behind an open file, or NULL if it is not one. */
struct iommufd_ctx *iommufd_ctx_from_file(struct sys_file *file);

/* Claim dev's DMA for ictx and make a device object (its ID in *id).
 * ERR_PTR of: -EBUSY when a device of its group has an in-image driver,
 * -EPERM when the group belongs to someone else (a type1 container),
 * -EINVAL when the IOMMU is not cache coherent, -ENODEV without an IOMMU,
 * -ENOMEM. */
struct iommufd_device *iommufd_device_bind(struct iommufd_ctx *ictx,
					   struct device *dev, uint32_t *id);
/* Detach, forget the object, give the DMA back (blocked). */
void iommufd_device_unbind(struct iommufd_device *idev);
/* Attach to an IOAS (an automatic HWPT, reused when compatible) or a
 * HWPT; *pt_id becomes the HWPT's ID. Replaces an existing attachment
 * atomically. */
int iommufd_device_attach(struct iommufd_device *idev, uint32_t *pt_id);
/* Back to blocked DMA; attached or not, it succeeds. */
void iommufd_device_detach(struct iommufd_device *idev);

/* A mediated device (its group is emulated: no IOMMU) binds as an
 * access object instead (its ID in *id): ERR_PTR of -ENODEV for a device
 * that is not mediated, -EBUSY when it is already bound, -ENOMEM. */
struct iommufd_access *iommufd_access_bind(struct iommufd_ctx *ictx,
					   struct device *dev, uint32_t *id);
/* Attach to (or move to) IOAS pt_id; -ENOENT for anything else, a HWPT
 * included. From then on the device's driver pins and copies through the
 * IOAS (vfio_pin_pages, vfio_dma_rw); the IOAS cannot be destroyed. */
int iommufd_access_attach(struct iommufd_access *acc, uint32_t pt_id);
void iommufd_access_detach(struct iommufd_access *acc);
void iommufd_access_unbind(struct iommufd_access *acc);

#endif
