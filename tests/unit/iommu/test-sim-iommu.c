// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The simulated IOMMU end to end, below iommufd: the driver programs the
 * unit, a DMA engine copies through it, and what lands (or faults) is
 * checked in RAM. Each test runs for every table format.
 */
#include "sim-machine.h"
#include <partita/err.h>
#include <partita/iova-bitmap.h>
#include <errno.h>

static const enum sim_iommu_fmt fmts[] = {
	SIM_IOMMU_FMT_LPAE_S1, SIM_IOMMU_FMT_LPAE_S2, SIM_IOMMU_FMT_ZPCI,
};

static struct sim_fault last_fault(struct sim_machine *m)
{
	struct sim_fault f[256];
	size_t n = sim_iommu_faults(m->board.iommu, f, 256);

	assert_true(n > 0);
	return f[n - 1];
}

static void test_deny_by_default(void **state)
{
	for (size_t k = 0; k < ARRAY_SIZE(fmts); k++) {
		struct sim_machine m;

		sim_machine_init(&m, 1, fmts[k], false);
		/* Probed: no STE valid, so nothing gets through. */
		assert_int_equal(sim_board_dma_copy(&m.board, 0, 0x1000, 0x2000, 16),
				 SIM_DMA_FAULT);
		assert_int_equal(last_fault(&m).reason, SIM_FAULT_BAD_STREAM);
		/* Blocked explicitly: abort. */
		m.iommu->ops->block_dev(&m.devs[0]);
		assert_int_equal(sim_board_dma_copy(&m.board, 0, 0x1000, 0x2000, 16),
				 SIM_DMA_FAULT);
		assert_int_equal(last_fault(&m).reason, SIM_FAULT_ABORT);
		assert_int_equal(last_fault(&m).sid, SIM_BOARD_DMA_SID(0));
		sim_machine_fini(&m);
	}
}

static void test_translate_and_isolate(void **state)
{
	for (size_t k = 0; k < ARRAY_SIZE(fmts); k++) {
		struct sim_machine m;
		struct iommu_domain *d0, *d1;
		uint8_t *src, *dst0, *dst1;

		sim_machine_init(&m, 2, fmts[k], false);
		src = m.user + 0x10000;
		dst0 = m.user + 0x20000;
		dst1 = m.user + 0x30000;
		for (int i = 0; i < 4096; i++)
			src[i] = (uint8_t)(i * 7 + 1);
		d0 = iommu_domain_alloc_paging(&m.devs[0], 0);
		d1 = iommu_domain_alloc_paging(&m.devs[1], 0);
		assert_false(IS_ERR_OR_NULL(d0));
		assert_false(IS_ERR_OR_NULL(d1));
		assert_int_equal(iommu_attach_group(d0, m.devs[0].group), 0);
		assert_int_equal(iommu_attach_group(d1, m.devs[1].group), 0);
		assert_ptr_equal(m.devs[0].domain, d0);
		assert_int_equal(d0->users, 1);

		/* Device 0: IOVA 0x100000 reads src, 0x203000 writes dst0 (an
		 * IOVA in another IOTLB slot, so the unmap check below sees a
		 * cached translation). */
		assert_int_equal(iommu_map(d0, 0x100000, sim_pa(&m, src), 4096,
					   IOMMU_READ), 0);
		assert_int_equal(iommu_map(d0, 0x203000, sim_pa(&m, dst0), 4096,
					   IOMMU_READ | IOMMU_WRITE), 0);
		/* Device 1: the same IOVAs mean other memory. */
		assert_int_equal(iommu_map(d1, 0x203000, sim_pa(&m, dst1), 4096,
					   IOMMU_READ | IOMMU_WRITE), 0);

		assert_int_equal(sim_board_dma_copy(&m.board, 0, 0x100000, 0x203000,
						    4096), SIM_DMA_DONE);
		assert_memory_equal(dst0, src, 4096);
		assert_int_equal(dst1[0], 0);

		/* Device 1 cannot read device 0's source: not in its domain. */
		assert_int_equal(sim_board_dma_copy(&m.board, 1, 0x100000, 0x203000,
						    64), SIM_DMA_FAULT);
		assert_int_equal(last_fault(&m).reason, SIM_FAULT_TRANSLATION);
		assert_int_equal(last_fault(&m).iova, 0x100000);
		assert_false(last_fault(&m).write);
		assert_int_equal(dst1[0], 0);

		/* Writing a read-only mapping faults and writes nothing. */
		assert_int_equal(sim_board_dma_copy(&m.board, 0, 0x203000, 0x100000,
						    16), SIM_DMA_FAULT);
		assert_int_equal(last_fault(&m).reason, SIM_FAULT_PERMISSION);
		assert_true(last_fault(&m).write);
		assert_int_equal(src[0], 1);

		/* After unmap the IOTLB must not serve the old translation. */
		assert_int_equal(iommu_unmap(d0, 0x203000, 4096), 4096);
		assert_int_equal(sim_board_dma_copy(&m.board, 0, 0x100000, 0x203000,
						    16), SIM_DMA_FAULT);
		assert_int_equal(last_fault(&m).reason, SIM_FAULT_TRANSLATION);

		iommu_detach_group(m.devs[0].group);
		iommu_detach_group(m.devs[1].group);
		assert_int_equal(sim_board_dma_copy(&m.board, 0, 0x100000, 0x100000,
						    16), SIM_DMA_FAULT);
		assert_int_equal(last_fault(&m).reason, SIM_FAULT_ABORT);
		iommu_unmap(d0, 0, 1ULL << 40);
		iommu_unmap(d1, 0, 1ULL << 40);
		iommu_domain_free(d0);
		iommu_domain_free(d1);
		sim_machine_fini(&m);
	}
}

static void test_blocks_and_partial_unmap(void **state)
{
	struct sim_machine m;
	struct iommu_domain *d;
	uint8_t *buf;
	struct sim_iommu_stats before;

	sim_machine_init(&m, 1, SIM_IOMMU_FMT_LPAE_S1, false);
	d = iommu_domain_alloc_paging(&m.devs[0], 0);
	assert_int_equal(iommu_attach_group(d, m.devs[0].group), 0);
	/* 4 MiB at a 2M-aligned physical address: two 2M blocks. */
	buf = m.user + 0x200000;
	assert_int_equal(sim_pa(&m, buf) % 0x200000, 0);
	assert_int_equal(iommu_map(d, 0x40000000, sim_pa(&m, buf), 0x400000,
				   IOMMU_READ | IOMMU_WRITE), 0);
	/* Copy within the mapping, across the two blocks. */
	memset(buf, 0xab, 0x1000);
	assert_int_equal(sim_board_dma_copy(&m.board, 0, 0x40000000,
					    0x40000000 + 0x1ff800, 0x1000),
			 SIM_DMA_DONE);
	assert_int_equal(buf[0x1ff800], 0xab);
	assert_int_equal(buf[0x2007ff], 0xab);
	/* The IOTLB serves repeats. */
	before = sim_iommu_stats(m.board.iommu);
	assert_int_equal(sim_board_dma_copy(&m.board, 0, 0x40000000,
					    0x40000000 + 0x1ff800, 0x1000),
			 SIM_DMA_DONE);
	assert_true(sim_iommu_stats(m.board.iommu).tlb_hits > before.tlb_hits);

	/* Cut one page out of the first block. */
	assert_int_equal(iommu_unmap(d, 0x40000000 + 0x100000, 0x1000), 0x1000);
	assert_int_equal(sim_board_dma_copy(&m.board, 0, 0x40000000,
					    0x40000000 + 0x100000, 16),
			 SIM_DMA_FAULT);
	assert_int_equal(sim_board_dma_copy(&m.board, 0, 0x40000000,
					    0x40000000 + 0x101000, 16),
			 SIM_DMA_DONE);
	assert_int_equal(iommu_iova_to_phys(d, 0x40000000 + 0xff000),
			 sim_pa(&m, buf) + 0xff000);
	iommu_detach_group(m.devs[0].group);
	iommu_unmap(d, 0, 1ULL << 40);
	iommu_domain_free(d);
	sim_machine_fini(&m);
}

static void test_dirty_pages(void **state)
{
	struct sim_machine m;
	struct iommu_domain *d;
	uint64_t words[8];
	struct iova_bitmap bm;
	uint8_t *buf;

	sim_machine_init(&m, 1, SIM_IOMMU_FMT_LPAE_S1, false);
	assert_true(device_iommu_capable(&m.devs[0], IOMMU_CAP_DIRTY_TRACKING));
	d = iommu_domain_alloc_paging(&m.devs[0], IOMMU_DOMAIN_F_DIRTY);
	assert_false(IS_ERR_OR_NULL(d));
	assert_non_null(d->ops->read_and_clear_dirty);
	assert_int_equal(iommu_attach_group(d, m.devs[0].group), 0);
	buf = m.user + 0x400000;
	assert_int_equal(iommu_map(d, 0x10000000, sim_pa(&m, buf), 0x40000,
				   IOMMU_READ | IOMMU_WRITE), 0);
	assert_int_equal(d->ops->set_dirty_tracking(d, true), 0);
	/* Enabling starts clean: read and clear once. */
	memset(words, 0, sizeof(words));
	iova_bitmap_init(&bm, 0x10000000, 0x40000, 12, words);
	d->ops->read_and_clear_dirty(d, 0x10000000, 0x40000, 0, &bm);
	memset(words, 0, sizeof(words));
	d->ops->read_and_clear_dirty(d, 0x10000000, 0x40000, 0, &bm);
	assert_int_equal(words[0], 0);

	/* The engine reads page 0 and writes pages 5 and 6 (one copy that
	 * straddles them) and page 63. */
	assert_int_equal(sim_board_dma_copy(&m.board, 0, 0x10000000,
					    0x10000000 + 5 * 4096 + 100, 4096),
			 SIM_DMA_DONE);
	assert_int_equal(sim_board_dma_copy(&m.board, 0, 0x10000000,
					    0x10000000 + 63 * 4096, 8),
			 SIM_DMA_DONE);
	memset(words, 0, sizeof(words));
	d->ops->read_and_clear_dirty(d, 0x10000000, 0x40000, 0, &bm);
	assert_int_equal(words[0], (1ULL << 5) | (1ULL << 6) | (1ULL << 63));
	/* Cleaned: a second read reports nothing, a new write shows up. */
	memset(words, 0, sizeof(words));
	d->ops->read_and_clear_dirty(d, 0x10000000, 0x40000, 0, &bm);
	assert_int_equal(words[0], 0);
	assert_int_equal(sim_board_dma_copy(&m.board, 0, 0x10000000,
					    0x10000000 + 5 * 4096, 8),
			 SIM_DMA_DONE);
	memset(words, 0, sizeof(words));
	d->ops->read_and_clear_dirty(d, 0x10000000, 0x40000, 0, &bm);
	assert_int_equal(words[0], 1ULL << 5);

	iommu_detach_group(m.devs[0].group);
	iommu_unmap(d, 0, 1ULL << 40);
	iommu_domain_free(d);

	/* S2 and zPCI domains have no dirty tracking. */
	sim_machine_fini(&m);
	sim_machine_init(&m, 1, SIM_IOMMU_FMT_ZPCI, false);
	assert_false(device_iommu_capable(&m.devs[0], IOMMU_CAP_DIRTY_TRACKING));
	d = iommu_domain_alloc_paging(&m.devs[0], IOMMU_DOMAIN_F_DIRTY);
	assert_true(IS_ERR(d));
	assert_int_equal(PTR_ERR(d), -EOPNOTSUPP);
	sim_machine_fini(&m);
}

static void test_shared_group_moves_together(void **state)
{
	struct sim_machine m;
	struct iommu_domain *d;

	sim_machine_init(&m, 2, SIM_IOMMU_FMT_LPAE_S1, true);
	assert_ptr_equal(m.devs[0].group, m.devs[1].group);
	d = iommu_domain_alloc_paging(&m.devs[0], 0);
	assert_int_equal(iommu_attach_group(d, m.devs[0].group), 0);
	assert_ptr_equal(m.devs[1].domain, d);
	assert_int_equal(d->users, 2);
	assert_int_equal(iommu_map(d, 0x1000, sim_pa(&m, m.user), 4096,
				   IOMMU_READ | IOMMU_WRITE), 0);
	assert_int_equal(sim_board_dma_copy(&m.board, 1, 0x1000, 0x1800, 16),
			 SIM_DMA_DONE);
	iommu_detach_group(m.devs[0].group);
	assert_null(m.devs[1].domain);
	assert_int_equal(d->users, 0);
	iommu_unmap(d, 0, 1ULL << 40);
	iommu_domain_free(d);
	sim_machine_fini(&m);
}

static void test_pgsize_choice(void **state)
{
	uint64_t bm = SZ_4K | SZ_2M | SZ_1G;
	size_t count;

	/* Aligned and long: 1G leaves. */
	assert_int_equal(io_pgtable_pgsize(bm, SZ_1G, 2 * SZ_1G, 3 * SZ_1G, &count),
			 SZ_1G);
	assert_int_equal(count, 3);
	/* 4K pages up to the next 2M boundary, then larger. */
	assert_int_equal(io_pgtable_pgsize(bm, 0x1ff000, 0x3ff000, 0x400000, &count),
			 SZ_4K);
	assert_int_equal(count, 1);
	/* Incongruent addresses never reach 2M. */
	assert_int_equal(io_pgtable_pgsize(bm, 0x1ff000, 0x3fe000, 0x400000, &count),
			 SZ_4K);
	assert_int_equal(count, 0x400);
	/* Short: 2M. */
	assert_int_equal(io_pgtable_pgsize(bm, 0, 0, 0x3fffffff, &count), SZ_2M);
	assert_int_equal(count, 511);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deny_by_default),
		cmocka_unit_test(test_translate_and_isolate),
		cmocka_unit_test(test_blocks_and_partial_unmap),
		cmocka_unit_test(test_dirty_pages),
		cmocka_unit_test(test_shared_group_moves_together),
		cmocka_unit_test(test_pgsize_choice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
