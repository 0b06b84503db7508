/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The legacy VFIO service (drivers/iommu/type1): /dev/vfio/vfio
 * containers with the type1 IOMMU model, and /dev/vfio/<group> files, as
 * Linux's drivers/vfio/{container,group}.c and vfio_iommu_type1.c answer
 * them.
 */
#ifndef PARTITA_IOMMU_VFIO_TYPE1_H
#define PARTITA_IOMMU_VFIO_TYPE1_H

struct iommu_group;
struct sys;

/* Publish /dev/vfio/vfio. 0 or -errno. */
int vfio_type1_register(struct sys *sys);
/* Publish /dev/vfio/<group->id>; the group's devices must be published
 * (they are found by name). 0 or -errno. */
int vfio_type1_publish_group(struct sys *sys, struct iommu_group *group);

#endif
