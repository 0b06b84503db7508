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

#define VFIO_REGISTRY_GROUP_BUCKETS 256

struct vfio_registry {
	struct sys *sys;                     /* the system-call line */
	struct vfio_address_space *spaces;
	struct iommufd_backend *backends;    /* -object iommufd,... */
	/* Legacy: open groups, chained by id modulo the size (a board's
	 * group ids run from 1, so a thousand groups are found at once). */
	struct vfio_group *groups[VFIO_REGISTRY_GROUP_BUCKETS];
};

static inline void vfio_registry_init(struct vfio_registry *reg,
				      struct sys *sys)
{
	reg->sys = sys;
	reg->spaces = 0;
	reg->backends = 0;
	for (unsigned i = 0; i < VFIO_REGISTRY_GROUP_BUCKETS; i++)
		reg->groups[i] = 0;
}

/* Any legacy group still open? (Everything released: none.) */
static inline int vfio_registry_has_groups(const struct vfio_registry *reg)
{
	for (unsigned i = 0; i < VFIO_REGISTRY_GROUP_BUCKETS; i++)
		if (reg->groups[i])
			return 1;
	return 0;
}

#endif
