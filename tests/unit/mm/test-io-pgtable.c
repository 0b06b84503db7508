// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IO page tables, checked through the ops and, independently, by decoding
 * the raw table memory byte by byte the way the hardware reads it (little
 * endian for Arm, big endian for s390), so a byte-order slip fails here
 * on every host and in the s390x run.
 */
#include "test-helpers.h"
#include <partita/iova-bitmap.h>
#include <partita/mm/page-alloc.h>
#include <partita/mm/pgtable/io-pgtable.h>
#include <errno.h>

#define POOL_BYTES (8u << 20)
#define PHYS_BASE 0x80000000ULL

static unsigned char *pool_mem;
static struct page_pool pool;

struct tlb_log {
	unsigned flush_all, flush_walk, add_page;
	uint64_t last_walk_iova;
};
static struct tlb_log tlb;

static void t_flush_all(void *cookie) { tlb.flush_all++; }
static void t_flush_walk(uint64_t iova, size_t size, size_t granule, void *c)
{
	tlb.flush_walk++;
	tlb.last_walk_iova = iova;
}
static void t_add_page(struct iommu_iotlb_gather *g, uint64_t iova,
		       size_t granule, void *c)
{
	tlb.add_page++;
	if (iova < g->start)
		g->start = iova;
	if (iova + granule - 1 > g->end || g->start == iova)
		g->end = iova + granule - 1 > g->end ? iova + granule - 1 : g->end;
}
static const struct io_pgtable_tlb_ops tlb_ops = {
	t_flush_all, t_flush_walk, t_add_page,
};

static int setup(void **state)
{
	pool_mem = aligned_alloc(4096, POOL_BYTES);
	assert_non_null(pool_mem);
	assert_true(page_pool_init(&pool, pool_mem, PHYS_BASE, POOL_BYTES,
				   &error_abort));
	memset(&tlb, 0, sizeof(tlb));
	return 0;
}

static int teardown(void **state)
{
	/* Every table went back to the pool. */
	assert_int_equal(page_pool_free_pages(&pool), pool.npages);
	page_pool_destroy(&pool);
	free(pool_mem);
	return 0;
}

static struct io_pgtable_ops *make(enum io_pgtable_fmt fmt, unsigned quirks,
				   struct io_pgtable_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G;
	cfg->ias = fmt == S390_ZPCI_DAT ? 42 : 48;
	cfg->oas = 48;
	cfg->quirks = quirks;
	cfg->tlb = &tlb_ops;
	cfg->pool = &pool;
	return alloc_io_pgtable_ops(fmt, cfg, NULL);
}

/* ---- an independent reader of the raw tables -------------------------- */

static uint64_t raw_le64(uint64_t pa)
{
	const unsigned char *p = phys_to_page(&pool, pa);
	uint64_t v = 0;

	assert_non_null(p);
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint64_t raw_be64(uint64_t pa)
{
	const unsigned char *p = phys_to_page(&pool, pa);
	uint64_t v = 0;

	assert_non_null(p);
	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

/* Walk LPAE 4K/48-bit from ttbr: the leaf descriptor and its size. */
static uint64_t lpae_leaf(uint64_t ttbr, uint64_t iova, uint64_t *size)
{
	uint64_t table = ttbr;

	for (int lvl = 0; lvl <= 3; lvl++) {
		unsigned shift = 12 + 9 * (3 - lvl);
		uint64_t pte = raw_le64(table + ((iova >> shift) & 511) * 8);

		if (!(pte & 1))
			return 0;
		if (lvl == 3 || (pte & 3) == 1) {
			*size = 1ULL << shift;
			return pte;
		}
		table = pte & 0x0000fffffffff000ULL;
	}
	return 0;
}

/* ---- Arm LPAE --------------------------------------------------------- */

static void test_lpae_s1_map_and_encoding(void **state)
{
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops *ops = make(ARM_64_LPAE_S1, 0, &cfg);
	size_t mapped = 0;
	uint64_t pte, size;

	assert_non_null(ops);
	assert_int_equal(cfg.arm_lpae_s1.ttbr % 4096, 0);
	assert_int_equal(cfg.arm_lpae_s1.tcr & 0x3f, 16);     /* T0SZ */
	assert_int_equal(cfg.pgsize_bitmap, SZ_4K | SZ_2M | SZ_1G);
	assert_int_equal(io_pgtable_table_pages(ops), 1);

	assert_int_equal(ops->map_pages(ops, 0x12345000, 0x40001000, SZ_4K, 1,
					IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE,
					&mapped), 0);
	assert_int_equal(mapped, SZ_4K);
	assert_int_equal(io_pgtable_table_pages(ops), 4);
	assert_int_equal(ops->iova_to_phys(ops, 0x12345abc), 0x40001abc);
	assert_int_equal(ops->iova_to_phys(ops, 0x12346000), 0);

	pte = lpae_leaf(cfg.arm_lpae_s1.ttbr, 0x12345000, &size);
	assert_int_equal(size, SZ_4K);
	assert_int_equal(pte & 0x0000fffffffff000ULL, 0x40001000);
	assert_int_equal(pte & 3, 3);                       /* page */
	assert_true(pte & (1ULL << 10));                    /* AF */
	assert_false(pte & (1ULL << 7));                    /* writable */
	assert_int_equal((pte >> 2) & 7, 1);                /* MAIR cacheable */
	assert_int_equal((pte >> 8) & 3, 3);                /* inner shareable */

	/* Read-only and device memory. */
	mapped = 0;
	assert_int_equal(ops->map_pages(ops, 0x200000, 0x9000000, SZ_4K, 1,
					IOMMU_READ | IOMMU_MMIO, &mapped), 0);
	pte = lpae_leaf(cfg.arm_lpae_s1.ttbr, 0x200000, &size);
	assert_true(pte & (1ULL << 7));
	assert_int_equal((pte >> 2) & 7, 2);

	/* Over an existing leaf, misaligned, no access, out of range. */
	mapped = 0;
	assert_int_equal(ops->map_pages(ops, 0x12344000, 0x50000000, SZ_4K, 3,
					IOMMU_READ, &mapped), -EEXIST);
	assert_int_equal(mapped, SZ_4K);  /* the first page went in */
	assert_int_equal(ops->unmap_pages(ops, 0x12344000, SZ_4K, 1, &(struct iommu_iotlb_gather){ UINT64_MAX, 0, 0 }), SZ_4K);
	assert_int_equal(ops->map_pages(ops, 0x1000, 0x800, SZ_4K, 1, IOMMU_READ,
					&mapped), -EINVAL);
	assert_int_equal(ops->map_pages(ops, 0x1000, 0x1000, SZ_4K, 1, 0,
					&mapped), -EINVAL);
	assert_int_equal(ops->map_pages(ops, 1ULL << 48, 0x1000, SZ_4K, 1,
					IOMMU_READ, &mapped), -ERANGE);
	assert_int_equal(ops->map_pages(ops, 0x3000, 0x1000, 0x3000, 1,
					IOMMU_READ, &mapped), -EINVAL);
	free_io_pgtable_ops(ops);
}

static void test_lpae_blocks_and_split(void **state)
{
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops *ops = make(ARM_64_LPAE_S2, 0, &cfg);
	struct iommu_iotlb_gather g;
	size_t mapped = 0;
	uint64_t pte, size;

	assert_non_null(ops);
	assert_int_equal(ops->map_pages(ops, SZ_1G, 0x80000000, SZ_1G, 1,
					IOMMU_READ | IOMMU_WRITE, &mapped), 0);
	assert_int_equal(io_pgtable_table_pages(ops), 2);   /* L0 + L1 */
	/* One table descriptor and one block: the fewest stores possible. */
	assert_int_equal(io_pgtable_ops_to_pgtable(ops)->pte_writes, 2);
	pte = lpae_leaf(cfg.arm_lpae_s2.vttbr, SZ_1G + 0x1234, &size);
	assert_int_equal(size, SZ_1G);
	assert_int_equal(pte & 3, 1);                       /* block */
	assert_int_equal((pte >> 6) & 3, 3);                /* HAP RW */

	/* Cut one 4K page out of the middle: the block splits twice. */
	iommu_iotlb_gather_init(&g);
	tlb.add_page = 0;
	assert_int_equal(ops->unmap_pages(ops, SZ_1G + 0x12345000, SZ_4K, 1, &g),
			 SZ_4K);
	assert_int_equal(tlb.add_page, 1);
	assert_int_equal(g.start, SZ_1G + 0x12345000);
	assert_int_equal(io_pgtable_table_pages(ops), 4);
	assert_int_equal(ops->iova_to_phys(ops, SZ_1G + 0x12345000), 0);
	assert_int_equal(ops->iova_to_phys(ops, SZ_1G + 0x12344fff),
			 0x80000000 + 0x12344fff);
	assert_int_equal(ops->iova_to_phys(ops, SZ_1G + 0x12346000),
			 0x80000000 + 0x12346000);
	assert_int_equal(ops->iova_to_phys(ops, 2 * SZ_1G - 1),
			 0x80000000 + SZ_1G - 1);
	pte = lpae_leaf(cfg.arm_lpae_s2.vttbr, SZ_1G + 0x200000, &size);
	assert_int_equal(size, SZ_2M);                      /* siblings stay 2M */
	/* The attributes survive the split. */
	assert_int_equal((pte >> 6) & 3, 3);

	/* Unmapping a 2M range that holds 4K pages drops their table. */
	tlb.flush_walk = 0;
	iommu_iotlb_gather_init(&g);
	assert_int_equal(ops->unmap_pages(ops, SZ_1G + 0x12200000, SZ_2M, 1, &g),
			 SZ_2M);
	assert_int_equal(tlb.flush_walk, 1);
	assert_int_equal(io_pgtable_table_pages(ops), 3);
	assert_int_equal(ops->iova_to_phys(ops, SZ_1G + 0x12300000), 0);

	/* Nothing mapped: nothing unmapped. */
	assert_int_equal(ops->unmap_pages(ops, 0x10000000, SZ_4K, 4, &g), 0);

	/* A block may replace a table emptied by unmaps... */
	mapped = 0;
	assert_int_equal(ops->map_pages(ops, SZ_1G + 0x12200000, 0x1000000, SZ_2M,
					1, IOMMU_READ, &mapped), 0);
	/* ...but not a table that still maps something. */
	mapped = 0;
	assert_int_equal(ops->map_pages(ops, 0x200000, 0, SZ_4K, 1, IOMMU_READ,
					&mapped), 0);
	assert_int_equal(ops->map_pages(ops, 0, 0, SZ_1G, 1, IOMMU_READ,
					&mapped), -EEXIST);
	free_io_pgtable_ops(ops);
}

/* The entry of iova in its last-level table, the CPU's view. */
static unsigned char *lpae_pte_ptr(uint64_t ttbr, uint64_t iova)
{
	uint64_t table_pa = ttbr;

	for (int lvl = 0; lvl < 3; lvl++)
		table_pa = raw_le64(table_pa + ((iova >> (12 + 9 * (3 - lvl))) & 511) * 8)
			   & 0x0000fffffffff000ULL;
	return phys_to_page(&pool, table_pa + ((iova >> 12) & 511) * 8);
}

/* A whole clean table is skipped in one pass over it; a dirty entry
 * anywhere in it (its last, here) sends the walk through it entry by
 * entry, which still reports only what is inside the range asked. */
static void test_lpae_dirty_whole_table(void **state)
{
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops *ops = make(ARM_64_LPAE_S1, IO_PGTABLE_QUIRK_ARM_HD,
					  &cfg);
	struct iommu_iotlb_gather g;
	struct iova_bitmap bm;
	struct iommu_dirty_bitmap dirty = { &bm, &g };
	uint64_t words[8];
	size_t mapped = 0;

	(void)state;
	/* 512 pages: one full last-level table over [2M, 4M). */
	assert_int_equal(ops->map_pages(ops, SZ_2M, 0x50000000, SZ_4K, 512,
					IOMMU_READ | IOMMU_WRITE, &mapped), 0);
	iommu_iotlb_gather_init(&g);
	/* Freshly mapped pages are dirty: cleaned first, into no bitmap. */
	assert_int_equal(ops->read_and_clear_dirty(ops, SZ_2M, SZ_2M, 0,
				&(struct iommu_dirty_bitmap){ NULL, &g }), 0);
	memset(words, 0, sizeof(words));
	iova_bitmap_init(&bm, SZ_2M, SZ_2M, 12, words);
	assert_int_equal(ops->read_and_clear_dirty(ops, SZ_2M, SZ_2M, 0, &dirty), 0);
	for (int w = 0; w < 8; w++)
		assert_int_equal(words[w], 0);           /* all clean now */
	/* The SMMU writes the table's last page. */
	*lpae_pte_ptr(cfg.arm_lpae_s1.ttbr, 2 * SZ_2M - SZ_4K) &=
		(unsigned char)~0x80;
	/* Asked for the table's first 8 pages only: nothing. */
	memset(words, 0, sizeof(words));
	iova_bitmap_init(&bm, SZ_2M, 8 * SZ_4K, 12, words);
	assert_int_equal(ops->read_and_clear_dirty(ops, SZ_2M, 8 * SZ_4K,
						   IOMMU_DIRTY_NO_CLEAR, &dirty), 0);
	assert_int_equal(words[0], 0);
	/* The whole table: its last bit. */
	memset(words, 0, sizeof(words));
	iova_bitmap_init(&bm, SZ_2M, SZ_2M, 12, words);
	assert_int_equal(ops->read_and_clear_dirty(ops, SZ_2M, SZ_2M, 0, &dirty), 0);
	for (int w = 0; w < 7; w++)
		assert_int_equal(words[w], 0);
	assert_int_equal(words[7], 1ULL << 63);
	free_io_pgtable_ops(ops);
}

static void test_lpae_dirty_dbm(void **state)
{
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops *ops = make(ARM_64_LPAE_S1, IO_PGTABLE_QUIRK_ARM_HD,
					  &cfg);
	struct iommu_iotlb_gather g;
	struct iova_bitmap bm;
	struct iommu_dirty_bitmap dirty = { &bm, &g };
	/* 4 MiB of IOVA at 4K: 1024 bits = 16 words, at an odd address. */
	unsigned char raw[16 * 8 + 3];
	uint64_t words[16], pte, size;
	size_t mapped = 0;

	assert_non_null(ops);
	assert_non_null(ops->read_and_clear_dirty);
	assert_true(cfg.arm_lpae_s1.tcr & (1ULL << 40));      /* HD */
	/* 2M block RW at 0, 4K pages RW at 2M..2M+16K, one RO page. */
	assert_int_equal(ops->map_pages(ops, 0, 0x40000000, SZ_2M, 1,
					IOMMU_READ | IOMMU_WRITE, &mapped), 0);
	assert_int_equal(ops->map_pages(ops, SZ_2M, 0x50000000, SZ_4K, 4,
					IOMMU_READ | IOMMU_WRITE, &mapped), 0);
	assert_int_equal(ops->map_pages(ops, SZ_2M + 0x10000, 0x60000000, SZ_4K,
					1, IOMMU_READ, &mapped), 0);

#define READ_DIRTY(flags)                                                   \
	do {                                                                \
		memset(raw, 0, sizeof(raw));                                \
		iommu_iotlb_gather_init(&g);                                \
		iova_bitmap_init(&bm, 0, 4 * SZ_2M / 2, 12, raw + 3);       \
		assert_int_equal(ops->read_and_clear_dirty(ops, 0, 2 * SZ_2M, \
							   (flags), &dirty), 0); \
		memcpy(words, raw + 3, sizeof(words));                      \
	} while (0)

	/* Freshly mapped writable leaves count as dirty (DBM, writable). */
	READ_DIRTY(0);
	for (int w = 0; w < 8; w++)
		assert_int_equal(words[w], ~0ULL);        /* the 2M block */
	assert_int_equal(words[8], 0xf);               /* 4 pages, not the RO one */
	for (int w = 9; w < 16; w++)
		assert_int_equal(words[w], 0);
	/* Cleaning made them read-only with DBM: clean now. */
	pte = lpae_leaf(cfg.arm_lpae_s1.ttbr, SZ_2M, &size);
	assert_true(pte & (1ULL << 51));
	assert_true(pte & (1ULL << 7));
	READ_DIRTY(0);
	for (int w = 0; w < 16; w++)
		assert_int_equal(words[w], 0);

	/* The SMMU writes page 2 of the 4K run: it clears AP[2] (bit 7,
	 * little endian). */
	*lpae_pte_ptr(cfg.arm_lpae_s1.ttbr, SZ_2M + 2 * SZ_4K) &=
		(unsigned char)~0x80;
	READ_DIRTY(IOMMU_DIRTY_NO_CLEAR);
	assert_int_equal(words[8], 1ULL << 2);
	READ_DIRTY(0);                                  /* still there: NO_CLEAR */
	assert_int_equal(words[8], 1ULL << 2);
	assert_true(g.start <= SZ_2M + 2 * SZ_4K);      /* cleaning invalidates */
	READ_DIRTY(0);
	assert_int_equal(words[8], 0);
	free_io_pgtable_ops(ops);

	/* Stage 2 has no dirty scheme here. */
	assert_null(make(ARM_64_LPAE_S2, IO_PGTABLE_QUIRK_ARM_HD, &cfg));
	ops = make(ARM_64_LPAE_S2, 0, &cfg);
	assert_null(ops->read_and_clear_dirty);
	free_io_pgtable_ops(ops);
}

/* Random maps and unmaps of 4K/2M/1G leaves in 8 GiB of IOVA, checked
 * against a list of live mappings by translating sampled addresses. */
static void test_lpae_random_against_model(void **state)
{
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops *ops = make(ARM_64_LPAE_S1, 0, &cfg);
	struct { uint64_t iova, pa, len; } live[256];
	size_t nlive = 0;
	uint64_t seed = 99;
	static const uint64_t sizes[] = { SZ_4K, SZ_2M, SZ_1G };

	for (int step = 0; step < 3000; step++) {
		struct iommu_iotlb_gather g;

		iommu_iotlb_gather_init(&g);
		if (nlive && (nlive == 256 || test_rand_below(&seed, 3) == 0)) {
			size_t k = test_rand_below(&seed, nlive);

			assert_int_equal(ops->unmap_pages(ops, live[k].iova, live[k].len,
							  1, &g), live[k].len);
			live[k] = live[--nlive];
		} else {
			uint64_t sz = sizes[test_rand_below(&seed, 3)];
			uint64_t iova = test_rand_below(&seed, 8 * SZ_1G / sz) * sz;
			uint64_t pa = test_rand_below(&seed, (1ULL << 40) / sz) * sz;
			bool overlaps = false;
			size_t mapped = 0;
			int ret;

			for (size_t k = 0; k < nlive; k++)
				if (iova < live[k].iova + live[k].len &&
				    live[k].iova < iova + sz)
					overlaps = true;
			ret = ops->map_pages(ops, iova, pa, sz, 1, IOMMU_READ, &mapped);
			if (overlaps) {
				assert_int_equal(ret, -EEXIST);
				assert_int_equal(mapped, 0);
				continue;
			}
			assert_int_equal(ret, 0);
			live[nlive].iova = iova;
			live[nlive].pa = pa;
			live[nlive++].len = sz;
		}
		for (size_t k = 0; k < nlive; k++) {
			uint64_t off = test_rand_below(&seed, live[k].len);

			assert_int_equal(ops->iova_to_phys(ops, live[k].iova + off),
					 live[k].pa + off);
		}
		for (int probe = 0; probe < 4; probe++) {
			uint64_t a = test_rand_below(&seed, 8 * SZ_1G);
			uint64_t want = 0;

			for (size_t k = 0; k < nlive; k++)
				if (a >= live[k].iova && a < live[k].iova + live[k].len)
					want = live[k].pa + (a - live[k].iova);
			assert_int_equal(ops->iova_to_phys(ops, a), want);
		}
	}
	free_io_pgtable_ops(ops);
}

static void test_lpae_alloc_failures(void **state)
{
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops *ops;
	size_t free_before = page_pool_free_pages(&pool);

	for (unsigned long n = 1; n <= 3; n++) {
		size_t mapped = 0;

		ops = make(ARM_64_LPAE_S1, 0, &cfg);
		alloc_fault_fail_nth(n);
		assert_int_equal(ops->map_pages(ops, 0x40000000, 0, SZ_4K, 1,
						IOMMU_READ, &mapped), -ENOMEM);
		alloc_fault_fail_nth(0);
		assert_int_equal(mapped, 0);
		assert_int_equal(ops->iova_to_phys(ops, 0x40000000), 0);
		free_io_pgtable_ops(ops);
		assert_int_equal(page_pool_free_pages(&pool), free_before);
	}
	alloc_fault_fail_nth(1);
	assert_null(make(ARM_64_LPAE_S1, 0, &cfg));
	alloc_fault_fail_nth(0);
	/* Configurations the format cannot do. */
	memset(&cfg, 0, sizeof(cfg));
	cfg.ias = 52;
	cfg.oas = 48;
	cfg.pgsize_bitmap = SZ_4K;
	cfg.tlb = &tlb_ops;
	cfg.pool = &pool;
	assert_null(alloc_io_pgtable_ops(ARM_64_LPAE_S1, &cfg, NULL));
	cfg.ias = 48;
	cfg.pgsize_bitmap = SZ_2M;
	assert_null(alloc_io_pgtable_ops(ARM_64_LPAE_S1, &cfg, NULL));
	assert_int_equal(page_pool_free_pages(&pool), free_before);
}

/* ---- s390 zPCI -------------------------------------------------------- */

static void test_zpci_tables(void **state)
{
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops *ops = make(S390_ZPCI_DAT, 0, &cfg);
	struct iommu_iotlb_gather g;
	uint64_t iova = (5ULL << 31) | (7ULL << 20) | (9ULL << 12);
	uint64_t rto, rte, ste, pte;
	size_t mapped = 0;

	assert_non_null(ops);
	assert_int_equal(cfg.pgsize_bitmap, SZ_4K);
	rto = cfg.s390.iota & ~0x3fffULL;
	assert_int_equal(cfg.s390.iota & 0x3fff, 0x804);   /* enabled, RTTO */
	/* A new table is all invalid, encoded big-endian. */
	assert_int_equal(raw_be64(rto + 5 * 8), 0x20);

	assert_int_equal(ops->map_pages(ops, iova, 0x7000000, SZ_4K, 2,
					IOMMU_READ | IOMMU_WRITE, &mapped), 0);
	rte = raw_be64(rto + 5 * 8);
	assert_int_equal(rte & 0x3fff, 0x7);                /* RTX, length 3, valid */
	ste = raw_be64((rte & ~0x3fffULL) + 7 * 8);
	assert_int_equal(ste & 0x7ff, 0);                   /* valid, type SX */
	pte = raw_be64((ste & ~0x7ffULL) + 9 * 8);
	assert_int_equal(pte, 0x7000000);                   /* valid, writable */
	assert_int_equal(raw_be64((ste & ~0x7ffULL) + 8 * 8), 0x400);
	assert_int_equal(ops->iova_to_phys(ops, iova + SZ_4K + 5), 0x7001005);

	mapped = 0;
	assert_int_equal(ops->map_pages(ops, 0x1000, 0x2000, SZ_4K, 1,
					IOMMU_READ, &mapped), 0);
	assert_int_equal(ops->map_pages(ops, 0x1000, 0x2000, SZ_4K, 1,
					IOMMU_READ, &mapped), -EEXIST);
	assert_int_equal(ops->map_pages(ops, 0x5000, 0x2000, SZ_4K, 1,
					IOMMU_WRITE, &mapped), -EINVAL);
	assert_int_equal(ops->map_pages(ops, 0x200000, 0x200000, SZ_2M, 1,
					IOMMU_READ, &mapped), -EINVAL);
	assert_int_equal(ops->map_pages(ops, 1ULL << 42, 0, SZ_4K, 1,
					IOMMU_READ, &mapped), -ERANGE);
	{
		uint64_t r = raw_be64(rto), s = raw_be64((r & ~0x3fffULL));

		/* read-only: protected bit */
		assert_int_equal(raw_be64((s & ~0x7ffULL) + 8), 0x2000 | 0x200);
	}

	iommu_iotlb_gather_init(&g);
	assert_int_equal(ops->unmap_pages(ops, iova, SZ_4K, 2, &g), 2 * SZ_4K);
	assert_int_equal(raw_be64((ste & ~0x7ffULL) + 9 * 8), 0x400);
	assert_int_equal(ops->iova_to_phys(ops, iova), 0);
	assert_int_equal(ops->unmap_pages(ops, iova, SZ_4K, 1, &g), 0);
	assert_null(ops->read_and_clear_dirty);
	free_io_pgtable_ops(ops);

	cfg.ias = 48;
	assert_null(alloc_io_pgtable_ops(S390_ZPCI_DAT, &cfg, NULL));
}

/* A whole segment's unmap writes one entry (its segment entry) and gives
 * its page table back; pieces of segments write their leaves; every
 * entry written is one the format needs. */
static void test_zpci_least_writes(void **state)
{
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops *ops = make(S390_ZPCI_DAT, 0, &cfg);
	struct io_pgtable *iop = io_pgtable_ops_to_pgtable(ops);
	struct iommu_iotlb_gather g;
	const uint64_t iova = 0x100000000ULL - 0x2000;   /* two pages short of 4G */
	const size_t pages = 2 + 2 * 256 + 3;            /* 2 MiB + 20 KiB */
	size_t mapped = 0, tables;
	uint64_t w0;

	(void)state;
	w0 = iop->pte_writes;
	tables = io_pgtable_table_pages(ops);
	assert_int_equal(ops->map_pages(ops, iova, 0x7000000, SZ_4K, pages,
					IOMMU_READ | IOMMU_WRITE, &mapped), 0);
	/* The least possible: every leaf; two segment tables (the range
	 * crosses a 2 GiB region at 4 GiB) filled invalid and pointed at;
	 * four page tables filled invalid and pointed at. */
	assert_int_equal(iop->pte_writes - w0,
			 pages + 2 * (2048 + 1) + 4 * (256 + 1));
	assert_int_equal(io_pgtable_table_pages(ops) - tables, 2 * 4 + 4);
	w0 = iop->pte_writes;
	iommu_iotlb_gather_init(&g);
	assert_int_equal(ops->unmap_pages(ops, iova, SZ_4K, pages, &g),
			 pages * SZ_4K);
	/* Two leaves, two whole segments (one entry each), three leaves. */
	assert_int_equal(iop->pte_writes - w0, 2 + 2 + 3);
	assert_int_equal(io_pgtable_table_pages(ops) - tables, 2 * 4 + 2);
	assert_int_equal(g.start, iova);
	assert_int_equal(g.end, iova + pages * SZ_4K - 1);
	for (size_t i = 0; i < pages; i++)
		assert_int_equal(ops->iova_to_phys(ops, iova + i * SZ_4K), 0);
	/* A segment with a hole is not dropped whole: the unmap stops there. */
	mapped = 0;
	assert_int_equal(ops->map_pages(ops, 0x100000000ULL, 0x7000000, SZ_4K, 255,
					IOMMU_READ, &mapped), 0);
	assert_int_equal(ops->unmap_pages(ops, 0x100000000ULL, SZ_4K, 256, &g),
			 255 * SZ_4K);
	/* And a segment dropped whole can be mapped again. */
	mapped = 0;
	assert_int_equal(ops->map_pages(ops, 0x100000000ULL, 0x7000000, SZ_4K, 256,
					IOMMU_READ, &mapped), 0);
	assert_int_equal(ops->iova_to_phys(ops, 0x1000ff000ULL + 4), 0x70ff004);
	free_io_pgtable_ops(ops);
}

/* ---- the bitmap ------------------------------------------------------- */

static void test_iova_bitmap(void **state)
{
	unsigned char raw[8 * 4 + 1];
	uint64_t w[4];
	struct iova_bitmap b;

	memset(raw, 0, sizeof(raw));
	iova_bitmap_init(&b, 0x100000, 256 * 4096, 12, raw + 1);
	iova_bitmap_set(&b, 0x100000 + 3 * 4096, 1);          /* bit 3 */
	iova_bitmap_set(&b, 0x100000 + 62 * 4096, 3 * 4096);  /* 62..64 */
	iova_bitmap_set(&b, 0, 0x100000 + 4096);              /* clipped: bit 0 */
	iova_bitmap_set(&b, 0x100000 + 255 * 4096, SZ_1G);    /* bit 255 */
	iova_bitmap_set(&b, 0x100000 + 256 * 4096, 4096);     /* beyond: none */
	memcpy(w, raw + 1, sizeof(w));
	assert_int_equal(w[0], (1ULL << 0) | (1ULL << 3) | (3ULL << 62));
	assert_int_equal(w[1], 1);
	assert_int_equal(w[2], 0);
	assert_int_equal(w[3], 1ULL << 63);
	assert_int_equal(raw[0], 0);
	assert_int_equal(iova_bitmap_bytes(256 * 4096, 12), 32);
	assert_int_equal(iova_bitmap_bytes(65 * 4096, 12), 16);
	assert_int_equal(iova_bitmap_bytes(4097, 12), 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lpae_s1_map_and_encoding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lpae_blocks_and_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lpae_dirty_dbm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lpae_dirty_whole_table, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_lpae_random_against_model, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lpae_alloc_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zpci_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zpci_least_writes, setup, teardown),
		cmocka_unit_test(test_iova_bitmap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
