/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IO page tables: the in-memory translation tables an IOMMU walks, built
 * and edited in the hardware's own format and byte order, in pages from a
 * page pool (so their physical addresses are what the IOMMU is given).
 *
 * Formats: Arm LPAE stage 1 and stage 2 (4 KiB granule, 4K/2M/1G leaves)
 * and the s390 zPCI DMA translation tables (4 KiB pages). The hardware
 * driver owns TLB maintenance; the tables tell it what to invalidate
 * through io_pgtable_tlb_ops, and nothing is ever left half-changed: a
 * failed map returns how much it did map so the caller can undo it.
 *
 * The shape follows Linux's io-pgtable; the code is Partita's.
 */
#ifndef PARTITA_IO_PGTABLE_H
#define PARTITA_IO_PGTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct page_pool;
struct iova_bitmap;

/* Mapping permissions and attributes. */
#define IOMMU_READ      (1 << 0)
#define IOMMU_WRITE     (1 << 1)
#define IOMMU_CACHE     (1 << 2)    /* normal write-back memory */
#define IOMMU_NOEXEC    (1 << 3)
#define IOMMU_MMIO      (1 << 4)    /* device memory (a peer's BAR) */

#define SZ_4K  0x1000ULL
#define SZ_2M  0x200000ULL
#define SZ_1G  0x40000000ULL

/* The page size to map the next piece of [iova, iova + size) with, to
 * paddr, from the sizes in pgsize_bitmap (Linux's iommu_pgsize rule: the
 * largest within the remaining length and the alignment of both
 * addresses), and how many of them at once: up to where a larger size
 * could take over. Every user of the tables picks leaves with it (the
 * IOMMU core's map and unmap, a partition's stage 2). iova, paddr and
 * size must be aligned to the smallest size of the bitmap (size > 0). */
static inline size_t io_pgtable_pgsize(uint64_t pgsize_bitmap, uint64_t iova,
				       uint64_t paddr, uint64_t size,
				       size_t *count)
{
	uint64_t addr_merge = iova | paddr;
	uint64_t pgsizes, pgsize, next;
	unsigned idx;

	/* Sizes the hardware has, no larger than what is left... */
	pgsizes = pgsize_bitmap & (~0ULL >> __builtin_clzll(size));
	/* ...nor than both addresses' alignment. */
	if (addr_merge)
		pgsizes &= (addr_merge & -addr_merge) * 2 - 1;
	idx = 63u - (unsigned)__builtin_clzll(pgsizes);
	pgsize = 1ULL << idx;
	*count = (size_t)(size >> idx);

	/* If a larger size exists and the addresses are congruent modulo
	 * it, stop at its next boundary so the next call can use it. */
	next = pgsize_bitmap & ~((pgsize << 1) - 1);
	if (next) {
		uint64_t next_size = next & -next;
		uint64_t offset = next_size - (addr_merge & (next_size - 1));

		if (!((iova ^ paddr) & (next_size - 1)) &&
		    offset + next_size <= size)
			*count = (size_t)(offset >> idx);
	}
	return (size_t)pgsize;
}

/* The range of IOVAs whose leaves a TLB invalidation must cover. */
struct iommu_iotlb_gather {
	uint64_t start;
	uint64_t end;          /* inclusive; start > end: empty */
	size_t pgsize;
};

static inline void iommu_iotlb_gather_init(struct iommu_iotlb_gather *g)
{
	g->start = UINT64_MAX;
	g->end = 0;
	g->pgsize = 0;
}

/* The hardware driver's TLB maintenance. */
struct io_pgtable_tlb_ops {
	/* Drop every cached translation of this table. */
	void (*tlb_flush_all)(void *cookie);
	/* A table was unhooked: drop walk caches covering [iova, +size). */
	void (*tlb_flush_walk)(uint64_t iova, size_t size, size_t granule,
			       void *cookie);
	/* A leaf was removed or changed: queue it for the next sync. */
	void (*tlb_add_page)(struct iommu_iotlb_gather *gather, uint64_t iova,
			     size_t granule, void *cookie);
};

enum io_pgtable_fmt {
	ARM_64_LPAE_S1,
	ARM_64_LPAE_S2,
	S390_ZPCI_DAT,
};

/* io_pgtable_cfg.quirks */
#define IO_PGTABLE_QUIRK_ARM_HD (1u << 0)   /* hardware dirty bit (DBM) */

struct io_pgtable_cfg {
	uint64_t pgsize_bitmap;     /* in: sizes the IOMMU allows; out: used */
	unsigned ias, oas;          /* input and output address bits */
	unsigned quirks;
	const struct io_pgtable_tlb_ops *tlb;
	struct page_pool *pool;     /* where tables come from */

	/* Out: what the hardware is programmed with. */
	union {
		struct {
			uint64_t ttbr;      /* root table */
			uint64_t tcr;       /* TCR-style fields: T0SZ, TG0, SH, ORGN... */
			uint64_t mair;
		} arm_lpae_s1;
		struct {
			uint64_t vttbr;
			uint64_t vtcr;      /* T0SZ, SL0, TG0, SH, ORGN, IRGN, PS */
		} arm_lpae_s2;
		struct {
			uint64_t iota;      /* origin | type, as zpci_register_ioat */
		} s390;
	};
};

/* GET_DIRTY_BITMAP: keep the hardware dirty state. */
#define IOMMU_DIRTY_NO_CLEAR (1u << 0)

/* Where read_and_clear_dirty reports (bitmap NULL: clean only), and what
 * it must invalidate. */
struct iommu_dirty_bitmap {
	struct iova_bitmap *bitmap;
	struct iommu_iotlb_gather *gather;
};

struct io_pgtable_ops {
	/* Map pgcount pages of pgsize (in cfg.pgsize_bitmap; iova and paddr
	 * aligned to it). Adds what was mapped to *mapped, also on failure.
	 * -EEXIST over an existing leaf, -ENOMEM, -EINVAL, -ERANGE. */
	int (*map_pages)(struct io_pgtable_ops *ops, uint64_t iova,
			 uint64_t paddr, size_t pgsize, size_t pgcount, int prot,
			 size_t *mapped);
	/* Unmap; returns the bytes unmapped (0 when nothing was mapped at
	 * iova). A larger leaf that is cut is split into smaller ones; a
	 * table covering the range goes whole. */
	size_t (*unmap_pages)(struct io_pgtable_ops *ops, uint64_t iova,
			      size_t pgsize, size_t pgcount,
			      struct iommu_iotlb_gather *gather);
	/* The physical address iova maps to, or 0. */
	uint64_t (*iova_to_phys)(struct io_pgtable_ops *ops, uint64_t iova);
	/* Report dirty leaves in [iova, iova + size) and, unless
	 * IOMMU_DIRTY_NO_CLEAR, make them clean again. NULL if the format
	 * has no dirty tracking. */
	int (*read_and_clear_dirty)(struct io_pgtable_ops *ops, uint64_t iova,
				    size_t size, unsigned flags,
				    struct iommu_dirty_bitmap *dirty);
};

struct io_pgtable {
	enum io_pgtable_fmt fmt;
	void *cookie;
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops ops;
	uint64_t pte_writes;        /* entries stored, for benchmarks */
};

/* New empty tables in cfg->pool. NULL when the configuration is not one
 * the format supports or memory is short. cfg is updated in place. */
struct io_pgtable_ops *alloc_io_pgtable_ops(enum io_pgtable_fmt fmt,
					    struct io_pgtable_cfg *cfg,
					    void *cookie);
/* Free every table (the caller has invalidated the TLB). */
void free_io_pgtable_ops(struct io_pgtable_ops *ops);

static inline struct io_pgtable *io_pgtable_ops_to_pgtable(
	struct io_pgtable_ops *ops)
{
	return (struct io_pgtable *)((char *)ops -
				     __builtin_offsetof(struct io_pgtable, ops));
}

/* Pages handed out by the format's tables (for tests and benchmarks). */
size_t io_pgtable_table_pages(struct io_pgtable_ops *ops);

/* Per-format constructors, called by alloc_io_pgtable_ops. */
struct io_pgtable *arm_lpae_alloc(enum io_pgtable_fmt fmt,
				  struct io_pgtable_cfg *cfg, void *cookie);
struct io_pgtable *s390_dat_alloc(struct io_pgtable_cfg *cfg, void *cookie);

/* Each format's teardown and table count, reached through the fmt. */
void arm_lpae_free(struct io_pgtable *iop);
void s390_dat_free(struct io_pgtable *iop);
size_t arm_lpae_table_pages(struct io_pgtable *iop);
size_t s390_dat_table_pages(struct io_pgtable *iop);

#endif
