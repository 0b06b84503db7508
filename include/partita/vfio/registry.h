/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What QEMU keeps in globals (vfio_address_spaces, the group list, the
 * iommufd objects), kept instead in one explicit registry per machine so
 * tests can build several machines in one process.
 */
#ifndef PARTITA_VFIO_REGISTRY_H
#define PARTITA_VFIO_REGISTRY_H

struct sys;
struct vfio_address_space;
struct iommufd_backend;
struct vfio_group;

struct vfio_registry {
	struct sys *sys;                     /* the system-call line */
	struct vfio_address_space *spaces;
	struct iommufd_backend *backends;    /* -object iommufd,... */
	struct vfio_group *groups;           /* legacy: open groups */
};

static inline void vfio_registry_init(struct vfio_registry *reg,
				      struct sys *sys)
{
	reg->sys = sys;
	reg->spaces = 0;
	reg->backends = 0;
	reg->groups = 0;
}

#endif
