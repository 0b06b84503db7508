// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fault injection through iommufd: every allocation made by MAP, COPY,
 * ATTACH and HWPT_ALLOC (heap blocks and page-table pages alike) is made
 * to fail in turn. Each failure must come back as -ENOMEM with nothing
 * left behind: no heap block, no area, no translation in any domain, no
 * HWPT, no reservation, no pin.
 */
#include "iommufd-helpers.h"
#include <errno.h>

#define IOVA 0x40000000ULL
#define LEN  0x600000ULL        /* 2M blocks and 4K pages both */

static void assert_unmapped(struct t_env *e, unsigned dev)
{
	struct iommu_domain *d = e->m.devs[dev].domain;

	if (!d)
		return;
	for (uint64_t off = 0; off < LEN; off += 0x1000)
		assert_int_equal(iommu_iova_to_phys(d, IOVA + off), 0);
}

static uint32_t ranges_count(struct t_env *e, uint32_t ioas)
{
	struct iommu_ioas_iova_ranges r = { .size = sizeof(r), .ioas_id = ioas };

	sys_ioctl(e->m.sys, e->iommufd, IOMMU_IOAS_IOVA_RANGES, &r);
	return r.num_iovas;
}

/*
 * Count op's allocations on a fresh machine (setup builds it), then for
 * each n build a fresh machine again and fail the nth: the failure must
 * be -ENOMEM, leave no heap block op made, and pass check; the machine
 * then tears down with every page and pin returned (sim_machine_fini
 * checks the page pool).
 */
static void fail_each(void (*setup)(struct t_env *), long (*op)(struct t_env *),
		      void (*check)(struct t_env *))
{
	struct t_env e;
	unsigned long calls;
	size_t base = heap_live_blocks();

	setup(&e);
	alloc_fault_fail_nth(0);
	assert_int_equal(op(&e), 0);
	calls = alloc_fault_calls();
	assert_true(calls > 0);
	t_env_fini(&e);
	for (unsigned long n = 1; n <= calls; n++) {
		size_t live;
		long ret;

		setup(&e);
		live = heap_live_blocks();
		alloc_fault_fail_nth(n);
		ret = op(&e);
		alloc_fault_fail_nth(0);
		if (ret != -ENOMEM)
			fail_msg("allocation %lu of %lu: got %ld, want -ENOMEM", n,
				 calls, ret);
		if (heap_live_blocks() != live)
			fail_msg("allocation %lu of %lu failed: %zu heap blocks "
				 "leaked", n, calls, heap_live_blocks() - live);
		check(&e);
		t_env_fini(&e);
		assert_int_equal(heap_live_blocks(), base);
	}
}

/* ---- MAP into an IOAS with two domains ---------------------------------- */

static long op_map(struct t_env *e)
{
	uint64_t iova = IOVA;

	return t_map(e->m.sys, e->iommufd, e->ioas, FIXED_RW,
		     e->m.user + 0x200000, LEN, &iova);
}

static void check_map(struct t_env *e)
{
	uint64_t n;

	/* No pin left: the user memory could be unregistered. */
	assert_int_equal(umem_pin(e->m.umem, U64(e->m.user), 0x1000, 0), 0);
	umem_unpin(e->m.umem, U64(e->m.user), 0x1000);
	assert_int_equal(umem_remove(e->m.umem, U64(e->m.user)), 0);
	assert_int_equal(umem_add(e->m.umem, U64(e->m.user), SIM_M_USER,
				  SIM_BOARD_RAM_BASE, UMEM_RAM), 0);

	assert_unmapped(e, 0);
	assert_unmapped(e, 1);
	assert_int_equal(t_unmap(e->m.sys, e->iommufd, e->ioas, 0, UINT64_MAX, &n), 0);
	assert_int_equal(n, 0);
}

static void setup_map(struct t_env *e)
{
	struct iommu_hwpt_alloc h = { .size = sizeof(h) };
	uint32_t pt;

	t_env_init(e, 2, SIM_IOMMU_FMT_LPAE_S1, false);
	/* Two domains over one IOAS: a HWPT each. */
	pt = e->ioas;
	assert_int_equal(t_attach(e->m.sys, e->dev[0], &pt), 0);
	h.dev_id = e->devid[1];
	h.pt_id = e->ioas;
	assert_int_equal(sys_ioctl(e->m.sys, e->iommufd, IOMMU_HWPT_ALLOC, &h), 0);
	pt = h.out_hwpt_id;
	assert_int_equal(t_attach(e->m.sys, e->dev[1], &pt), 0);
}

static void test_map_failures(void **state)
{
	fail_each(setup_map, op_map, check_map);
}

/* ---- COPY into an attached IOAS ------------------------------------------ */

static uint32_t copy_dst;

static long op_copy(struct t_env *e)
{
	struct iommu_ioas_copy c = {
		.size = sizeof(c), .flags = FIXED_RW, .dst_ioas_id = copy_dst,
		.src_ioas_id = e->ioas, .length = LEN, .dst_iova = IOVA,
		.src_iova = 0x10000000,
	};

	return sys_ioctl(e->m.sys, e->iommufd, IOMMU_IOAS_COPY, &c);
}

static void check_copy(struct t_env *e)
{
	uint64_t n;

	assert_unmapped(e, 1);
	assert_int_equal(t_unmap(e->m.sys, e->iommufd, copy_dst, 0, UINT64_MAX, &n), 0);
	assert_int_equal(n, 0);
}

static void setup_copy(struct t_env *e)
{
	uint64_t src = 0x10000000;
	uint32_t pt;

	t_env_init(e, 2, SIM_IOMMU_FMT_LPAE_S1, false);
	/* The source: two areas, so COPY builds two slices. */
	assert_int_equal(t_map(e->m.sys, e->iommufd, e->ioas, FIXED_RW,
			       e->m.user + 0x200000, 0x200000, &src), 0);
	src = 0x10200000;
	assert_int_equal(t_map(e->m.sys, e->iommufd, e->ioas, FIXED_RW,
			       e->m.user + 0x400000, LEN - 0x200000, &src), 0);
	copy_dst = t_ioas_alloc(e->m.sys, e->iommufd);
	pt = copy_dst;
	assert_int_equal(t_attach(e->m.sys, e->dev[1], &pt), 0);
}

static void test_copy_failures(void **state)
{
	fail_each(setup_copy, op_copy, check_copy);
}

/* ---- ATTACH to an IOAS with mappings (an automatic HWPT) ------------------ */

static long op_attach(struct t_env *e)
{
	uint32_t pt = e->ioas;

	return t_attach(e->m.sys, e->dev[0], &pt);
}

static void check_attach(struct t_env *e)
{
	/* Not attached, blocked, no HWPT object, no reservation left. */
	assert_null(e->m.devs[0].domain);
	assert_int_equal(sim_board_dma_copy(&e->m.board, 0, IOVA, IOVA + 0x1000, 4),
			 SIM_DMA_FAULT);
	assert_int_equal(ranges_count(e, e->ioas), 1);
	assert_int_equal(t_destroy(e->m.sys, e->iommufd, e->devid[0] + 1), -ENOENT);
}

static void setup_mapped(struct t_env *e)
{
	uint64_t iova = IOVA;

	t_env_init(e, 1, SIM_IOMMU_FMT_LPAE_S1, false);
	assert_int_equal(t_map(e->m.sys, e->iommufd, e->ioas, FIXED_RW,
			       e->m.user + 0x200000, LEN, &iova), 0);
}

static void test_attach_failures(void **state)
{
	fail_each(setup_mapped, op_attach, check_attach);
}

/* ---- HWPT_ALLOC over an IOAS with mappings -------------------------------- */

static long op_hwpt(struct t_env *e)
{
	struct iommu_hwpt_alloc h = { .size = sizeof(h),
				      .flags = IOMMU_HWPT_ALLOC_DIRTY_TRACKING,
				      .dev_id = e->devid[0], .pt_id = e->ioas };
	return sys_ioctl(e->m.sys, e->iommufd, IOMMU_HWPT_ALLOC, &h);
}

static void check_hwpt(struct t_env *e)
{
	/* No HWPT made: the IOAS has no user and can be told apart by its
	 * unchanged ranges (no aperture reserved). */
	assert_int_equal(ranges_count(e, e->ioas), 1);
	assert_int_equal(t_destroy(e->m.sys, e->iommufd, e->devid[0] + 1), -ENOENT);
}

static void test_hwpt_alloc_failures(void **state)
{
	fail_each(setup_mapped, op_hwpt, check_hwpt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_failures),
		cmocka_unit_test(test_copy_failures),
		cmocka_unit_test(test_attach_failures),
		cmocka_unit_test(test_hwpt_alloc_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
