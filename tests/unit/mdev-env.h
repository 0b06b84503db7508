/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A machine with one PCI function and vfio-ccw mdevs, the mdev's device
 * file bound through either service, and a window of user memory mapped
 * for it: MDEV_IOVA maps the first MDEV_WINDOW bytes of user memory read
 * and write, MDEV_RO_IOVA one page after them read-only.
 */
#ifndef PARTITA_TEST_MDEV_ENV_H
#define PARTITA_TEST_MDEV_ENV_H

#include "iommufd-helpers.h"
#include <partita/errno.h>
#include <partita/mm/page-alloc.h>

#define MDEV_IOVA     0x200000ULL
#define MDEV_WINDOW   (2ULL << 20)
#define MDEV_RO_IOVA  0x800000ULL

enum mdev_service { MDEV_IOMMUFD, MDEV_TYPE1 };

struct mdev_env {
	struct sim_machine m;
	struct sys *sys;
	enum mdev_service svc;
	int iommufd, container, group, dev;
	uint32_t ioas, access_id;
};

static inline uint8_t *mdev_host(struct mdev_env *e, uint64_t iova)
{
	if (iova >= MDEV_RO_IOVA)
		return e->m.user + MDEV_WINDOW + (iova - MDEV_RO_IOVA);
	return e->m.user + (iova - MDEV_IOVA);
}

static inline void mdev_map_type1(struct mdev_env *e, uint64_t iova,
				  const void *va, uint64_t size, uint32_t flags)
{
	struct vfio_iommu_type1_dma_map m = { .argsz = sizeof(m), .flags = flags,
					      .vaddr = U64(va), .iova = iova,
					      .size = size };

	assert_int_equal(sys_ioctl(e->sys, e->container, VFIO_IOMMU_MAP_DMA, &m), 0);
}

/* Open the device file of subchannel 0's mdev through svc; if map, the
 * windows are mapped. iommu_type: VFIO_TYPE1v2_IOMMU or VFIO_TYPE1_IOMMU. */
static inline void mdev_env_init(struct mdev_env *e, enum mdev_service svc,
				 bool map, unsigned long iommu_type)
{
	memset(e, 0, sizeof(*e));
	sim_machine_init(&e->m, 1, SIM_IOMMU_FMT_LPAE_S1, false);
	sim_machine_add_ccw(&e->m, 2);
	sim_machine_publish(&e->m);
	e->sys = e->m.sys;
	e->svc = svc;
	e->iommufd = e->container = e->group = -1;
	if (svc == MDEV_IOMMUFD) {
		uint64_t iova;

		e->iommufd = sys_open(e->sys, "/dev/iommu");
		assert_true(e->iommufd >= 0);
		e->ioas = t_ioas_alloc(e->sys, e->iommufd);
		e->dev = sys_open(e->sys, "/dev/vfio/devices/vfio1");
		assert_true(e->dev >= 0);
		assert_int_equal(t_bind(e->sys, e->dev, e->iommufd, &e->access_id), 0);
		if (!map)
			return;
		iova = MDEV_IOVA;
		assert_int_equal(t_map(e->sys, e->iommufd, e->ioas, FIXED_RW,
				       mdev_host(e, MDEV_IOVA), MDEV_WINDOW, &iova), 0);
		iova = MDEV_RO_IOVA;
		assert_int_equal(t_map(e->sys, e->iommufd, e->ioas,
				       IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_FIXED_IOVA,
				       mdev_host(e, MDEV_RO_IOVA), PAGE_SIZE, &iova), 0);
		uint32_t pt = e->ioas;

		assert_int_equal(t_attach(e->sys, e->dev, &pt), 0);
		assert_int_equal(pt, e->ioas);
	} else {
		int32_t fd;

		e->container = sys_open(e->sys, "/dev/vfio/vfio");
		e->group = sys_open(e->sys, "/dev/vfio/100");
		assert_true(e->container >= 0 && e->group >= 0);
		fd = e->container;
		assert_int_equal(sys_ioctl(e->sys, e->group, VFIO_GROUP_SET_CONTAINER,
					   &fd), 0);
		assert_int_equal(sys_ioctl(e->sys, e->container, VFIO_SET_IOMMU,
					   (void *)(uintptr_t)iommu_type), 0);
		e->dev = (int)sys_ioctl(e->sys, e->group, VFIO_GROUP_GET_DEVICE_FD,
					(void *)e->m.sch_devs[0].name);
		assert_true(e->dev >= 0);
		if (!map)
			return;
		mdev_map_type1(e, MDEV_IOVA, mdev_host(e, MDEV_IOVA), MDEV_WINDOW,
			       VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE);
		mdev_map_type1(e, MDEV_RO_IOVA, mdev_host(e, MDEV_RO_IOVA), PAGE_SIZE,
			       VFIO_DMA_MAP_FLAG_READ);
	}
}

/* Close everything; then no pin may remain on user memory (the range
 * could not be removed otherwise) and every page of the pool is back
 * (sim_machine_fini checks). */
static inline void mdev_env_fini(struct mdev_env *e)
{
	assert_int_equal(sys_close(e->sys, e->dev), 0);
	if (e->group >= 0)
		assert_int_equal(sys_close(e->sys, e->group), 0);
	if (e->container >= 0)
		assert_int_equal(sys_close(e->sys, e->container), 0);
	if (e->iommufd >= 0)
		assert_int_equal(sys_close(e->sys, e->iommufd), 0);
	assert_int_equal(umem_remove(e->m.umem, U64(e->m.user)), 0);
	assert_int_equal(umem_add(e->m.umem, U64(e->m.user), SIM_M_USER,
				  SIM_BOARD_RAM_BASE, UMEM_RAM), 0);
	sim_machine_fini(&e->m);
}

#endif
