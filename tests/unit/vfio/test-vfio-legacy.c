// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The VFIO side with the legacy backend, end to end on the simulated
 * board: groups found through sysfs, a type1 container per address
 * space, the listener mapping the partition, device fds from the group.
 */
#include "vfio-partition.h"
#include <partita/errno.h>

/* A second partition beside the fixture's. */
struct part2 {
	MemoryRegion root, ram;
	AddressSpace as;
};

static void part2_init(struct part *p, struct part2 *q)
{
	assert_true(memory_region_init(&q->root, &p->ctx, "p1", UINT64_MAX, &error_abort));
	assert_true(memory_region_init_ram_ptr(&q->ram, &p->ctx, "p1-ram", 1 << 20,
					       p->m.user + 0x900000, &error_abort));
	assert_true(memory_region_add_subregion(&q->root, 0, &q->ram, &error_abort));
	assert_true(address_space_init(&q->as, &q->root, "p1", &error_abort));
}

static void part2_fini(struct part2 *q)
{
	address_space_destroy(&q->as);
	memory_region_del_subregion(&q->root, &q->ram, &error_abort);
	memory_region_finalize(&q->ram);
	memory_region_finalize(&q->root);
}

static void test_attach_map_dma(void **state)
{
	struct part p;
	struct vfio_device d0, d1;
	uint8_t *ram;

	part_init(&p, 2, 4 << 20);
	ram = p.m.user + 0x400000;
	part_dev(&p, &d0, "0000:00:01.0", NULL);
	assert_true(vfio_attach_device(&p.reg, &d0, &p.as, &error_abort));
	assert_string_equal(d0.bcontainer->backend, "legacy");
	assert_int_equal(d0.bcontainer->pgsizes, SZ_4K | SZ_2M | SZ_1G);
	assert_int_equal(d0.bcontainer->dma_max_mappings, 65535);
	assert_int_equal(d0.bcontainer->iova_ranges.n, 2);
	assert_true(d0.bcontainer->dirty_pages_supported);
	assert_int_equal(d0.info.num_irqs, VFIO_PCI_NUM_IRQS);
	memset(ram + 0x1000, 0x24, 16);
	assert_int_equal(sim_board_dma_copy(&p.m.board, 0, 0x1000, 0x2000, 16),
			 SIM_DMA_DONE);
	assert_int_equal(ram[0x2000], 0x24);
	/* Group 2 (the second device) joins the same container. */
	part_dev(&p, &d1, "0000:00:02.0", NULL);
	assert_true(vfio_attach_device(&p.reg, &d1, &p.as, &error_abort));
	assert_ptr_equal(d1.bcontainer, d0.bcontainer);
	assert_int_equal(sim_board_dma_copy(&p.m.board, 1, 0x1000, 0x3000, 16),
			 SIM_DMA_DONE);
	assert_int_equal(ram[0x3000], 0x24);
	/* The same device twice. */
	{
		struct vfio_device again;
		Error *err = NULL;

		part_dev(&p, &again, "0000:00:01.0", NULL);
		assert_false(vfio_attach_device(&p.reg, &again, &p.as, &err));
		assert_string_equal(error_get_pretty(err), "device is already attached");
		error_free(err);
		vfio_device_fini(&again);
	}
	vfio_detach_device(&d0);
	assert_int_equal(sim_board_dma_copy(&p.m.board, 0, 0x1000, 0x2000, 4),
			 SIM_DMA_FAULT);
	assert_int_equal(sim_board_dma_copy(&p.m.board, 1, 0x1000, 0x3000, 4),
			 SIM_DMA_DONE);
	vfio_detach_device(&d1);
	vfio_device_fini(&d0);
	vfio_device_fini(&d1);
	part_fini(&p);
}

static void test_p2p_with_legacy(void **state)
{
	struct part p;
	struct vfio_device d0;
	MemoryRegion bar;
	void *bar_mem = aligned_alloc(4096, 4096);

	part_init(&p, 2, 4 << 20);
	part_dev(&p, &d0, "0000:00:01.0", NULL);
	assert_true(vfio_attach_device(&p.reg, &d0, &p.as, &error_abort));
	/* Engine 1's registers as a BAR of the partition: type1 maps device
	 * memory, so engine 0 can reach them (peer-to-peer), no warning. */
	assert_int_equal(umem_add(p.m.umem, (uint64_t)(uintptr_t)bar_mem, 0x1000,
				  SIM_BOARD_DMA_BASE + 0x1000, UMEM_IO), 0);
	assert_true(memory_region_init_ram_device_ptr(&bar, &p.ctx, "bar0", 0x1000,
						      bar_mem, &error_abort));
	part_clear_log(&p);
	assert_true(memory_region_add_subregion(&p.root, 0x10000000, &bar,
						&error_abort));
	assert_string_equal(p.cap.buf, "");
	address_space_stq_le(&p.m.board.phys, SIM_BOARD_DMA_BASE + 0x1000 +
			     SIM_DMA_REG_DST, 0x55aa);
	assert_int_equal(sim_board_dma_copy(&p.m.board, 0, 0x10000000 + SIM_DMA_REG_DST,
					    0x2000, 2), SIM_DMA_DONE);
	assert_int_equal(p.m.user[0x400000 + 0x2000], 0xaa);
	assert_true(memory_region_del_subregion(&p.root, &bar, &error_abort));
	memory_region_finalize(&bar);
	free(bar_mem);
	vfio_detach_device(&d0);
	vfio_device_fini(&d0);
	part_fini(&p);
}

static void test_group_errors(void **state)
{
	struct part p;
	struct part2 q;
	struct vfio_device d0, d1, other;
	Error *err = NULL;

	part_init(&p, 2, 4 << 20);
	part2_init(&p, &q);
	/* A device of the group bound to an in-image driver. */
	p.m.devs[0].owner = DEVICE_OWNER_KERNEL;
	part_dev(&p, &d0, "0000:00:01.0", NULL);
	assert_false(vfio_attach_device(&p.reg, &d0, &p.as, &err));
	assert_string_equal(error_get_pretty(err), "group 1 is not viable");
	assert_string_equal(error_get_hint(err), "Please ensure all devices within "
			    "the iommu_group are bound to their vfio bus driver.\n");
	error_free(err);
	err = NULL;
	assert_null(p.reg.spaces);
	p.m.devs[0].owner = DEVICE_OWNER_NONE;

	/* One group, one address space. */
	assert_true(vfio_attach_device(&p.reg, &d0, &p.as, &error_abort));
	vfio_device_init(&other, false);
	other.sysfsdev = heap_strdup("/sys/bus/pci/devices/0000:00:01.0");
	other.name = heap_strdup("0000:00:01.0-bis");
	assert_false(vfio_attach_device(&p.reg, &other, &q.as, &err));
	assert_string_equal(error_get_pretty(err),
			    "group 1 used in multiple address spaces");
	error_free(err);
	err = NULL;
	vfio_device_fini(&other);

	/* A second address space gets its own container. */
	part_dev(&p, &d1, "0000:00:02.0", NULL);
	assert_true(vfio_attach_device(&p.reg, &d1, &q.as, &error_abort));
	assert_true(d1.bcontainer != d0.bcontainer);
	/* Each device reaches only its own partition. */
	assert_int_equal(sim_board_dma_copy(&p.m.board, 1, 0x1000, 0x2000, 4),
			 SIM_DMA_DONE);
	assert_int_equal(sim_board_dma_copy(&p.m.board, 1, 0x1000, 0x200000, 4),
			 SIM_DMA_FAULT);
	assert_int_equal(sim_board_dma_copy(&p.m.board, 0, 0x1000, 0x200000, 4),
			 SIM_DMA_DONE);
	vfio_detach_device(&d1);
	vfio_detach_device(&d0);

	/* FD passing is for iommufd only. */
	vfio_device_fini(&d0);
	vfio_device_init(&d0, false);
	assert_true(vfio_device_set_fd(&p.reg, &d0, "5", &error_abort));
	assert_false(vfio_device_get_name(&p.reg, &d0, &err));
	assert_string_equal(error_get_pretty(err),
			    "Use FD passing only with iommufd backend");
	error_free(err);
	vfio_device_fini(&d0);
	vfio_device_fini(&d1);
	part2_fini(&q);
	part_fini(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attach_map_dma),
		cmocka_unit_test(test_p2p_with_legacy),
		cmocka_unit_test(test_group_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
