/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Calls on the system-call line, spelled like QEMU's, for iommufd tests. */
#ifndef PARTITA_TEST_IOMMUFD_HELPERS_H
#define PARTITA_TEST_IOMMUFD_HELPERS_H

#include "sim-machine.h"
#include <uapi/linux/iommufd.h>
#include <uapi/linux/vfio.h>

#define U64(p) ((uint64_t)(uintptr_t)(p))

static inline uint32_t t_ioas_alloc(struct sys *sys, int fd)
{
	struct iommu_ioas_alloc a = { .size = sizeof(a) };

	assert_int_equal(sys_ioctl(sys, fd, IOMMU_IOAS_ALLOC, &a), 0);
	return a.out_ioas_id;
}

static inline long t_map(struct sys *sys, int fd, uint32_t ioas, uint32_t flags,
			 const void *uva, uint64_t len, uint64_t *iova)
{
	struct iommu_ioas_map m = {
		.size = sizeof(m), .flags = flags, .ioas_id = ioas,
		.user_va = U64(uva), .length = len, .iova = iova ? *iova : 0,
	};
	long ret = sys_ioctl(sys, fd, IOMMU_IOAS_MAP, &m);

	if (!ret && iova)
		*iova = m.iova;
	return ret;
}

#define RW (IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE)
#define FIXED_RW (RW | IOMMU_IOAS_MAP_FIXED_IOVA)

static inline long t_unmap(struct sys *sys, int fd, uint32_t ioas, uint64_t iova,
			   uint64_t len, uint64_t *unmapped)
{
	struct iommu_ioas_unmap u = { .size = sizeof(u), .ioas_id = ioas,
				      .iova = iova, .length = len };
	long ret = sys_ioctl(sys, fd, IOMMU_IOAS_UNMAP, &u);

	if (unmapped)
		*unmapped = ret ? 0 : u.length;
	return ret;
}

static inline long t_bind(struct sys *sys, int devfd, int iommufd, uint32_t *id)
{
	struct vfio_device_bind_iommufd b = { .argsz = sizeof(b),
					      .iommufd = iommufd };
	long ret = sys_ioctl(sys, devfd, VFIO_DEVICE_BIND_IOMMUFD, &b);

	if (!ret && id)
		*id = b.out_devid;
	return ret;
}

static inline long t_attach(struct sys *sys, int devfd, uint32_t *pt)
{
	struct vfio_device_attach_iommufd_pt a = { .argsz = sizeof(a),
						   .pt_id = *pt };
	long ret = sys_ioctl(sys, devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a);

	if (!ret)
		*pt = a.pt_id;
	return ret;
}

static inline long t_detach(struct sys *sys, int devfd)
{
	struct vfio_device_detach_iommufd_pt d = { .argsz = sizeof(d) };

	return sys_ioctl(sys, devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &d);
}

static inline long t_destroy(struct sys *sys, int fd, uint32_t id)
{
	struct iommu_destroy d = { .size = sizeof(d), .id = id };

	return sys_ioctl(sys, fd, IOMMU_DESTROY, &d);
}

/* A machine with its devices bound and (if ioas) attached. */
struct t_env {
	struct sim_machine m;
	int iommufd;
	int dev[SIM_BOARD_MAX_DMA];
	uint32_t devid[SIM_BOARD_MAX_DMA];
	uint32_t ioas;
};

static inline void t_env_init(struct t_env *e, unsigned ndev,
			      enum sim_iommu_fmt fmt, bool attach)
{
	sim_machine_init(&e->m, ndev, fmt, false);
	sim_machine_publish(&e->m);
	e->iommufd = sys_open(e->m.sys, "/dev/iommu");
	assert_true(e->iommufd >= 0);
	e->ioas = t_ioas_alloc(e->m.sys, e->iommufd);
	for (unsigned i = 0; i < ndev; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/dev/vfio/devices/vfio%u", i);
		e->dev[i] = sys_open(e->m.sys, path);
		assert_true(e->dev[i] >= 0);
		assert_int_equal(t_bind(e->m.sys, e->dev[i], e->iommufd,
					&e->devid[i]), 0);
		if (attach) {
			uint32_t pt = e->ioas;

			assert_int_equal(t_attach(e->m.sys, e->dev[i], &pt), 0);
		}
	}
}

static inline void t_env_fini(struct t_env *e)
{
	sim_machine_fini(&e->m);
}

#endif
