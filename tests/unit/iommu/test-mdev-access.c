// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Mediated devices below the system-call line: how their drivers reach
 * the user's IO address space (an iommufd access on an IOAS, or a type1
 * container through an emulated group), with Linux's errnos, and how they
 * appear in sysfs.
 */
#include "mdev-env.h"
#include <partita/mm/user-mem.h>
#include <partita/sys/namespace.h>

#define PIN(e, iova, n, prot, pa) \
	vfio_pin_pages(&(e)->m.sch_devs[0], (iova), (n), (prot), (pa))
#define RW_(e, iova, buf, len, w) \
	vfio_dma_rw(&(e)->m.sch_devs[0], (iova), (buf), (len), (w))

static void test_mdev_in_sysfs(void **state)
{
	struct mdev_env e;
	char buf[160], path[160];

	(void)state;
	mdev_env_init(&e, IS_ENABLED(CONFIG_IOMMUFD) ? MDEV_IOMMUFD : MDEV_TYPE1,
		      false, VFIO_TYPE1v2_IOMMU);
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s", e.m.sch_devs[0].name);
	assert_int_equal(sys_realpath(e.sys, path, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/sys/devices/css0/0.0.0010/"
			    "6dfd3ec5-e8b3-4e18-a6fe-57bc9eceb920");
	strcat(path, "/subsystem");
	assert_int_equal(sys_realpath(e.sys, path, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/sys/bus/mdev");
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/iommu_group",
		 e.m.sch_devs[1].name);
	assert_int_equal(sys_realpath(e.sys, path, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/sys/kernel/iommu_groups/101");
	/* Not mediated: no mdev publication. */
	assert_int_equal(vfio_mdev_publish(e.sys, &e.m.devs[0], 9,
					   "/sys/devices/css0/x"), -EINVAL);
	mdev_env_fini(&e);
}

static void test_iommufd_access(void **state)
{
	struct mdev_env e;
	struct iommu_hw_info info = { .size = sizeof(info) };
	uint64_t pa[3], iova = MDEV_IOVA;
	uint8_t buf[16], *host;
	uint32_t pt;

	(void)state;
	mdev_env_init(&e, MDEV_IOMMUFD, false, 0);
	/* Bound, not attached: nothing translates yet. */
	assert_int_equal(PIN(&e, MDEV_IOVA, 1, IOMMU_READ, pa), -EINVAL);
	assert_int_equal(RW_(&e, MDEV_IOVA, buf, 4, false), -EINVAL);
	/* An access is not a device: no HW info, no destroy, no HWPT. */
	info.dev_id = e.access_id;
	assert_int_equal(sys_ioctl(e.sys, e.iommufd, IOMMU_GET_HW_INFO, &info),
			 -ENOENT);
	assert_int_equal(t_destroy(e.sys, e.iommufd, e.access_id), -EBUSY);
	pt = e.access_id;
	assert_int_equal(t_attach(e.sys, e.dev, &pt), -ENOENT);
	pt = 77;
	assert_int_equal(t_attach(e.sys, e.dev, &pt), -ENOENT);
	/* A second bind of the same file. */
	assert_int_equal(t_bind(e.sys, e.dev, e.iommufd, NULL), -EINVAL);

	/* Attached to an empty IOAS: nothing is mapped. */
	pt = e.ioas;
	assert_int_equal(t_attach(e.sys, e.dev, &pt), 0);
	assert_int_equal(pt, e.ioas);
	assert_int_equal(PIN(&e, MDEV_IOVA, 1, IOMMU_READ, pa), -ENOENT);
	assert_int_equal(t_destroy(e.sys, e.iommufd, e.ioas), -EBUSY);
	assert_int_equal(t_map(e.sys, e.iommufd, e.ioas, FIXED_RW,
			       mdev_host(&e, MDEV_IOVA), MDEV_WINDOW, &iova), 0);

	/* Pins give the physical pages behind the IOVAs. */
	assert_int_equal(PIN(&e, MDEV_IOVA + PAGE_SIZE, 3, IOMMU_READ | IOMMU_WRITE,
			     pa), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(pa[i], sim_pa(&e.m, mdev_host(&e, MDEV_IOVA +
						(i + 1) * PAGE_SIZE)));
	/* Pinned memory cannot go away under the device. */
	assert_int_equal(umem_remove(e.m.umem, U64(e.m.user)), -EBUSY);
	vfio_unpin_pages(&e.m.sch_devs[0], MDEV_IOVA + PAGE_SIZE, 3);
	assert_int_equal(PIN(&e, MDEV_IOVA + 3, 1, IOMMU_READ, pa), -EINVAL);

	/* Copies land in the user's memory. */
	host = mdev_host(&e, MDEV_IOVA + 100);
	assert_int_equal(RW_(&e, MDEV_IOVA + 100, "partita", 8, true), 0);
	assert_string_equal((char *)host, "partita");
	memset(buf, 0, sizeof(buf));
	assert_int_equal(RW_(&e, MDEV_IOVA + 100, buf, 8, false), 0);
	assert_string_equal((char *)buf, "partita");
	/* Across the window's end: refused whole, nothing written. */
	host = mdev_host(&e, MDEV_IOVA + MDEV_WINDOW - 4);
	memset(host, 0x5a, 4);
	assert_int_equal(RW_(&e, MDEV_IOVA + MDEV_WINDOW - 4, "abcdefgh", 8, true),
			 -ENOENT);
	for (int i = 0; i < 4; i++)
		assert_int_equal(host[i], 0x5a);
	assert_int_equal(PIN(&e, MDEV_IOVA + MDEV_WINDOW - PAGE_SIZE, 2, IOMMU_READ,
			     pa), -ENOENT);

	/* Read-only: reads only. */
	iova = MDEV_RO_IOVA;
	assert_int_equal(t_map(e.sys, e.iommufd, e.ioas,
			       IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_FIXED_IOVA,
			       mdev_host(&e, MDEV_RO_IOVA), PAGE_SIZE, &iova), 0);
	assert_int_equal(RW_(&e, MDEV_RO_IOVA, buf, 8, false), 0);
	assert_int_equal(RW_(&e, MDEV_RO_IOVA, buf, 8, true), -EPERM);
	assert_int_equal(PIN(&e, MDEV_RO_IOVA, 1, IOMMU_WRITE, pa), -EPERM);
	assert_int_equal(PIN(&e, MDEV_RO_IOVA, 1, IOMMU_READ, pa), 0);
	vfio_unpin_pages(&e.m.sch_devs[0], MDEV_RO_IOVA, 1);

	/* A device behind an IOMMU has no access. */
	assert_int_equal(vfio_pin_pages(&e.m.devs[0], MDEV_IOVA, 1, IOMMU_READ, pa),
			 -EINVAL);
	/* Detached: nothing translates, and the IOAS can go. */
	assert_int_equal(t_detach(e.sys, e.dev), 0);
	assert_int_equal(PIN(&e, MDEV_IOVA, 1, IOMMU_READ, pa), -EINVAL);
	assert_int_equal(t_destroy(e.sys, e.iommufd, e.ioas), 0);
	mdev_env_fini(&e);
	/* Closing unbound it: the device is free again. */
	assert_int_equal(e.m.sch_devs[0].owner, DEVICE_OWNER_NONE);
}

static void test_type1_access(void **state)
{
	struct mdev_env e;
	uint64_t pa[2];
	uint8_t buf[8], *host;

	(void)state;
	/* Pinning is a v2 feature (Linux: -EACCES). */
	mdev_env_init(&e, MDEV_TYPE1, true, VFIO_TYPE1_IOMMU);
	assert_int_equal(PIN(&e, MDEV_IOVA, 1, IOMMU_READ, pa), -EACCES);
	mdev_env_fini(&e);

	mdev_env_init(&e, MDEV_TYPE1, false, VFIO_TYPE1v2_IOMMU);
	assert_int_equal(PIN(&e, MDEV_IOVA, 1, IOMMU_READ, pa), -EINVAL);
	assert_int_equal(RW_(&e, MDEV_IOVA, buf, 4, false), -EINVAL);
	mdev_map_type1(&e, MDEV_IOVA, mdev_host(&e, MDEV_IOVA), MDEV_WINDOW,
		       VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE);
	mdev_map_type1(&e, MDEV_RO_IOVA, mdev_host(&e, MDEV_RO_IOVA), PAGE_SIZE,
		       VFIO_DMA_MAP_FLAG_READ);
	assert_int_equal(PIN(&e, MDEV_IOVA + 5 * PAGE_SIZE, 2, IOMMU_WRITE, pa), 0);
	assert_int_equal(pa[1], sim_pa(&e.m, mdev_host(&e, MDEV_IOVA + 6 * PAGE_SIZE)));
	assert_int_equal(umem_remove(e.m.umem, U64(e.m.user)), -EBUSY);
	vfio_unpin_pages(&e.m.sch_devs[0], MDEV_IOVA + 5 * PAGE_SIZE, 2);
	/* A failing pin keeps none of its pages. */
	assert_int_equal(PIN(&e, MDEV_IOVA + MDEV_WINDOW - PAGE_SIZE, 2, IOMMU_READ,
			     pa), -EINVAL);
	assert_int_equal(PIN(&e, MDEV_RO_IOVA, 1, IOMMU_WRITE, pa), -EPERM);

	host = mdev_host(&e, MDEV_IOVA + 64);
	assert_int_equal(RW_(&e, MDEV_IOVA + 64, "type1!", 7, true), 0);
	assert_string_equal((char *)host, "type1!");
	assert_int_equal(RW_(&e, MDEV_RO_IOVA, buf, 8, true), -EPERM);
	assert_int_equal(RW_(&e, MDEV_RO_IOVA, buf, 8, false), 0);
	host = mdev_host(&e, MDEV_IOVA + MDEV_WINDOW - 2);
	host[0] = host[1] = 0x77;
	assert_int_equal(RW_(&e, MDEV_IOVA + MDEV_WINDOW - 2, "xyzw", 4, true),
			 -EINVAL);
	assert_int_equal(host[0], 0x77);
	assert_int_equal(host[1], 0x77);
	mdev_env_fini(&e);
	assert_int_equal(e.m.sch_devs[0].owner, DEVICE_OWNER_NONE);
}

/* The cdev and the group exclude each other for mdevs too. */
static void test_one_user(void **state)
{
	struct mdev_env e;
	int cdev;

	(void)state;
	mdev_env_init(&e, MDEV_TYPE1, true, VFIO_TYPE1v2_IOMMU);
	cdev = sys_open(e.sys, "/dev/vfio/devices/vfio1");
	assert_true(cdev >= 0);
	e.iommufd = sys_open(e.sys, "/dev/iommu");
	assert_int_equal(t_bind(e.sys, cdev, e.iommufd, NULL), -EBUSY);
	assert_int_equal(sys_close(e.sys, cdev), 0);
	mdev_env_fini(&e);
}

int main(void)
{
	struct CMUnitTest tests[4];
	size_t n = 0;

	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_mdev_in_sysfs);
	if (IS_ENABLED(CONFIG_IOMMUFD))
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_iommufd_access);
	if (IS_ENABLED(CONFIG_VFIO_TYPE1))
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_type1_access);
	if (IS_ENABLED(CONFIG_VFIO_TYPE1) && IS_ENABLED(CONFIG_IOMMUFD))
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_one_user);
	return _cmocka_run_group_tests("test-mdev-access", tests, n, NULL, NULL);
}
