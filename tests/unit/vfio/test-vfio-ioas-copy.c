// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IOMMU_IOAS_COPY across address spaces (the spec's ioas_copy): two
 * partitions on one iommufd object share a memory window. The second
 * partition's container takes the window from the first one's IOAS with
 * a copy, so its pages are not looked up in the user's memory map again
 * (the bytes translated are counted below the line), its DMA reaches the
 * same memory, survives the first partition going away, and nothing
 * stale is ever copied. With x-ioas-copy=off every byte is looked up
 * again.
 */
#include "vfio-partition.h"
#include <partita/option.h>

#define RAM      (4ULL << 20)
#define SHARED   (1ULL << 20)
#define SHM_OFF  (16ULL << 20)      /* in the board's user memory */
#define B_RAM_OFF (8ULL << 20)
#define A_SHM    0x800000ULL        /* the window in A */
#define B_SHM    0x1000000ULL       /* and in B */

struct two {
	struct part p;                  /* partition A: p.as */
	struct iommufd_backend *be;
	MemoryRegion shm_a, shm_b, root_b, ram_b;
	AddressSpace as_b;
	struct vfio_device da, db;
	uint8_t *shm;
};

static void two_init(struct two *t, bool copy)
{
	struct opts *o;

	memset(t, 0, sizeof(*t));
	part_init(&t->p, 2, RAM);
	o = opts_parse(copy ? "iommufd,id=iommufd0" :
		       "iommufd,id=iommufd0,x-ioas-copy=off", "qom-type",
		       &error_abort);
	t->be = iommufd_backend_create_opts(&t->p.reg, o, &error_abort);
	opts_free(o);
	assert_int_equal(t->be->ioas_copy, copy);
	t->shm = t->p.m.user + SHM_OFF;
	/* The window in A... */
	assert_true(memory_region_init_ram_ptr(&t->shm_a, &t->p.ctx, "shm",
					       SHARED, t->shm, &error_abort));
	assert_true(memory_region_add_subregion(&t->p.root, A_SHM, &t->shm_a,
						&error_abort));
	/* ...and partition B: its own RAM and the same window. */
	assert_true(memory_region_init(&t->root_b, &t->p.ctx, "p1", UINT64_MAX,
				       &error_abort));
	assert_true(memory_region_init_ram_ptr(&t->ram_b, &t->p.ctx, "p1-ram",
					       RAM, t->p.m.user + B_RAM_OFF,
					       &error_abort));
	assert_true(memory_region_init_ram_ptr(&t->shm_b, &t->p.ctx, "shm",
					       SHARED, t->shm, &error_abort));
	assert_true(memory_region_add_subregion(&t->root_b, 0, &t->ram_b,
						&error_abort));
	assert_true(memory_region_add_subregion(&t->root_b, B_SHM, &t->shm_b,
						&error_abort));
	assert_true(address_space_init(&t->as_b, &t->root_b, "p1", &error_abort));
	part_dev(&t->p, &t->da, "0000:00:01.0", t->be);
	part_dev(&t->p, &t->db, "0000:00:02.0", t->be);
}

static void two_fini(struct two *t)
{
	vfio_detach_device(&t->da);
	vfio_detach_device(&t->db);
	vfio_device_fini(&t->da);
	vfio_device_fini(&t->db);
	address_space_destroy(&t->as_b);
	memory_region_del_subregion(&t->root_b, &t->shm_b, &error_abort);
	memory_region_del_subregion(&t->root_b, &t->ram_b, &error_abort);
	memory_region_finalize(&t->shm_b);
	memory_region_finalize(&t->ram_b);
	memory_region_finalize(&t->root_b);
	if (t->shm_a.container)
		memory_region_del_subregion(&t->p.root, &t->shm_a, &error_abort);
	memory_region_finalize(&t->shm_a);
	assert_true(iommufd_backend_delete(t->be, &error_abort));
	part_fini(&t->p);
}

/* Bytes the layer below looked up while B's device attached. */
static uint64_t attach_b(struct two *t)
{
	uint64_t before = umem_translated_bytes(t->p.m.umem);

	assert_true(vfio_attach_device(&t->p.reg, &t->db, &t->as_b, &error_abort));
	return umem_translated_bytes(t->p.m.umem) - before;
}

static void test_copy_saves_lookups(void **state)
{
	struct two t;
	uint64_t looked_up;
	unsigned long maps;
	(void)state;
	LEAK_CHECK_BEGIN();

	two_init(&t, true);
	assert_true(vfio_attach_device(&t.p.reg, &t.da, &t.p.as, &error_abort));
	assert_int_equal(t.be->ioas_copies, 0);
	maps = t.be->ioas_maps;
	looked_up = attach_b(&t);
	/* B's RAM was mapped; the window was copied from A's IOAS, and only
	 * B's own RAM was looked up. */
	assert_int_equal(t.be->ioas_copies, 1);
	assert_int_equal(t.be->ioas_maps - maps, 1);
	assert_int_equal(looked_up, RAM);
	assert_ptr_not_equal(t.da.bcontainer, t.db.bcontainer);

	/* The copy maps the same memory: B writes the window at its IOVA,
	 * A reads it at its own. */
	memset(t.p.m.user + B_RAM_OFF + 0x1000, 0x6b, 64);
	assert_int_equal(sim_board_dma_copy(&t.p.m.board, 1, 0x1000, B_SHM + 0x100,
					    64), SIM_DMA_DONE);
	assert_int_equal(t.shm[0x100], 0x6b);
	assert_int_equal(sim_board_dma_copy(&t.p.m.board, 0, A_SHM + 0x100,
					    0x2000, 64), SIM_DMA_DONE);
	assert_int_equal(t.p.m.user[PART_RAM_OFFSET + 0x2000], 0x6b);
	/* Only the window is shared: A's IOVA of it is nothing in B, and A's
	 * RAM is not B's. */
	assert_int_equal(sim_board_dma_copy(&t.p.m.board, 1, 0x1000, A_SHM, 4),
			 SIM_DMA_FAULT);

	/* A goes: B keeps the window (the pages stay pinned for it). */
	vfio_detach_device(&t.da);
	memset(t.shm, 0, 0x200);
	assert_int_equal(sim_board_dma_copy(&t.p.m.board, 1, 0x1000, B_SHM + 0x80,
					    16), SIM_DMA_DONE);
	assert_int_equal(t.shm[0x80], 0x6b);
	two_fini(&t);
	LEAK_CHECK_END();
}

static void test_copy_off_looks_up_everything(void **state)
{
	struct two t;
	uint64_t looked_up;
	(void)state;

	two_init(&t, false);
	assert_true(vfio_attach_device(&t.p.reg, &t.da, &t.p.as, &error_abort));
	looked_up = attach_b(&t);
	assert_int_equal(t.be->ioas_copies, 0);
	assert_int_equal(looked_up, RAM + SHARED);
	assert_int_equal(sim_board_dma_copy(&t.p.m.board, 1, 0x1000, B_SHM, 16),
			 SIM_DMA_DONE);
	two_fini(&t);
}

/* A window A no longer maps is never a copy source (its record went with
 * the unmap), so B maps its own. */
static void test_no_stale_source(void **state)
{
	struct two t;
	uint64_t looked_up;
	(void)state;

	two_init(&t, true);
	assert_true(vfio_attach_device(&t.p.reg, &t.da, &t.p.as, &error_abort));
	memory_region_del_subregion(&t.p.root, &t.shm_a, &error_abort);
	looked_up = attach_b(&t);
	assert_int_equal(t.be->ioas_copies, 0);
	assert_int_equal(looked_up, RAM + SHARED);
	/* And A's old IOVA of the window is gone in A. */
	assert_int_equal(sim_board_dma_copy(&t.p.m.board, 0, 0x1000, A_SHM, 4),
			 SIM_DMA_FAULT);
	two_fini(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy_saves_lookups),
		cmocka_unit_test(test_copy_off_looks_up_everything),
		cmocka_unit_test(test_no_stale_source),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
