// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dirty tracking through the VFIO containers: the iommufd container reads
 * the HWPT's dirty bits (exactly the pages a DMA wrote); the legacy one
 * asks type1, which, without page-pinning scope, reports every mapped
 * page dirty ("low efficient", as the spec says of forcing migration on).
 */
#include "vfio-partition.h"
#include <partita/errno.h>

static void dev_part_init(struct part *p, bool iommufd)
{
	part_init(p, 1, 0x40000);
	part_one_device(p, iommufd);
	assert_true(vfio_attach_device(&p->reg, &p->dev, &p->as, &error_abort));
}

static void dev_part_fini(struct part *p)
{
	vfio_detach_device(&p->dev);
	part_one_device_fini(p);
	part_fini(p);
}

static uint64_t query(struct part *p)
{
	uint64_t word = 0;

	assert_int_equal(vfio_container_query_dirty_bitmap(p->dev.bcontainer, &word,
							   0, 0x40000, &error_abort), 0);
	return word;
}

static void test_iommufd_dirty_exact(void **state)
{
	struct part p;

	dev_part_init(&p, true);
	assert_true(p.dev.bcontainer->dirty_pages_supported);
	assert_int_equal(vfio_container_set_dirty_page_tracking(p.dev.bcontainer,
								 true, &error_abort), 0);
	assert_true(p.dev.bcontainer->dirty_tracking);
	assert_int_equal(query(&p), 0);
	/* Pages 3 and 40 written; page 0 only read. */
	assert_int_equal(sim_board_dma_copy(&p.m.board, 0, 0, 3 * 4096, 16),
			 SIM_DMA_DONE);
	assert_int_equal(sim_board_dma_copy(&p.m.board, 0, 0, 40 * 4096, 16),
			 SIM_DMA_DONE);
	assert_int_equal(query(&p), (1ULL << 3) | (1ULL << 40));
	assert_int_equal(query(&p), 0);            /* read and cleared */
	assert_int_equal(vfio_container_set_dirty_page_tracking(p.dev.bcontainer,
								 false, &error_abort), 0);
	assert_false(p.dev.bcontainer->dirty_tracking);
	dev_part_fini(&p);
}

static void test_legacy_dirty_everything(void **state)
{
	struct part p;

	dev_part_init(&p, false);
	assert_true(p.dev.bcontainer->dirty_pages_supported);
	assert_int_equal(vfio_container_set_dirty_page_tracking(p.dev.bcontainer,
								 true, &error_abort), 0);
	/* Nothing written, yet all 64 pages read as dirty. */
	assert_int_equal(query(&p), ~0ULL);
	assert_int_equal(vfio_container_set_dirty_page_tracking(p.dev.bcontainer,
								 false, &error_abort), 0);
	{
		uint64_t word;
		Error *err = NULL;

		assert_int_equal(vfio_container_query_dirty_bitmap(p.dev.bcontainer,
								   &word, 0, 0x40000,
								   &err), -1);
		assert_string_equal(error_get_pretty(err), "Failed to get dirty bitmap "
				    "for iova: 0x0 size: 0x40000: Invalid argument");
		error_free(err);
	}
	dev_part_fini(&p);
}

int main(void)
{
	struct CMUnitTest tests[2];
	size_t n = 0;

	if (IS_ENABLED(CONFIG_VFIO_IOMMUFD))
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_iommufd_dirty_exact);
	if (IS_ENABLED(CONFIG_VFIO_LEGACY))
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_legacy_dirty_everything);
	return _cmocka_run_group_tests("test-vfio-dirty", tests, n, NULL, NULL);
}
