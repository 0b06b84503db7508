// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Migration on the VFIO side: enable-migration=auto|on|off with QEMU's
 * blockers and messages, and a pre-copy loop over the dirty bitmaps while
 * a simulated DMA engine keeps writing into the partition. With a
 * dirty-tracking IOMMU (iommufd HWPT) the loop converges on the pages the
 * DMA really wrote; forced on without tracking (legacy, or an IOMMU
 * without dirty bits) every page reads dirty each round ("low
 * efficient") and only the final stop-and-copy gets it right. Either
 * way the copy must equal the source.
 */
#include "vfio-pci-partition.h"
#include <partita/errno.h>

#define NO_HD (SIM_M_IDR_ALL & ~(uint64_t)SIM_IOMMU_IDR_HD)

static const char *blocker(struct pci_part *pp)
{
	const Error *e = vfio_migration_blocked(&pp->p.reg);

	return e ? error_get_pretty(e) : NULL;
}

static void test_auto_on_off_iommufd(void **state)
{
	struct pci_part pp;
	struct vfio_pci_device d, d2;
	Error *err = NULL;

	/* A dirty-tracking IOMMU: nothing blocks. */
	pp_init(&pp, 2);
	assert_true(pp_device(&pp, &d, "host=0000:00:01.0,iommufd=iommufd0",
			      &error_abort));
	assert_true(d.vbase.iommu_dirty_tracking);
	assert_int_equal(d.vbase.migration_flags,
			 VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P);
	assert_null(blocker(&pp));
	vfio_pci_fini(&d);
	/* off: blocked, whatever the hardware can do. */
	assert_true(pp_device(&pp, &d, "host=0000:00:01.0,iommufd=iommufd0,"
			      "enable-migration=off", &error_abort));
	assert_string_equal(blocker(&pp), "0000:00:01.0: Migration is disabled "
			    "for VFIO device");
	vfio_pci_fini(&d);
	assert_null(blocker(&pp));
	/* A device whose state cannot move: blocked with auto, fatal with on. */
	pp.p.m.funcs[0].migration_flags = 0;
	assert_true(pp_device(&pp, &d, "host=0000:00:01.0,iommufd=iommufd0",
			      &error_abort));
	assert_string_equal(blocker(&pp), "0000:00:01.0: VFIO migration is not "
			    "supported in kernel");
	vfio_pci_fini(&d);
	assert_false(pp_device(&pp, &d, "host=0000:00:01.0,iommufd=iommufd0,"
			       "enable-migration=on", &err));
	assert_string_equal(error_get_pretty(err), "vfio 0000:00:01.0: "
			    "0000:00:01.0: VFIO migration is not supported in kernel");
	error_free(err);
	err = NULL;
	vfio_pci_fini(&d);
	assert_null(pp.p.reg.spaces);            /* nothing left attached */
	/* Without STOP_COPY the driver's migration is unusable. */
	pp.p.m.funcs[0].migration_flags = VFIO_MIGRATION_P2P;
	assert_true(pp_device(&pp, &d, "host=0000:00:01.0,iommufd=iommufd0",
			      &error_abort));
	assert_non_null(strstr(blocker(&pp), "0000:00:01.0: Migration couldn't be "
			       "initialized for VFIO device, err: -95 ("));
	vfio_pci_fini(&d);
	/* Two migratable devices, one without P2P. */
	pp.p.m.funcs[0].migration_flags = VFIO_MIGRATION_STOP_COPY;
	assert_true(pp_device(&pp, &d, "host=0000:00:01.0,iommufd=iommufd0",
			      &error_abort));
	assert_null(blocker(&pp));
	assert_true(pp_device(&pp, &d2, "host=0000:00:02.0,iommufd=iommufd0",
			      &error_abort));
	assert_string_equal(blocker(&pp), "Multiple VFIO devices migration is "
			    "supported only if all of them support P2P migration");
	vfio_pci_fini(&d2);
	assert_false(pp_device(&pp, &d2, "host=0000:00:02.0,iommufd=iommufd0,"
			       "enable-migration=on", &err));
	assert_string_equal(error_get_pretty(err), "vfio 0000:00:02.0: Multiple "
			    "VFIO devices migration is supported only if all of "
			    "them support P2P migration");
	error_free(err);
	vfio_pci_fini(&d2);
	vfio_pci_fini(&d);
	pp_fini(&pp);
}

/* No way to track DMA: auto blocks; on warns and goes ahead. */
static void no_tracking(struct pci_part *pp, const char *backend)
{
	struct vfio_pci_device d;
	char props[96];

	snprintf(props, sizeof(props), "host=0000:00:01.0%s", backend);
	assert_true(pp_device(pp, &d, props, &error_abort));
	assert_false(d.vbase.iommu_dirty_tracking);
	assert_string_equal(blocker(pp), "0000:00:01.0: VFIO device doesn't "
			    "support device and IOMMU dirty tracking");
	vfio_pci_fini(&d);
	part_clear_log(&pp->p);
	snprintf(props, sizeof(props), "host=0000:00:01.0%s,enable-migration=on",
		 backend);
	assert_true(pp_device(pp, &d, props, &error_abort));
	assert_null(blocker(pp));
	assert_non_null(strstr(pp->p.cap.buf, "partita: warning: 0000:00:01.0: VFIO "
			       "device doesn't support device and IOMMU dirty "
			       "tracking\n"));
	vfio_pci_fini(&d);
}

static void test_no_tracking_legacy(void **state)
{
	struct pci_part pp;

	pp_init(&pp, 1);
	no_tracking(&pp, "");
	pp_fini(&pp);
}

static void test_no_tracking_iommufd_without_hd(void **state)
{
	struct pci_part pp;

	pp_init_idr(&pp, 1, 4 << 20, NO_HD);
	no_tracking(&pp, ",iommufd=iommufd0");
	pp_fini(&pp);
}

/* ---- the pre-copy loop ----------------------------------------------------- */

#define MIG_RAM    0x40000ULL                   /* 64 pages */
#define MIG_PAGES  (MIG_RAM >> 12)
#define HOT_PAGES  8
#define MAX_ROUNDS 10

struct precopy_result {
	bool converged;
	unsigned rounds;
	uint64_t pages_copied;
	uint64_t max_dirty;                  /* the most one sync reported */
};

static void copy_pages(uint8_t *dst, const uint8_t *src, const uint64_t *map,
		       uint64_t *copied)
{
	for (uint64_t p = 0; p < MIG_PAGES; p++)
		if (map[p / 64] >> (p % 64) & 1) {
			memcpy(dst + p * 4096, src + p * 4096, 4096);
			(*copied)++;
		}
}

static uint64_t weight(const uint64_t *map)
{
	uint64_t n = 0;

	for (uint64_t p = 0; p < MIG_PAGES; p++)
		n += map[p / 64] >> (p % 64) & 1;
	return n;
}

/* Pre-copy, then stop-and-copy, of the partition's RAM into dest while
 * engine 0 keeps writing 4 random hot pages per round (reading a cold
 * page, so reads must not count as dirty). */
static struct precopy_result precopy(struct pci_part *pp,
				     struct vfio_pci_device *d, uint8_t *dest)
{
	struct vfio_address_space *space = d->vbase.bcontainer->space;
	uint8_t *src = pp->p.m.user + PART_RAM_OFFSET;
	struct precopy_result r = { 0 };
	uint64_t map[(MIG_PAGES + 63) / 64], seed = 7;

	for (uint64_t i = 0; i < MIG_RAM; i++)
		src[i] = (uint8_t)(i * 31 + 1);
	assert_true(vfio_migration_log_start(space, &error_abort));
	/* Round 0: everything. */
	memcpy(dest, src, MIG_RAM);
	r.pages_copied = MIG_PAGES;
	for (r.rounds = 1; r.rounds <= MAX_ROUNDS; r.rounds++) {
		uint64_t dirty;

		/* The device runs on. */
		for (int w = 0; w < 4; w++) {
			uint64_t page = 48 + test_rand_below(&seed, HOT_PAGES);
			uint64_t from = test_rand_below(&seed, 32);

			assert_int_equal(sim_board_dma_copy(&pp->p.m.board, 0,
							    from * 4096 + 64 * w,
							    page * 4096 + 128 * r.rounds,
							    256), SIM_DMA_DONE);
		}
		memset(map, 0, sizeof(map));
		assert_true(vfio_migration_log_sync(space, map, MIG_PAGES,
						    &error_abort));
		dirty = weight(map);
		if (dirty > r.max_dirty)
			r.max_dirty = dirty;
		copy_pages(dest, src, map, &r.pages_copied);
		if (dirty <= HOT_PAGES) {
			r.converged = true;
			break;
		}
	}
	/* Stop the device (it writes once more before it stops), then the
	 * final sync and copy. */
	assert_int_equal(sim_board_dma_copy(&pp->p.m.board, 0, 0, 50 * 4096, 512),
			 SIM_DMA_DONE);
	memset(map, 0, sizeof(map));
	assert_true(vfio_migration_log_sync(space, map, MIG_PAGES, &error_abort));
	copy_pages(dest, src, map, &r.pages_copied);
	vfio_migration_log_stop(space);
	/* Whatever the tracker, the copy is the source. */
	assert_memory_equal(dest, src, MIG_RAM);
	return r;
}

static void test_precopy_converges_iommufd(void **state)
{
	struct pci_part pp;
	struct vfio_pci_device d;
	uint8_t *dest = malloc(MIG_RAM);
	struct precopy_result r;

	pp_init_idr(&pp, 1, MIG_RAM, SIM_M_IDR_ALL);
	assert_true(pp_device(&pp, &d, "host=0000:00:01.0,iommufd=iommufd0",
			      &error_abort));
	r = precopy(&pp, &d, dest);
	/* Exactly what the DMA wrote: at most 4 pages a round. */
	assert_true(r.converged);
	assert_int_equal(r.rounds, 1);
	assert_true(r.max_dirty >= 1 && r.max_dirty <= 4);
	assert_true(r.pages_copied <= MIG_PAGES + 4 + 1);
	vfio_pci_fini(&d);
	pp_fini(&pp);
	free(dest);
}

/* Forced on, every page dirty every round: never converges. */
static void everything_dirty(struct pci_part *pp, const char *props)
{
	struct vfio_pci_device d;
	uint8_t *dest = malloc(MIG_RAM);
	struct precopy_result r;

	assert_true(pp_device(pp, &d, props, &error_abort));
	r = precopy(pp, &d, dest);
	assert_false(r.converged);
	assert_int_equal(r.max_dirty, MIG_PAGES);
	assert_int_equal(r.pages_copied, MIG_PAGES * (MAX_ROUNDS + 2));
	vfio_pci_fini(&d);
	free(dest);
}

static void test_precopy_forced_legacy(void **state)
{
	struct pci_part pp;

	pp_init_idr(&pp, 1, MIG_RAM, SIM_M_IDR_ALL);
	everything_dirty(&pp, "host=0000:00:01.0,enable-migration=on");
	pp_fini(&pp);
}

static void test_precopy_forced_iommufd_without_hd(void **state)
{
	struct pci_part pp;

	pp_init_idr(&pp, 1, MIG_RAM, NO_HD);
	everything_dirty(&pp, "host=0000:00:01.0,iommufd=iommufd0,"
			 "enable-migration=on");
	pp_fini(&pp);
}

int main(void)
{
	struct CMUnitTest tests[8];
	size_t n = 0;

	if (IS_ENABLED(CONFIG_VFIO_IOMMUFD)) {
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_auto_on_off_iommufd);
		tests[n++] = (struct CMUnitTest)
			cmocka_unit_test(test_no_tracking_iommufd_without_hd);
		tests[n++] = (struct CMUnitTest)
			cmocka_unit_test(test_precopy_converges_iommufd);
		tests[n++] = (struct CMUnitTest)
			cmocka_unit_test(test_precopy_forced_iommufd_without_hd);
	}
	if (IS_ENABLED(CONFIG_VFIO_LEGACY)) {
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_no_tracking_legacy);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_precopy_forced_legacy);
	}
	return _cmocka_run_group_tests("test-vfio-migration", tests, n, NULL, NULL);
}
