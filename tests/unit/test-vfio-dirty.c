// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dirty tracking through the VFIO containers: the iommufd container reads
 * the HWPT's dirty bits (exactly the pages a DMA wrote); the legacy one
 * asks type1, which, without page-pinning scope, reports every mapped
 * page dirty ("low efficient", as the spec says of forcing migration on).
 */
#include "sim-machine.h"
#include <partita/errno.h>
#include <partita/vfio/address-space.h>
#include <partita/vfio/device.h>
#include <partita/vfio/iommufd-backend.h>
#include <partita/vfio/registry.h>

struct part {
	struct sim_machine m;
	struct vfio_registry reg;
	MemoryContext ctx;
	MemoryRegion root, ram;
	AddressSpace as;
	struct iommufd_backend *be;
	struct vfio_device dev;
};

static void part_init(struct part *p, bool iommufd)
{
	sim_machine_init(&p->m, 1, SIM_IOMMU_FMT_LPAE_S1, false);
	sim_machine_publish(&p->m);
	vfio_registry_init(&p->reg, p->m.sys);
	memory_context_init(&p->ctx);
	assert_true(memory_region_init(&p->root, &p->ctx, "p0", UINT64_MAX, &error_abort));
	/* 256 KiB of partition RAM: 64 pages, one bitmap word. */
	assert_true(memory_region_init_ram_ptr(&p->ram, &p->ctx, "p0-ram", 0x40000,
					       p->m.user + 0x400000, &error_abort));
	assert_true(memory_region_add_subregion(&p->root, 0, &p->ram, &error_abort));
	assert_true(address_space_init(&p->as, &p->root, "p0", &error_abort));
	p->be = IS_ENABLED(CONFIG_VFIO_IOMMUFD) && iommufd ?
		iommufd_backend_create(&p->reg, "iommufd0", NULL, &error_abort) :
		NULL;
	vfio_device_init(&p->dev, false);
	p->dev.sysfsdev = heap_strdup("/sys/bus/pci/devices/0000:00:01.0");
	p->dev.iommufd = p->be;
	assert_true(vfio_device_get_name(&p->reg, &p->dev, &error_abort));
	assert_true(vfio_attach_device(&p->reg, &p->dev, &p->as, &error_abort));
}

static void part_fini(struct part *p)
{
	vfio_detach_device(&p->dev);
	vfio_device_fini(&p->dev);
	if (IS_ENABLED(CONFIG_VFIO_IOMMUFD) && p->be)
		assert_true(iommufd_backend_delete(p->be, &error_abort));
	address_space_destroy(&p->as);
	memory_region_del_subregion(&p->root, &p->ram, &error_abort);
	memory_region_finalize(&p->ram);
	memory_region_finalize(&p->root);
	memory_context_destroy(&p->ctx);
	sim_machine_fini(&p->m);
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

	part_init(&p, true);
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
	part_fini(&p);
}

static void test_legacy_dirty_everything(void **state)
{
	struct part p;

	part_init(&p, false);
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
	part_fini(&p);
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
