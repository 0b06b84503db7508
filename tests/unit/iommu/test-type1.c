// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The legacy VFIO service through the system-call line: container,
 * groups, type1 mapping, dirty pages, with Linux's errnos, and DMA
 * through the simulated IOMMU.
 */
#include "sim-machine.h"
#include <partita/errno.h>
#include <uapi/linux/iommufd.h>
#include <uapi/linux/vfio.h>

#define U64(p) ((uint64_t)(uintptr_t)(p))
#define ARG(v) ((void *)(uintptr_t)(v))
#define MSI_START 0x8000000ULL
#define MSI_LAST  0x80fffffULL

struct env {
	struct sim_machine m;
	struct sys *sys;
	int container, group;
};

/* A container with group 1 set, and the IOMMU model type (0: not set). */
static void env_init(struct env *e, unsigned ndev, unsigned long type)
{
	int32_t fd;

	sim_machine_init(&e->m, ndev, SIM_IOMMU_FMT_LPAE_S1, false);
	sim_machine_publish(&e->m);
	e->sys = e->m.sys;
	e->container = sys_open(e->sys, "/dev/vfio/vfio");
	e->group = sys_open(e->sys, "/dev/vfio/1");
	assert_true(e->container >= 0);
	assert_true(e->group >= 0);
	fd = e->container;
	assert_int_equal(sys_ioctl(e->sys, e->group, VFIO_GROUP_SET_CONTAINER, &fd), 0);
	if (type)
		assert_int_equal(sys_ioctl(e->sys, e->container, VFIO_SET_IOMMU,
					   ARG(type)), 0);
}

static long map_dma(struct env *e, uint32_t flags, const void *va, uint64_t iova,
		    uint64_t size)
{
	struct vfio_iommu_type1_dma_map m = { .argsz = sizeof(m), .flags = flags,
					      .vaddr = U64(va), .iova = iova,
					      .size = size };

	return sys_ioctl(e->sys, e->container, VFIO_IOMMU_MAP_DMA, &m);
}

#define RW (VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

static long unmap_dma(struct env *e, uint32_t flags, uint64_t iova,
		      uint64_t size, uint64_t *done)
{
	struct vfio_iommu_type1_dma_unmap u = { .argsz = sizeof(u), .flags = flags,
						.iova = iova, .size = size };
	long ret = sys_ioctl(e->sys, e->container, VFIO_IOMMU_UNMAP_DMA, &u);

	if (done)
		*done = u.size;
	return ret;
}

static void test_container_and_group(void **state)
{
	struct sim_machine m;
	struct sys *sys;
	struct vfio_group_status st = { .argsz = sizeof(st) };
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	int c, g, iommufd;
	int32_t fd;

	sim_machine_init(&m, 2, SIM_IOMMU_FMT_LPAE_S1, false);
	sim_machine_publish(&m);
	sys = m.sys;
	c = sys_open(sys, "/dev/vfio/vfio");
	assert_int_equal(sys_ioctl(sys, c, VFIO_GET_API_VERSION, NULL), 0);
	assert_int_equal(sys_ioctl(sys, c, VFIO_CHECK_EXTENSION, ARG(VFIO_TYPE1_IOMMU)), 1);
	assert_int_equal(sys_ioctl(sys, c, VFIO_CHECK_EXTENSION, ARG(VFIO_TYPE1v2_IOMMU)), 1);
	assert_int_equal(sys_ioctl(sys, c, VFIO_CHECK_EXTENSION, ARG(VFIO_UNMAP_ALL)), 1);
	assert_int_equal(sys_ioctl(sys, c, VFIO_CHECK_EXTENSION, ARG(VFIO_UPDATE_VADDR)), 0);
	assert_int_equal(sys_ioctl(sys, c, VFIO_CHECK_EXTENSION, ARG(VFIO_DMA_CC_IOMMU)), 0);
	assert_int_equal(sys_ioctl(sys, c, VFIO_CHECK_EXTENSION, ARG(VFIO_NOIOMMU_IOMMU)), 0);
	assert_int_equal(sys_ioctl(sys, c, VFIO_SET_IOMMU, ARG(VFIO_TYPE1v2_IOMMU)), -EINVAL);
	assert_int_equal(sys_ioctl(sys, c, VFIO_IOMMU_MAP_DMA, &map), -EINVAL);
	/* Before SET_IOMMU an unknown request is EINVAL (Linux: no model
	 * to pass it to), after it ENOTTY (below). */
	assert_int_equal(sys_ioctl(sys, c, VFIO_IOMMU_ENABLE, NULL), -EINVAL);

	g = sys_open(sys, "/dev/vfio/1");
	assert_true(g >= 0);
	assert_int_equal(sys_open(sys, "/dev/vfio/1"), -EBUSY);
	st.argsz = 4;
	assert_int_equal(sys_ioctl(sys, g, VFIO_GROUP_GET_STATUS, &st), -EINVAL);
	st.argsz = sizeof(st);
	assert_int_equal(sys_ioctl(sys, g, VFIO_GROUP_GET_STATUS, &st), 0);
	assert_int_equal(st.flags, VFIO_GROUP_FLAGS_VIABLE);
	assert_int_equal(sys_ioctl(sys, g, VFIO_GROUP_GET_DEVICE_FD, "0000:00:01.0"),
			 -EINVAL);
	fd = 600;
	assert_int_equal(sys_ioctl(sys, g, VFIO_GROUP_SET_CONTAINER, &fd), -EBADF);
	fd = g;
	assert_int_equal(sys_ioctl(sys, g, VFIO_GROUP_SET_CONTAINER, &fd), -EINVAL);   /* Linux 6.1 */
	iommufd = sys_open(sys, "/dev/iommu");
	fd = iommufd;
	assert_int_equal(sys_ioctl(sys, g, VFIO_GROUP_SET_CONTAINER, &fd), -EOPNOTSUPP);
	assert_int_equal(sys_ioctl(sys, g, VFIO_GROUP_UNSET_CONTAINER, NULL), -EINVAL);
	fd = c;
	assert_int_equal(sys_ioctl(sys, g, VFIO_GROUP_SET_CONTAINER, &fd), 0);
	assert_int_equal(sys_ioctl(sys, g, VFIO_GROUP_SET_CONTAINER, &fd), -EINVAL);
	assert_int_equal(sys_ioctl(sys, g, VFIO_GROUP_GET_STATUS, &st), 0);
	assert_int_equal(st.flags, VFIO_GROUP_FLAGS_VIABLE | VFIO_GROUP_FLAGS_CONTAINER_SET);
	assert_int_equal(sys_ioctl(sys, g, VFIO_GROUP_GET_DEVICE_FD, "0000:00:01.0"),
			 -EINVAL);   /* no IOMMU model yet */
	assert_int_equal(sys_ioctl(sys, c, VFIO_SET_IOMMU, ARG(5)), -ENODEV);
	assert_int_equal(sys_ioctl(sys, c, VFIO_SET_IOMMU, ARG(VFIO_TYPE1v2_IOMMU)), 0);
	assert_int_equal(sys_ioctl(sys, c, VFIO_IOMMU_ENABLE, NULL), -ENOTTY);
	assert_int_equal(sys_ioctl(sys, c, VFIO_SET_IOMMU, ARG(VFIO_TYPE1v2_IOMMU)), -EINVAL);
	assert_int_equal(sys_ioctl(sys, c, VFIO_CHECK_EXTENSION, ARG(VFIO_DMA_CC_IOMMU)), 1);
	assert_int_equal(sys_ioctl(sys, g, VFIO_GROUP_GET_DEVICE_FD, "0000:00:09.0"),
			 -ENODEV);

	/* The second group: a device with an in-image driver makes it not
	 * viable, and it cannot join. */
	m.devs[1].owner = DEVICE_OWNER_KERNEL;
	{
		int g2 = sys_open(sys, "/dev/vfio/2");

		assert_int_equal(sys_ioctl(sys, g2, VFIO_GROUP_GET_STATUS, &st), 0);
		assert_int_equal(st.flags, 0);
		fd = c;
		assert_int_equal(sys_ioctl(sys, g2, VFIO_GROUP_SET_CONTAINER, &fd), -EBUSY);
		m.devs[1].owner = DEVICE_OWNER_NONE;
		assert_int_equal(sys_ioctl(sys, g2, VFIO_GROUP_SET_CONTAINER, &fd), 0);
		/* Joining a container whose model is set attaches at once. */
		assert_non_null(m.devs[1].domain);
		sys_close(sys, g2);
		assert_null(m.devs[1].domain);
	}
	sim_machine_fini(&m);
}

static void test_cdev_and_group_exclude_each_other(void **state)
{
	struct sim_machine m;
	struct sys *sys;
	struct vfio_device_bind_iommufd b = { .argsz = sizeof(b) };
	int g, dev, fd;

	sim_machine_init(&m, 2, SIM_IOMMU_FMT_LPAE_S1, false);
	sim_machine_publish(&m);
	sys = m.sys;
	fd = sys_open(sys, "/dev/iommu");
	dev = sys_open(sys, "/dev/vfio/devices/vfio0");
	b.iommufd = fd;
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_BIND_IOMMUFD, &b), 0);
	assert_int_equal(sys_open(sys, "/dev/vfio/1"), -EBUSY);
	sys_close(sys, dev);
	g = sys_open(sys, "/dev/vfio/1");
	assert_true(g >= 0);
	dev = sys_open(sys, "/dev/vfio/devices/vfio0");
	assert_int_equal(sys_ioctl(sys, dev, VFIO_DEVICE_BIND_IOMMUFD, &b), -EBUSY);
	sim_machine_fini(&m);
}

static void test_get_info_caps(void **state)
{
	struct env e;
	uint8_t buf[256];
	struct vfio_iommu_type1_info info = { .argsz = 12 };
	const struct vfio_info_cap_header *h;
	uint32_t off, seen = 0;

	env_init(&e, 1, VFIO_TYPE1v2_IOMMU);
	assert_int_equal(sys_ioctl(e.sys, e.container, VFIO_IOMMU_GET_INFO, &info),
			 -EINVAL);
	/* No room for the chain: argsz says what is needed, no offset. */
	info = (struct vfio_iommu_type1_info){ .argsz = sizeof(info) };
	assert_int_equal(sys_ioctl(e.sys, e.container, VFIO_IOMMU_GET_INFO, &info), 0);
	assert_int_equal(info.flags, VFIO_IOMMU_INFO_PGSIZES | VFIO_IOMMU_INFO_CAPS);
	assert_int_equal(info.iova_pgsizes, SZ_4K | SZ_2M | SZ_1G);
	assert_int_equal(info.cap_offset, 0);
	assert_int_equal(info.argsz, sizeof(info) + 32 + 16 + 16 + 2 * 16);

	memset(buf, 0, sizeof(buf));
	memcpy(buf, &(uint32_t){ sizeof(buf) }, 4);
	assert_int_equal(sys_ioctl(e.sys, e.container, VFIO_IOMMU_GET_INFO, buf), 0);
	memcpy(&info, buf, sizeof(info));
	assert_int_equal(info.cap_offset, sizeof(info));
	for (off = info.cap_offset; off; off = h->next) {
		h = (const struct vfio_info_cap_header *)(buf + off);
		assert_int_equal(h->version, 1);
		seen |= 1u << h->id;
		if (h->id == VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION) {
			const struct vfio_iommu_type1_info_cap_migration *c = (const void *)h;

			/* The bitmap's granule, the smallest page (Linux). */
			assert_int_equal(c->pgsize_bitmap, SZ_4K);
			assert_int_equal(c->max_dirty_bitmap_size, 0x10000000);
		} else if (h->id == VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) {
			const struct vfio_iommu_type1_info_dma_avail *c = (const void *)h;

			assert_int_equal(c->avail, 65535);
		} else if (h->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
			const struct vfio_iommu_type1_info_cap_iova_range *c = (const void *)h;

			assert_int_equal(c->nr_iovas, 2);
			assert_int_equal(c->iova_ranges[0].start, 0);
			assert_int_equal(c->iova_ranges[0].end, MSI_START - 1);
			assert_int_equal(c->iova_ranges[1].start, MSI_LAST + 1);
			assert_int_equal(c->iova_ranges[1].end, (1ULL << 48) - 1);
		}
	}
	assert_int_equal(seen, (1u << 1) | (1u << 2) | (1u << 3));
	sim_machine_fini(&e.m);
}

static void test_map_unmap_v2(void **state)
{
	struct env e;
	struct vfio_iommu_type1_dma_map map = { .argsz = 16 };
	uint8_t *buf;
	uint64_t n;

	env_init(&e, 1, VFIO_TYPE1v2_IOMMU);
	buf = e.m.user + 0x100000;
	assert_int_equal(sys_ioctl(e.sys, e.container, VFIO_IOMMU_MAP_DMA, &map),
			 -EINVAL);
	assert_int_equal(map_dma(&e, RW | 8, buf, 0x10000, 0x1000), -EINVAL);
	assert_int_equal(map_dma(&e, 0, buf, 0x10000, 0x1000), -EINVAL);
	assert_int_equal(map_dma(&e, VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_VADDR,
				 buf, 0x10000, 0x1000), -EINVAL);
	assert_int_equal(map_dma(&e, RW, buf, 0x10000, 0), -EINVAL);
	assert_int_equal(map_dma(&e, RW, buf, 0x10800, 0x1000), -EINVAL);
	assert_int_equal(map_dma(&e, RW, buf + 8, 0x10000, 0x1000), -EINVAL);
	assert_int_equal(map_dma(&e, RW, buf, UINT64_MAX - 0xfff, 0x2000), -EINVAL);
	assert_int_equal(map_dma(&e, RW, buf, MSI_START, 0x1000), -EINVAL);
	assert_int_equal(map_dma(&e, RW, buf, 1ULL << 48, 0x1000), -EINVAL);
	assert_int_equal(map_dma(&e, RW, ARG(0x7e0000000000ULL), 0x10000, 0x1000),
			 -EFAULT);
	assert_int_equal(map_dma(&e, RW, buf, 0x10000, 0x4000), 0);
	assert_int_equal(map_dma(&e, RW, buf, 0x12000, 0x1000), -EEXIST);
	assert_int_equal(map_dma(&e, RW, buf, 0x20000, 0x2000), 0);

	/* v2: no cutting at either end. */
	assert_int_equal(unmap_dma(&e, 0, 0x11000, 0x3000, NULL), -EINVAL);
	assert_int_equal(unmap_dma(&e, 0, 0x10000, 0x3000, NULL), -EINVAL);
	assert_int_equal(unmap_dma(&e, 0, 0x10800, 0x1000, NULL), -EINVAL);
	assert_int_equal(unmap_dma(&e, 0, 0x10000, 0, NULL), -EINVAL);
	assert_int_equal(unmap_dma(&e, 8, 0x10000, 0x1000, NULL), -EINVAL);
	assert_int_equal(unmap_dma(&e, VFIO_DMA_UNMAP_FLAG_ALL, 0x10000, 0, NULL),
			 -EINVAL);
	assert_int_equal(unmap_dma(&e, VFIO_DMA_UNMAP_FLAG_ALL |
				       VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP, 0, 0,
				   NULL), -EINVAL);
	/* Nothing there: success, 0 bytes. */
	assert_int_equal(unmap_dma(&e, 0, 0x80000, 0x1000, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(unmap_dma(&e, 0, 0x8000, 0x10000, &n), 0);
	assert_int_equal(n, 0x4000);
	assert_int_equal(unmap_dma(&e, VFIO_DMA_UNMAP_FLAG_ALL, 0, 0, &n), 0);
	assert_int_equal(n, 0x2000);
	sim_machine_fini(&e.m);
}

static void test_map_unmap_v1(void **state)
{
	struct env e;
	uint64_t n;

	env_init(&e, 1, VFIO_TYPE1_IOMMU);
	assert_int_equal(map_dma(&e, RW, e.m.user, 0x10000, 0x2000), 0);
	/* Not starting at a mapping: success, nothing unmapped. */
	assert_int_equal(unmap_dma(&e, 0, 0x11000, 0x1000, &n), 0);
	assert_int_equal(n, 0);
	/* Covering the first IOVA takes the whole mapping. */
	assert_int_equal(unmap_dma(&e, 0, 0x10000, 0x1000, &n), 0);
	assert_int_equal(n, 0x2000);
	/* type1 v1 has no dirty tracking. */
	{
		struct vfio_iommu_type1_dirty_bitmap d = {
			.argsz = sizeof(d), .flags = VFIO_IOMMU_DIRTY_PAGES_FLAG_START };

		assert_int_equal(sys_ioctl(e.sys, e.container, VFIO_IOMMU_DIRTY_PAGES, &d),
				 -EACCES);
	}
	sim_machine_fini(&e.m);
}

static void test_dma_and_peer_to_peer(void **state)
{
	struct env e;
	uint8_t *src, *dst;
	int dev;
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_device_bind_iommufd b = { .argsz = sizeof(b) };

	env_init(&e, 2, VFIO_TYPE1v2_IOMMU);
	src = e.m.user + 0x200000;
	dst = e.m.user + 0x300000;
	memset(src, 0x77, 0x1000);
	assert_int_equal(map_dma(&e, VFIO_DMA_MAP_FLAG_READ, src, 0x100000, 0x1000), 0);
	assert_int_equal(map_dma(&e, RW, dst, 0x200000, 0x1000), 0);
	assert_int_equal(sim_board_dma_copy(&e.m.board, 0, 0x100000, 0x200000, 0x1000),
			 SIM_DMA_DONE);
	assert_memory_equal(dst, src, 0x1000);
	/* Peer-to-peer: the other engine's registers, as a mapped BAR. */
	assert_int_equal(umem_add(e.m.umem, 0x7f0000000000ULL, 0x1000,
				  SIM_BOARD_DMA_BASE + 0x1000, UMEM_IO), 0);
	assert_int_equal(map_dma(&e, VFIO_DMA_MAP_FLAG_READ, ARG(0x7f0000000000ULL),
				 0x400000, 0x1000), 0);
	address_space_stq_le(&e.m.board.phys, SIM_BOARD_DMA_BASE + 0x1000 +
			     SIM_DMA_REG_SRC, 0x1234abcd);
	assert_int_equal(sim_board_dma_copy(&e.m.board, 0, 0x400000 + SIM_DMA_REG_SRC,
					    0x200000, 8), SIM_DMA_DONE);
	assert_int_equal(dst[0], 0xcd);
	assert_int_equal(dst[3], 0x12);

	/* Device files from the group: usable at once, not bindable. */
	dev = sys_ioctl(e.sys, e.group, VFIO_GROUP_GET_DEVICE_FD, "0000:00:01.0");
	assert_true(dev >= 0);
	assert_int_equal(sys_ioctl(e.sys, dev, VFIO_DEVICE_GET_INFO, &info), 0);
	assert_int_equal(info.num_regions, VFIO_PCI_NUM_REGIONS);
	b.iommufd = sys_open(e.sys, "/dev/iommu");
	assert_int_equal(sys_ioctl(e.sys, dev, VFIO_DEVICE_BIND_IOMMUFD, &b), -EINVAL);
	/* Open devices keep the group in its container. */
	assert_int_equal(sys_ioctl(e.sys, e.group, VFIO_GROUP_UNSET_CONTAINER, NULL),
			 -EBUSY);
	sys_close(e.sys, dev);
	assert_int_equal(sys_ioctl(e.sys, e.group, VFIO_GROUP_UNSET_CONTAINER, NULL), 0);
	/* The last group leaving dropped every mapping and the model. */
	assert_int_equal(map_dma(&e, RW, dst, 0x200000, 0x1000), -EINVAL);
	assert_int_equal(sim_board_dma_copy(&e.m.board, 0, 0x100000, 0x200000, 16),
			 SIM_DMA_FAULT);
	sim_machine_fini(&e.m);
}

static void test_dirty_pages(void **state)
{
	struct env e;
	uint8_t raw[sizeof(struct vfio_iommu_type1_dirty_bitmap) +
		    sizeof(struct vfio_iommu_type1_dirty_bitmap_get)];
	struct vfio_iommu_type1_dirty_bitmap *d = (void *)raw;
	struct vfio_iommu_type1_dirty_bitmap_get get;
	uint64_t words[2];
	uint8_t ubuf[sizeof(struct vfio_iommu_type1_dma_unmap) +
		     sizeof(struct vfio_bitmap)];
	struct vfio_iommu_type1_dma_unmap *u = (void *)ubuf;
	struct vfio_bitmap bm;

#define DIRTY(fl) (d->argsz = sizeof(*d), d->flags = (fl), \
		   sys_ioctl(e.sys, e.container, VFIO_IOMMU_DIRTY_PAGES, raw))
#define GET(iova_, size_, pg_, bytes_) \
	(get = (struct vfio_iommu_type1_dirty_bitmap_get){ (iova_), (size_), \
		{ (pg_), (bytes_), words } }, \
	 memcpy(raw + sizeof(*d), &get, sizeof(get)), d->argsz = sizeof(raw), \
	 d->flags = VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP, \
	 sys_ioctl(e.sys, e.container, VFIO_IOMMU_DIRTY_PAGES, raw))

	env_init(&e, 1, VFIO_TYPE1v2_IOMMU);
	assert_int_equal(map_dma(&e, RW, e.m.user, 0x100000, 0x3000), 0);
	assert_int_equal(map_dma(&e, RW, e.m.user, 0x108000, 0x1000), 0);
	assert_int_equal(DIRTY(0), -EINVAL);
	assert_int_equal(DIRTY(VFIO_IOMMU_DIRTY_PAGES_FLAG_START |
			       VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP), -EINVAL);
	assert_int_equal(DIRTY(8), -EINVAL);
	/* Not started yet. */
	assert_int_equal(GET(0x100000, 0x10000, 0x1000, 16), -EINVAL);
	assert_int_equal(DIRTY(VFIO_IOMMU_DIRTY_PAGES_FLAG_START), 0);
	assert_int_equal(GET(0x100000, 0x10000, 0x2000, 16), -EINVAL);   /* pgsize */
	assert_int_equal(GET(0x101000, 0x10000, 0x1000, 16), -EINVAL);   /* cuts */
	assert_int_equal(GET(0x100000, 0x10000, 0x1000, 0), -EINVAL);    /* no room */
	assert_int_equal(GET(0x100000, 0x800000, 0x1000, 8), -EINVAL);   /* too small */
	/* Every mapped page counts as dirty (no pinned-page scope). */
	memset(words, 0, sizeof(words));
	assert_int_equal(GET(0x100000, 0x10000, 0x1000, 8), 0);
	assert_int_equal(words[0], 0x7 | (1ULL << 8));
	/* UNMAP can hand back the bitmap of what it removes. */
	memset(words, 0, sizeof(words));
	bm = (struct vfio_bitmap){ 0x1000, 8, words };
	memset(ubuf, 0, sizeof(ubuf));
	*u = (struct vfio_iommu_type1_dma_unmap){
		.argsz = sizeof(ubuf), .flags = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP,
		.iova = 0x100000, .size = 0x4000 };
	memcpy(ubuf + sizeof(*u), &bm, sizeof(bm));
	assert_int_equal(sys_ioctl(e.sys, e.container, VFIO_IOMMU_UNMAP_DMA, ubuf), 0);
	assert_int_equal(u->size, 0x3000);
	assert_int_equal(words[0], 0x7);
	/* Nowhere to put the bits: EFAULT, as Linux's copy_to_user; the
	 * unmap removes nothing then. A range mapping nothing copies
	 * nothing. */
	get = (struct vfio_iommu_type1_dirty_bitmap_get){ 0x108000, 0x1000,
							  { 0x1000, 8, NULL } };
	memcpy(raw + sizeof(*d), &get, sizeof(get));
	d->argsz = sizeof(raw);
	d->flags = VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP;
	assert_int_equal(sys_ioctl(e.sys, e.container, VFIO_IOMMU_DIRTY_PAGES,
				   raw), -EFAULT);
	get.iova = 0x200000;
	memcpy(raw + sizeof(*d), &get, sizeof(get));
	assert_int_equal(sys_ioctl(e.sys, e.container, VFIO_IOMMU_DIRTY_PAGES,
				   raw), 0);
	bm = (struct vfio_bitmap){ 0x1000, 8, NULL };
	*u = (struct vfio_iommu_type1_dma_unmap){
		.argsz = sizeof(ubuf), .flags = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP,
		.iova = 0x108000, .size = 0x1000 };
	memcpy(ubuf + sizeof(*u), &bm, sizeof(bm));
	assert_int_equal(sys_ioctl(e.sys, e.container, VFIO_IOMMU_UNMAP_DMA, ubuf),
			 -EFAULT);
	assert_int_equal(map_dma(&e, RW, e.m.user, 0x108000, 0x1000), -EEXIST);
	assert_int_equal(DIRTY(VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP), 0);
	assert_int_equal(GET(0x108000, 0x1000, 0x1000, 8), -EINVAL);
#undef DIRTY
#undef GET
	sim_machine_fini(&e.m);
}

static void test_dma_entry_limit(void **state)
{
	struct env e;
	uint64_t n;
	uint8_t buf[256];
	const struct vfio_iommu_type1_info_dma_avail *avail;
	struct vfio_iommu_type1_info info;

	env_init(&e, 1, VFIO_TYPE1v2_IOMMU);
	for (unsigned i = 0; i < 65535; i++)
		assert_int_equal(map_dma(&e, VFIO_DMA_MAP_FLAG_READ, e.m.user,
					 0x100000000ULL + (uint64_t)i * 0x1000, 0x1000), 0);
	assert_int_equal(map_dma(&e, VFIO_DMA_MAP_FLAG_READ, e.m.user, 0x10000,
				 0x1000), -ENOSPC);
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &(uint32_t){ sizeof(buf) }, 4);
	assert_int_equal(sys_ioctl(e.sys, e.container, VFIO_IOMMU_GET_INFO, buf), 0);
	memcpy(&info, buf, sizeof(info));
	avail = (const void *)(buf + ((const struct vfio_info_cap_header *)
				      (buf + info.cap_offset))->next);
	assert_int_equal(avail->header.id, VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL);
	assert_int_equal(avail->avail, 0);
	assert_int_equal(unmap_dma(&e, VFIO_DMA_UNMAP_FLAG_ALL, 0, 0, &n), 0);
	assert_int_equal(n, 65535ULL * 0x1000);
	assert_int_equal(map_dma(&e, VFIO_DMA_MAP_FLAG_READ, e.m.user, 0x10000,
				 0x1000), 0);
	sim_machine_fini(&e.m);
}

/* VFIO_DMA_UNMAP_FLAG_VADDR that meets a mapping already invalid takes
 * back what the call itself had invalidated, and leaves the rest. */
static void test_vaddr_rollback(void **state)
{
	struct env e;
	uint8_t *u;

	env_init(&e, 1, VFIO_TYPE1v2_IOMMU);
	u = e.m.user;
	assert_int_equal(map_dma(&e, RW, u, 0xe00000, 0x1000), 0);
	assert_int_equal(map_dma(&e, RW, u + 0x1000, 0xe10000, 0x1000), 0);
	assert_int_equal(map_dma(&e, RW, u + 0x2000, 0xe20000, 0x1000), 0);
	assert_int_equal(unmap_dma(&e, VFIO_DMA_UNMAP_FLAG_VADDR, 0xe00000,
				   0x1000, NULL), 0);
	assert_int_equal(unmap_dma(&e, VFIO_DMA_UNMAP_FLAG_VADDR, 0xe20000,
				   0x1000, NULL), 0);
	/* Q (0xe10000) is invalidated, then R is found invalid already. */
	assert_int_equal(unmap_dma(&e, VFIO_DMA_UNMAP_FLAG_VADDR, 0xe10000,
				   0x11000, NULL), -EINVAL);
	/* Q is valid again (re-setting it is EINVAL); P and R stay invalid. */
	assert_int_equal(map_dma(&e, VFIO_DMA_MAP_FLAG_VADDR, u + 0x1000,
				 0xe10000, 0x1000), -EINVAL);
	assert_int_equal(map_dma(&e, VFIO_DMA_MAP_FLAG_VADDR, u, 0xe00000,
				 0x1000), 0);
	/* ALL: only the last is invalid; everything before it comes back. */
	assert_int_equal(unmap_dma(&e, VFIO_DMA_UNMAP_FLAG_ALL |
				   VFIO_DMA_UNMAP_FLAG_VADDR, 0, 0, NULL), -EINVAL);
	assert_int_equal(map_dma(&e, VFIO_DMA_MAP_FLAG_VADDR, u, 0xe00000,
				 0x1000), -EINVAL);
	assert_int_equal(map_dma(&e, VFIO_DMA_MAP_FLAG_VADDR, u + 0x1000,
				 0xe10000, 0x1000), -EINVAL);
	assert_int_equal(map_dma(&e, VFIO_DMA_MAP_FLAG_VADDR, u + 0x2000,
				 0xe20000, 0x1000), 0);
	sim_machine_fini(&e.m);
}

/* Read-only user memory may be mapped for a device to read it only, as
 * Linux's pin_user_pages(FOLL_WRITE) refuses it; and NESTING, which no
 * Partita IOMMU can do, fails at SET_IOMMU and leaves the container
 * unset. */
static void test_readonly_memory_and_nesting(void **state)
{
	struct env e;
	uint8_t *ro;

	env_init(&e, 1, 0);
	assert_int_equal(sys_ioctl(e.sys, e.container, VFIO_CHECK_EXTENSION,
				   ARG(VFIO_TYPE1_NESTING_IOMMU)), 1);
	assert_int_equal(sys_ioctl(e.sys, e.container, VFIO_SET_IOMMU,
				   ARG(VFIO_TYPE1_NESTING_IOMMU)), -EINVAL);
	assert_int_equal(sys_ioctl(e.sys, e.container, VFIO_SET_IOMMU,
				   ARG(VFIO_TYPE1_IOMMU)), 0);
	/* A page past the user part of RAM, declared read-only. */
	ro = e.m.user + SIM_M_USER;
	assert_int_equal(umem_add(e.m.umem, U64(ro), 0x2000,
				  SIM_BOARD_RAM_BASE + SIM_M_USER, UMEM_RAM_RO), 0);
	assert_int_equal(map_dma(&e, RW, ro, 0x410000, 0x2000), -EFAULT);
	assert_int_equal(map_dma(&e, VFIO_DMA_MAP_FLAG_WRITE, ro, 0x410000,
				 0x2000), -EFAULT);
	assert_int_equal(map_dma(&e, VFIO_DMA_MAP_FLAG_READ, ro, 0x410000,
				 0x2000), 0);
	assert_int_equal(unmap_dma(&e, 0, 0x410000, 0x2000, NULL), 0);
	assert_int_equal(umem_remove(e.m.umem, U64(ro)), 0);
	sim_machine_fini(&e.m);
}

/* GET_DEVICE_FD takes vfio-pci's name forms: the name, then spaces
 * alone, or options; no Partita function takes one (vf_token= is for
 * SR-IOV PFs and VFs), so an option is EINVAL, not "no such device". */
static void test_device_name_forms(void **state)
{
	struct env e;
	int fd;

	env_init(&e, 1, VFIO_TYPE1v2_IOMMU);
	fd = (int)sys_ioctl(e.sys, e.group, VFIO_GROUP_GET_DEVICE_FD,
			    "0000:00:01.0  ");
	assert_true(fd >= 0);
	assert_int_equal(sys_close(e.sys, fd), 0);
	assert_int_equal(sys_ioctl(e.sys, e.group, VFIO_GROUP_GET_DEVICE_FD,
				   "0000:00:01.0 vf_token=00000000-0000-0000-"
				   "0000-000000000000"), -EINVAL);
	assert_int_equal(sys_ioctl(e.sys, e.group, VFIO_GROUP_GET_DEVICE_FD,
				   "0000:00:01.0 foo=bar"), -EINVAL);
	assert_int_equal(sys_ioctl(e.sys, e.group, VFIO_GROUP_GET_DEVICE_FD,
				   "0000:00:01.0x"), -ENODEV);
	assert_int_equal(sys_ioctl(e.sys, e.group, VFIO_GROUP_GET_DEVICE_FD,
				   "0000:00:01"), -ENODEV);
	sim_machine_fini(&e.m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_container_and_group),
		cmocka_unit_test(test_cdev_and_group_exclude_each_other),
		cmocka_unit_test(test_get_info_caps),
		cmocka_unit_test(test_map_unmap_v2),
		cmocka_unit_test(test_map_unmap_v1),
		cmocka_unit_test(test_dma_and_peer_to_peer),
		cmocka_unit_test(test_dirty_pages),
		cmocka_unit_test(test_dma_entry_limit),
		cmocka_unit_test(test_vaddr_rollback),
		cmocka_unit_test(test_readonly_memory_and_nesting),
		cmocka_unit_test(test_device_name_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
