// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stage-2 benchmarks (virt/stage2.c), counted rather than timed where a
 * count is the figure:
 *
 *   1. the entries the stage-2 listener writes to map a partition's RAM
 *      (256 MiB, 1 GiB-aligned and 2 MiB-aligned placements), against
 *      the least possible: one leaf per largest block the alignment of
 *      both addresses allows, and one descriptor per table needed;
 *   2. the time to attach (median of RUNS), for scale.
 */
#include "../bench.h"
#include <partita/compiler.h>
#include <partita/mm/memory.h>
#include <partita/mm/page-alloc.h>
#include <partita/mm/user-mem.h>
#include <partita/virt/stage2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUNS      7
#define MIB       (1ULL << 20)
#define GIB       (1ULL << 30)
#define RAM       (1ULL << 30)                 /* what the host gives */
#define POOL      (8 * MIB)

/* Map size bytes of RAM (physically at pa) at ipa: entries written and
 * the median attach time. */
static void one(const char *what, uint64_t ipa, uint64_t pa_off, uint64_t size,
		uint64_t least)
{
	static void *pool_mem, *ram;
	double t[RUNS];
	uint64_t written = 0;

	if (!pool_mem) {
		pool_mem = aligned_alloc(4096, POOL);
		ram = aligned_alloc(GIB, RAM);     /* untouched: mapped, not used */
		if (!pool_mem || !ram) {
			puts("out of memory");
			exit(1);
		}
	}
	for (int r = 0; r < RUNS; r++) {
		struct page_pool pool;
		struct umem *um = umem_create();
		MemoryContext ctx;
		MemoryRegion root, mr;
		AddressSpace as;
		struct stage2 s2;
		struct stage2_config cfg;
		double t0;

		page_pool_init(&pool, pool_mem, 0x80000000ULL, POOL, &error_abort);
		umem_add(um, (uint64_t)(uintptr_t)ram, RAM, 0x100000000ULL, UMEM_RAM);
		memory_context_init(&ctx);
		memory_region_init(&root, &ctx, "p", UINT64_MAX, &error_abort);
		address_space_init(&as, &root, "p", &error_abort);
		memory_region_init_ram_ptr(&mr, &ctx, "ram", size,
					   (uint8_t *)ram + pa_off, &error_abort);
		memory_region_add_subregion(&root, ipa, &mr, &error_abort);
		cfg = (struct stage2_config){ .ipa_bits = 40, .pa_bits = 44,
					      .pool = &pool, .um = um };
		stage2_init(&s2, &cfg, &error_abort);
		t0 = bench_now_ns();
		if (!stage2_attach(&s2, &as, &error_abort))
			exit(1);
		t[r] = (bench_now_ns() - t0) / 1000;
		written = stage2_entries_written(&s2);
		stage2_fini(&s2);
		memory_region_del_subregion(&root, &mr, &error_abort);
		memory_region_finalize(&mr);
		address_space_destroy(&as);
		memory_region_finalize(&root);
		memory_context_destroy(&ctx);
		umem_destroy(um);
		page_pool_destroy(&pool);
	}
	printf("stage 2, %s: %llu entries written, least possible %llu; "
	       "attach median %.1f us (%d runs)\n", what,
	       (unsigned long long)written, (unsigned long long)least,
	       bench_median(t, RUNS), RUNS);
	bench_verdict(written == least);
}

int main(void)
{
	/* 256 MiB at a 2 MiB boundary: 128 blocks of 2 MiB; tables at
	 * levels 1 and 2 (level 0 is the root): 2 descriptors. */
	one("256 MiB of RAM in 2 MiB blocks", 0x40000000ULL + 2 * MIB, 2 * MIB,
	    256 * MIB, 128 + 2);
	/* 1 GiB, both addresses 1 GiB aligned: one block; one level-1
	 * table (1 descriptor). */
	one("1 GiB of RAM in one 1 GiB block", 0x40000000ULL, 0, GIB, 1 + 1);
	/* IPA and PA congruent only modulo 4 KiB: 4 KiB pages only. 16 MiB
	 * = 4096 pages from 0x40001000 touch 9 2-MiB ranges: 9 level-3
	 * tables, one level-2 and one level-1 table. */
	one("16 MiB of RAM, misaligned (4 KiB pages)", 0x40001000ULL, 0,
	    16 * MIB, 4096 + 9 + 1 + 1);
	return bench_missed;
}
