// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio-ccw's channel-program translation through the device file, for
 * each service built in: programs run on the simulated subchannel with
 * their data where the user's IO address space says, and any address the
 * space does not give the device (another partition's memory, a physical
 * address, a read-only page the channel would write) is refused before
 * the channel starts. Every test ends with no pin and no pool page held.
 */
#include "mdev-env.h"
#include <partita/ccw.h>
#include <partita/sim/subchannel.h>
#include <uapi/linux/vfio_ccw.h>

#define PROG    (MDEV_IOVA + 0x1000)      /* where programs are written */
#define DATA    (MDEV_IOVA + 0x10000)     /* data pages */
#define W1      (ORB_W1_FMT | ORB_W1_C64 | ORB_W1_PFCH)

static void put_ccw(struct mdev_env *e, uint64_t at, uint8_t cmd, uint8_t flags,
		    uint16_t count, uint64_t cda)
{
	ccw_encode(mdev_host(e, at), (struct ccw1){ cmd, flags, count,
						     (uint32_t)cda });
}

static void put_idaw(struct mdev_env *e, uint64_t at, uint64_t addr)
{
	ccw_put_be64(mdev_host(e, at), addr);
}

/* One start function: the write's result; the region read back. */
static long start_on(struct sys *sys, int dev, uint32_t w1, uint32_t cpa,
		     uint32_t fctl, struct ccw_io_region *r)
{
	long ret;

	memset(r, 0, sizeof(*r));
	ccw_put_be32(r->orb_area, 0x12345678);
	ccw_put_be32(r->orb_area + 4, w1);
	ccw_put_be32(r->orb_area + 8, cpa);
	ccw_put_be32(r->scsw_area, fctl);
	ret = sys_pwrite(sys, dev, r, sizeof(*r), 0);
	assert_int_equal(sys_pread(sys, dev, r, sizeof(*r), 0), sizeof(*r));
	return ret;
}

static long start(struct mdev_env *e, uint32_t w1, uint32_t cpa,
		  struct ccw_io_region *r)
{
	return start_on(e->sys, e->dev, w1, cpa, SCSW_FCTL_START, r);
}

static struct ccw_status irb_status(const struct ccw_io_region *r)
{
	uint32_t w2 = ccw_get_be32(r->irb_area + 8);

	return (struct ccw_status){ ccw_get_be32(r->irb_area + 4), w2 >> 24,
				    (uint8_t)(w2 >> 16), (uint16_t)w2 };
}

static unsigned starts(struct mdev_env *e)
{
	return sim_subchannel_starts(e->m.sch_hw[0]);
}

static uint8_t *store(struct mdev_env *e)
{
	return sim_subchannel_store(e->m.sch_hw[0]);
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

static const enum mdev_service services[] = { MDEV_IOMMUFD, MDEV_TYPE1 };

static bool built(enum mdev_service s)
{
	return s == MDEV_IOMMUFD ? IS_ENABLED(CONFIG_IOMMUFD) :
				   IS_ENABLED(CONFIG_VFIO_TYPE1);
}

#define FOR_EACH_SERVICE(e) \
	for (size_t si_ = 0; si_ < 2; si_++) \
		if (built(services[si_]) && \
		    (mdev_env_init(&(e), services[si_], true, VFIO_TYPE1v2_IOMMU), 1))

static void test_device_info(void **state)
{
	struct mdev_env e;

	(void)state;
	FOR_EACH_SERVICE(e) {
		struct vfio_device_info di = { .argsz = sizeof(di) };
		struct vfio_region_info ri = { .argsz = sizeof(ri) };
		struct vfio_irq_info ii = { .argsz = sizeof(ii) };

		assert_int_equal(sys_ioctl(e.sys, e.dev, VFIO_DEVICE_GET_INFO, &di), 0);
		assert_true(di.flags & VFIO_DEVICE_FLAGS_CCW);
		assert_int_equal(di.num_regions, 1);
		assert_int_equal(di.num_irqs, 3);
		assert_int_equal(sys_ioctl(e.sys, e.dev, VFIO_DEVICE_GET_REGION_INFO,
					   &ri), 0);
		assert_int_equal(ri.size, sizeof(struct ccw_io_region));
		assert_int_equal(ri.size, 124);
		for (ii.index = 0; ii.index < 3; ii.index++) {
			assert_int_equal(sys_ioctl(e.sys, e.dev,
						   VFIO_DEVICE_GET_IRQ_INFO, &ii), 0);
			assert_int_equal(ii.count, 1);
		}
		mdev_env_fini(&e);
	}
}

/* WRITE then READ, data crossing a page boundary: it moves through the
 * channel and back, and the IRB speaks the user's addresses. */
static void test_direct_data(void **state)
{
	struct mdev_env e;

	(void)state;
	FOR_EACH_SERVICE(e) {
		struct ccw_io_region r;
		struct ccw_status st;
		uint64_t src = DATA + PAGE_SIZE - 50, dst = DATA + 3 * PAGE_SIZE + 10;

		fill(mdev_host(&e, src), 300, 3);
		memset(mdev_host(&e, dst), 0, 300);
		put_ccw(&e, PROG, CCW_CMD_WRITE, CCW_FLAG_CC, 300, src);
		put_ccw(&e, PROG + 8, CCW_CMD_READ, 0, 300, dst);
		assert_int_equal(start(&e, W1, PROG, &r), sizeof(r));
		assert_int_equal(r.ret_code, 0);
		assert_memory_equal(store(&e), mdev_host(&e, src), 300);
		assert_memory_equal(mdev_host(&e, dst), mdev_host(&e, src), 300);
		st = irb_status(&r);
		assert_int_equal(st.dstat, DEV_STAT_CHN_END | DEV_STAT_DEV_END);
		assert_int_equal(st.cstat, 0);
		assert_int_equal(st.cpa, PROG + 16);
		assert_int_equal(st.count, 0);
		assert_int_equal(ccw_get_be32(r.irb_area) & SCSW_FCTL_START,
				 SCSW_FCTL_START);
		assert_int_equal(starts(&e), 1);
		mdev_env_fini(&e);
	}
}

/* The user's own IDAL over three scattered pages; its IDAWs are IOVAs. */
static void test_user_idal(void **state)
{
	struct mdev_env e;

	(void)state;
	FOR_EACH_SERVICE(e) {
		struct ccw_io_region r;
		uint64_t idal = PROG + 0x100;
		uint64_t a = DATA + 5 * PAGE_SIZE + 4000, b = DATA + 2 * PAGE_SIZE,
			 c = DATA + 9 * PAGE_SIZE;
		uint8_t want[6000];

		fill(mdev_host(&e, a), 96, 1);
		fill(mdev_host(&e, b), 4096, 2);
		fill(mdev_host(&e, c), 1808, 3);
		memcpy(want, mdev_host(&e, a), 96);
		memcpy(want + 96, mdev_host(&e, b), 4096);
		memcpy(want + 96 + 4096, mdev_host(&e, c), 1808);
		put_idaw(&e, idal, a);
		put_idaw(&e, idal + 8, b);
		put_idaw(&e, idal + 16, c);
		put_ccw(&e, PROG, CCW_CMD_WRITE, CCW_FLAG_IDA, 6000, idal);
		assert_int_equal(start(&e, W1, PROG, &r), sizeof(r));
		assert_memory_equal(store(&e), want, sizeof(want));

		/* Format-1 IDAWs (no c64) are not offered. */
		assert_int_equal(start(&e, ORB_W1_FMT, PROG, &r), -EOPNOTSUPP);
		/* Only the first IDAW may start inside a block. */
		put_idaw(&e, idal + 8, b + 8);
		assert_int_equal(start(&e, W1, PROG, &r), -EINVAL);
		assert_int_equal(starts(&e), 1);
		mdev_env_fini(&e);
	}
}

/* Data chaining across a TIC, and a TIC loop that stays a loop (the
 * channel then ends it with a program check). */
static void test_chaining_and_tic(void **state)
{
	struct mdev_env e;

	(void)state;
	FOR_EACH_SERVICE(e) {
		struct ccw_io_region r;
		struct ccw_status st;
		uint64_t other = PROG + 0x800;

		fill(mdev_host(&e, DATA), 10, 40);
		fill(mdev_host(&e, DATA + PAGE_SIZE), 10, 80);
		put_ccw(&e, PROG, CCW_CMD_WRITE, CCW_FLAG_CD, 10, DATA);
		put_ccw(&e, PROG + 8, CCW_CMD_TIC, 0, 0, other);
		put_ccw(&e, other, 0xff, 0, 10, DATA + PAGE_SIZE);
		assert_int_equal(start(&e, W1, PROG, &r), sizeof(r));
		assert_memory_equal(store(&e), mdev_host(&e, DATA), 10);
		assert_memory_equal(store(&e) + 10, mdev_host(&e, DATA + PAGE_SIZE), 10);
		st = irb_status(&r);
		assert_int_equal(st.cstat, 0);
		assert_int_equal(st.cpa, other + 8);

		put_ccw(&e, PROG, CCW_CMD_NOOP, CCW_FLAG_CC, 0, 0);
		put_ccw(&e, PROG + 8, CCW_CMD_TIC, 0, 0, PROG);
		assert_int_equal(start(&e, W1, PROG, &r), sizeof(r));
		st = irb_status(&r);
		assert_int_equal(st.cstat, SCH_STAT_PROG_CHECK);
		assert_true(ccw_get_be32(r.irb_area) & SCSW_STCTL_ALERT);
		assert_int_equal(starts(&e), 2);
		mdev_env_fini(&e);
	}
}

/* Anything the user's space does not give the device is refused before
 * the channel starts, and no memory changes. */
static void test_outside_refused(void **state)
{
	struct mdev_env e;

	(void)state;
	FOR_EACH_SERVICE(e) {
		struct ccw_io_region r;
		uint8_t *secret = e.m.user + MDEV_WINDOW + 8 * PAGE_SIZE;
		uint64_t secret_pa = sim_pa(&e.m, secret), idal = PROG + 0x100;
		uint8_t copy[64];

		fill(secret, sizeof(copy), 9);
		memcpy(copy, secret, sizeof(copy));
		/* The program itself outside. */
		assert_int_equal(start(&e, W1, 0x10000000, &r), -EFAULT);
		assert_int_equal(r.ret_code, (uint32_t)-EFAULT);
		/* A physical address given as data: not an IOVA of the space. */
		put_ccw(&e, PROG, CCW_CMD_READ, 0, 64, secret_pa);
		assert_int_equal(start(&e, W1, PROG, &r), -EFAULT);
		/* Data running off the window's end. */
		put_ccw(&e, PROG, CCW_CMD_READ, 0, 64, MDEV_IOVA + MDEV_WINDOW - 32);
		assert_int_equal(start(&e, W1, PROG, &r), -EFAULT);
		/* A later CCW of the chain outside: nothing runs at all. */
		put_ccw(&e, PROG, CCW_CMD_WRITE, CCW_FLAG_CC, 8, DATA);
		put_ccw(&e, PROG + 8, CCW_CMD_READ, 0, 64, secret_pa);
		assert_int_equal(start(&e, W1, PROG, &r), -EFAULT);
		/* An IDAL outside, and an IDAW outside. */
		put_ccw(&e, PROG, CCW_CMD_READ, CCW_FLAG_IDA, 64, secret_pa);
		assert_int_equal(start(&e, W1, PROG, &r), -EFAULT);
		put_idaw(&e, idal, secret_pa);
		put_ccw(&e, PROG, CCW_CMD_READ, CCW_FLAG_IDA, 64, idal);
		assert_int_equal(start(&e, W1, PROG, &r), -EFAULT);
		/* A TIC outside. */
		put_ccw(&e, PROG, CCW_CMD_TIC, 0, 0, secret_pa & ~7ULL);
		assert_int_equal(start(&e, W1, PROG, &r), -EFAULT);
		/* Read-only: the channel may read it, never write it. */
		fill(mdev_host(&e, MDEV_RO_IOVA), 16, 5);
		put_ccw(&e, PROG, CCW_CMD_READ, 0, 16, MDEV_RO_IOVA);
		assert_int_equal(start(&e, W1, PROG, &r), -EFAULT);
		assert_int_equal(starts(&e), 0);
		put_ccw(&e, PROG, CCW_CMD_WRITE, 0, 16, MDEV_RO_IOVA);
		assert_int_equal(start(&e, W1, PROG, &r), sizeof(r));
		assert_memory_equal(store(&e), mdev_host(&e, MDEV_RO_IOVA), 16);
		assert_int_equal(starts(&e), 1);
		assert_memory_equal(secret, copy, sizeof(copy));
		mdev_env_fini(&e);
	}
}

/* On a channel subsystem that moves data within one IDAW block only
 * (QEMU), a transfer that would need two is refused before any start;
 * one inside a block runs. */
static void test_one_idaw_block(void **state)
{
	struct mdev_env e;

	(void)state;
	FOR_EACH_SERVICE(e) {
		struct ccw_io_region r;
		uint64_t idal = PROG + 0x100;

		e.m.schs[0].one_idaw_block = true;
		fill(mdev_host(&e, DATA), 2 * PAGE_SIZE, 4);
		/* Direct data across a page boundary. */
		put_ccw(&e, PROG, CCW_CMD_WRITE, 0, 100, DATA + PAGE_SIZE - 50);
		assert_int_equal(start(&e, W1, PROG, &r), -ERANGE);
		/* The user's IDAL of two blocks. */
		put_idaw(&e, idal, DATA + PAGE_SIZE - 50);
		put_idaw(&e, idal + 8, DATA + PAGE_SIZE);
		put_ccw(&e, PROG, CCW_CMD_WRITE, CCW_FLAG_IDA, 100, idal);
		assert_int_equal(start(&e, W1, PROG, &r), -ERANGE);
		assert_int_equal(starts(&e), 0);
		/* Up to the block's last byte: one IDAW, it runs. */
		put_ccw(&e, PROG, CCW_CMD_WRITE, 0, 50, DATA + PAGE_SIZE - 50);
		assert_int_equal(start(&e, W1, PROG, &r), sizeof(r));
		assert_memory_equal(store(&e), mdev_host(&e, DATA + PAGE_SIZE - 50),
				    50);
		assert_int_equal(starts(&e), 1);
		mdev_env_fini(&e);
	}
}

static void test_malformed(void **state)
{
	struct mdev_env e;

	(void)state;
	FOR_EACH_SERVICE(e) {
		struct ccw_io_region r;
		uint8_t byte = 0;

		put_ccw(&e, PROG, CCW_CMD_WRITE, 0, 0, DATA);
		assert_int_equal(start(&e, W1, PROG, &r), -EINVAL);
		put_ccw(&e, PROG, CCW_CMD_WRITE, 0, 8, DATA);
		assert_int_equal(start(&e, W1 & ~ORB_W1_FMT, PROG, &r), -EOPNOTSUPP);
		assert_int_equal(start(&e, W1, PROG + 4, &r), -EINVAL);
		assert_int_equal(start_on(e.sys, e.dev, W1, PROG, SCSW_FCTL_HALT, &r),
				 -EOPNOTSUPP);
		put_ccw(&e, PROG, CCW_CMD_WRITE, CCW_FLAG_MIDA, 8, DATA);
		assert_int_equal(start(&e, W1, PROG, &r), -EOPNOTSUPP);
		/* Longer than the driver takes. */
		for (unsigned i = 0; i <= VFIO_CCW_MAX_CCWS; i++)
			put_ccw(&e, PROG + i * 8, CCW_CMD_NOOP, CCW_FLAG_CC, 0, 0);
		assert_int_equal(start(&e, W1, PROG, &r), -EINVAL);
		/* Beyond the region. */
		assert_int_equal(sys_pwrite(e.sys, e.dev, &byte, 1,
					    sizeof(struct ccw_io_region)), -EINVAL);
		assert_int_equal(starts(&e), 0);
		mdev_env_fini(&e);
	}
}

/* Subchannel 1 in a second IO address space of the same service that
 * maps the same IOVAs to other memory; its device fd. */
static int second_space(struct mdev_env *e, uint8_t *theirs)
{
	int dev2;

	if (e->svc == MDEV_IOMMUFD) {
		uint32_t ioas2 = t_ioas_alloc(e->sys, e->iommufd), id, pt = ioas2;
		uint64_t iova = MDEV_IOVA;

		assert_int_equal(t_map(e->sys, e->iommufd, ioas2, FIXED_RW, theirs,
				       MDEV_WINDOW, &iova), 0);
		dev2 = sys_open(e->sys, "/dev/vfio/devices/vfio2");
		assert_int_equal(t_bind(e->sys, dev2, e->iommufd, &id), 0);
		assert_int_equal(t_attach(e->sys, dev2, &pt), 0);
	} else {
		int c2 = sys_open(e->sys, "/dev/vfio/vfio");
		int g2 = sys_open(e->sys, "/dev/vfio/101");
		struct vfio_iommu_type1_dma_map m = {
			.argsz = sizeof(m), .iova = MDEV_IOVA, .size = MDEV_WINDOW,
			.vaddr = U64(theirs),
			.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		};
		int32_t fd = c2;

		assert_int_equal(sys_ioctl(e->sys, g2, VFIO_GROUP_SET_CONTAINER, &fd), 0);
		assert_int_equal(sys_ioctl(e->sys, c2, VFIO_SET_IOMMU,
					   (void *)(uintptr_t)VFIO_TYPE1v2_IOMMU), 0);
		assert_int_equal(sys_ioctl(e->sys, c2, VFIO_IOMMU_MAP_DMA, &m), 0);
		dev2 = (int)sys_ioctl(e->sys, g2, VFIO_GROUP_GET_DEVICE_FD,
				      (void *)e->m.sch_devs[1].name);
		/* The device file holds the group, the group its container. */
		assert_int_equal(sys_close(e->sys, g2), 0);
		assert_int_equal(sys_close(e->sys, c2), 0);
	}
	assert_true(dev2 >= 0);
	return dev2;
}

/* Two subchannels in two IO address spaces mapping the same IOVA to
 * different memory: each program reaches only its own space's pages. */
static void test_two_partitions(void **state)
{
	struct mdev_env e;

	(void)state;
	FOR_EACH_SERVICE(e) {
		struct ccw_io_region r;
		uint8_t *theirs = e.m.user + 4 * MDEV_WINDOW, *mine;
		uint8_t *store1 = sim_subchannel_store(e.m.sch_hw[1]);
		int dev2 = second_space(&e, theirs);

		mine = mdev_host(&e, DATA);
		memset(mine, 0, 32);
		memset(theirs + (DATA - MDEV_IOVA), 0, 32);
		fill(store1, 32, 11);
		/* The same program, at the same IOVA of the second space. */
		put_ccw(&e, PROG, CCW_CMD_READ, 0, 32, DATA);
		memcpy(theirs + (PROG - MDEV_IOVA), mdev_host(&e, PROG), CCW_SIZE);
		assert_int_equal(start_on(e.sys, dev2, W1, PROG, SCSW_FCTL_START, &r),
				 sizeof(r));
		assert_memory_equal(theirs + (DATA - MDEV_IOVA), store1, 32);
		for (int i = 0; i < 32; i++)
			assert_int_equal(mine[i], 0);
		/* And the first subchannel's program lands in the first. */
		fill(store(&e), 32, 50);
		assert_int_equal(start(&e, W1, PROG, &r), sizeof(r));
		assert_memory_equal(mine, store(&e), 32);
		assert_memory_equal(theirs + (DATA - MDEV_IOVA), store1, 32);
		assert_int_equal(sys_close(e.sys, dev2), 0);
		mdev_env_fini(&e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_info),
		cmocka_unit_test(test_direct_data),
		cmocka_unit_test(test_user_idal),
		cmocka_unit_test(test_chaining_and_tic),
		cmocka_unit_test(test_outside_refused),
		cmocka_unit_test(test_one_idaw_block),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_two_partitions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
