// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Arm LPAE IO page tables, 4 KiB granule: stage 1 (SMMU context
 * descriptors) and stage 2 (stream table entries). Tables are 512
 * little-endian 64-bit descriptors; a level-1 or -2 leaf is a block
 * (1 GiB, 2 MiB), a level-3 leaf a 4 KiB page. Descriptor layout from the
 * Arm ARM (DDI 0487, D8.3) as Linux's io-pgtable-arm.c uses it.
 *
 * Dirty tracking (stage 1, IO_PGTABLE_QUIRK_ARM_HD) is the DBM scheme:
 * a writable leaf carries DBM; "clean" is DBM + read-only; the SMMU makes
 * it writable again on the first write, and that is "dirty".
 */
#include <partita/byteorder.h>
#include <partita/compiler.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/iova-bitmap.h>
#include <partita/mm/page-alloc.h>
#include <partita/mm/pgtable/io-pgtable.h>
#include <string.h>

#define LPAE_GRANULE_SHIFT  12
#define LPAE_BITS_PER_LEVEL 9
#define LPAE_ENTRIES        512
#define LPAE_MAX_LEVELS     4

#define PTE_VALID           (1ULL << 0)
#define PTE_TYPE_MASK       3ULL
#define PTE_TYPE_BLOCK      1ULL
#define PTE_TYPE_TABLE      3ULL
#define PTE_TYPE_PAGE       3ULL
#define PTE_ADDR_MASK       0x0000fffffffff000ULL

#define PTE_ATTRINDX_SHIFT  2
#define PTE_AP_UNPRIV       (1ULL << 6)
#define PTE_AP_RDONLY       (1ULL << 7)
#define PTE_SH_OS           (2ULL << 8)
#define PTE_SH_IS           (3ULL << 8)
#define PTE_AF              (1ULL << 10)
#define PTE_NG              (1ULL << 11)
#define PTE_DBM             (1ULL << 51)
#define PTE_XN              (1ULL << 54)

#define PTE_HAP_READ        (1ULL << 6)   /* stage 2 */
#define PTE_HAP_WRITE       (1ULL << 7)
#define PTE_MEMATTR_OIWB    (0xfULL << 2)
#define PTE_MEMATTR_NC      (0x5ULL << 2)
#define PTE_MEMATTR_DEV     (0x1ULL << 2)

#define MAIR_IDX_NC         0
#define MAIR_IDX_CACHE      1
#define MAIR_IDX_DEV        2
#define MAIR_VALUE          (0x44ULL | (0xffULL << 8) | (0x04ULL << 16))

/* TCR-style fields of the programmed configuration. */
#define TCR_IRGN0_WBWA      (1ULL << 8)
#define TCR_ORGN0_WBWA      (1ULL << 10)
#define TCR_SH0_IS          (3ULL << 12)
#define TCR_IPS_SHIFT       32
#define TCR_HA              (1ULL << 39)
#define TCR_HD              (1ULL << 40)
#define VTCR_SL0_SHIFT      6
#define VTCR_PS_SHIFT       16

struct arm_lpae {
	struct io_pgtable iop;
	unsigned start_level;
	unsigned pgd_bits;
	uint64_t *pgd;
	size_t table_pages;
};

static struct arm_lpae *to_lpae(struct io_pgtable_ops *ops)
{
	return container_of(io_pgtable_ops_to_pgtable(ops), struct arm_lpae,
			    iop);
}

static unsigned level_shift(unsigned lvl)
{
	return LPAE_GRANULE_SHIFT + LPAE_BITS_PER_LEVEL * (3 - lvl);
}

static uint64_t level_size(unsigned lvl)
{
	return 1ULL << level_shift(lvl);
}

static unsigned level_entries(const struct arm_lpae *d, unsigned lvl)
{
	return lvl == d->start_level ? 1u << d->pgd_bits : LPAE_ENTRIES;
}

static unsigned pte_index(const struct arm_lpae *d, uint64_t iova,
			  unsigned lvl)
{
	return (unsigned)(iova >> level_shift(lvl)) & (level_entries(d, lvl) - 1);
}

static uint64_t pte_read(const uint64_t *p)
{
	return le64_to_cpu(*(const volatile uint64_t *)p);
}

static void pte_store(uint64_t *p, uint64_t v)
{
	*(volatile uint64_t *)p = cpu_to_le64(v);
}

static void pte_set(struct arm_lpae *d, uint64_t *p, uint64_t v)
{
	pte_store(p, v);
	d->iop.pte_writes++;
}

static bool pte_is_leaf(uint64_t pte, unsigned lvl)
{
	if (lvl == 3)
		return (pte & PTE_TYPE_MASK) == PTE_TYPE_PAGE;
	return (pte & PTE_TYPE_MASK) == PTE_TYPE_BLOCK;
}

static uint64_t *pte_table(struct arm_lpae *d, uint64_t pte)
{
	return phys_to_page(d->iop.cfg.pool, pte & PTE_ADDR_MASK);
}

static uint64_t *table_alloc(struct arm_lpae *d)
{
	uint64_t *t = page_alloc(d->iop.cfg.pool, 0);

	if (t)
		d->table_pages++;
	return t;
}

static void table_free(struct arm_lpae *d, uint64_t *table, unsigned lvl)
{
	if (lvl < 3) {
		for (unsigned i = 0; i < level_entries(d, lvl); i++) {
			uint64_t pte = pte_read(&table[i]);

			if ((pte & PTE_VALID) && !pte_is_leaf(pte, lvl))
				table_free(d, pte_table(d, pte), lvl + 1);
		}
	}
	page_free(d->iop.cfg.pool, table, 0);
	d->table_pages--;
}

/* No leaf anywhere below: only empty tables, left behind by unmaps. */
static bool table_empty(struct arm_lpae *d, uint64_t *table, unsigned lvl)
{
	for (unsigned i = 0; i < level_entries(d, lvl); i++) {
		uint64_t pte = pte_read(&table[i]);

		if (!(pte & PTE_VALID))
			continue;
		if (pte_is_leaf(pte, lvl) ||
		    !table_empty(d, pte_table(d, pte), lvl + 1))
			return false;
	}
	return true;
}

static uint64_t prot_to_pte(const struct arm_lpae *d, int prot, unsigned lvl)
{
	uint64_t pte = PTE_AF | (lvl == 3 ? PTE_TYPE_PAGE : PTE_TYPE_BLOCK);

	if (d->iop.fmt == ARM_64_LPAE_S2) {
		if (prot & IOMMU_READ)
			pte |= PTE_HAP_READ;
		if (prot & IOMMU_WRITE)
			pte |= PTE_HAP_WRITE;
		if (prot & IOMMU_MMIO)
			pte |= PTE_MEMATTR_DEV;
		else if (prot & IOMMU_CACHE)
			pte |= PTE_MEMATTR_OIWB;
		else
			pte |= PTE_MEMATTR_NC;
	} else {
		unsigned idx = MAIR_IDX_NC;

		pte |= PTE_NG | PTE_AP_UNPRIV;
		if (!(prot & IOMMU_WRITE))
			pte |= PTE_AP_RDONLY;
		else if (d->iop.cfg.quirks & IO_PGTABLE_QUIRK_ARM_HD)
			pte |= PTE_DBM;     /* writable and dirty until cleaned */
		if (prot & IOMMU_MMIO)
			idx = MAIR_IDX_DEV;
		else if (prot & IOMMU_CACHE)
			idx = MAIR_IDX_CACHE;
		pte |= (uint64_t)idx << PTE_ATTRINDX_SHIFT;
	}
	pte |= (prot & IOMMU_CACHE) ? PTE_SH_IS : PTE_SH_OS;
	if (prot & IOMMU_NOEXEC)
		pte |= PTE_XN;
	return pte;
}

/* The table at level target that holds iova, making tables on the way.
 * -EEXIST when a block already covers iova above target. */
static int walk_alloc(struct arm_lpae *d, uint64_t iova, unsigned target,
		      uint64_t **out)
{
	uint64_t *table = d->pgd;

	for (unsigned lvl = d->start_level; lvl < target; lvl++) {
		uint64_t *ptep = &table[pte_index(d, iova, lvl)];
		uint64_t pte = pte_read(ptep);

		if (!(pte & PTE_VALID)) {
			uint64_t *next = table_alloc(d);

			if (!next)
				return -ENOMEM;
			pte = page_to_phys(d->iop.cfg.pool, next) | PTE_TYPE_TABLE;
			pte_set(d, ptep, pte);
		} else if (pte_is_leaf(pte, lvl)) {
			return -EEXIST;
		}
		table = pte_table(d, pte);
	}
	*out = table;
	return 0;
}

static int install_leaf(struct arm_lpae *d, uint64_t *ptep, unsigned lvl,
			uint64_t iova, uint64_t leaf)
{
	uint64_t old = pte_read(ptep);

	if (old & PTE_VALID) {
		uint64_t *sub;

		if (pte_is_leaf(old, lvl))
			return -EEXIST;
		/* A table left empty by earlier unmaps gives way to the
		 * block; one still mapping something does not. */
		sub = pte_table(d, old);
		if (!table_empty(d, sub, lvl + 1))
			return -EEXIST;
		pte_set(d, ptep, 0);
		d->iop.cfg.tlb->tlb_flush_walk(iova, level_size(lvl), SZ_4K,
					       d->iop.cookie);
		table_free(d, sub, lvl + 1);
	}
	pte_set(d, ptep, leaf);
	return 0;
}

static int level_for_size(size_t pgsize)
{
	switch (pgsize) {
	case SZ_4K: return 3;
	case SZ_2M: return 2;
	case SZ_1G: return 1;
	default: return -1;
	}
}

static int lpae_map_pages(struct io_pgtable_ops *ops, uint64_t iova,
			  uint64_t paddr, size_t pgsize, size_t pgcount,
			  int prot, size_t *mapped)
{
	struct arm_lpae *d = to_lpae(ops);
	const struct io_pgtable_cfg *cfg = &d->iop.cfg;
	int lvl = level_for_size(pgsize);
	uint64_t attrs, len;

	if (lvl < 0 || !(pgsize & cfg->pgsize_bitmap) || !pgcount ||
	    ((iova | paddr) & (pgsize - 1)))
		return -EINVAL;
	if (!(prot & (IOMMU_READ | IOMMU_WRITE)))
		return -EINVAL;
	len = (uint64_t)pgsize * pgcount;
	if (len / pgsize != pgcount || iova + len - 1 < iova ||
	    ((iova + len - 1) >> cfg->ias) || paddr + len - 1 < paddr ||
	    ((paddr + len - 1) >> cfg->oas))
		return -ERANGE;
	attrs = prot_to_pte(d, prot, (unsigned)lvl);
	while (pgcount) {
		uint64_t *table;
		unsigned idx, n;
		int ret = walk_alloc(d, iova, (unsigned)lvl, &table);

		if (ret)
			return ret;
		idx = pte_index(d, iova, (unsigned)lvl);
		n = level_entries(d, (unsigned)lvl) - idx;
		if (n > pgcount)
			n = (unsigned)pgcount;
		for (unsigned i = 0; i < n; i++) {
			ret = install_leaf(d, &table[idx + i], (unsigned)lvl, iova,
					   paddr | attrs);
			if (ret)
				return ret;
			*mapped += pgsize;
			iova += pgsize;
			paddr += pgsize;
		}
		pgcount -= n;
	}
	return 0;
}

/* Replace the block at *ptep (level lvl) by a table of next-level leaves
 * mapping the same memory the same way. */
static int split_block(struct arm_lpae *d, uint64_t *ptep, unsigned lvl,
		       uint64_t blk)
{
	uint64_t *t = table_alloc(d);
	uint64_t pa = blk & PTE_ADDR_MASK;
	uint64_t attrs = blk & ~(PTE_ADDR_MASK | PTE_TYPE_MASK);
	uint64_t type = lvl + 1 == 3 ? PTE_TYPE_PAGE : PTE_TYPE_BLOCK;
	uint64_t step = level_size(lvl + 1);

	if (!t)
		return -ENOMEM;
	for (unsigned i = 0; i < LPAE_ENTRIES; i++)
		pte_set(d, &t[i], (pa + i * step) | attrs | type);
	pte_set(d, ptep, page_to_phys(d->iop.cfg.pool, t) | PTE_TYPE_TABLE);
	return 0;
}

static size_t lpae_unmap_pages(struct io_pgtable_ops *ops, uint64_t iova,
			       size_t pgsize, size_t pgcount,
			       struct iommu_iotlb_gather *gather)
{
	struct arm_lpae *d = to_lpae(ops);
	const struct io_pgtable_cfg *cfg = &d->iop.cfg;
	int target = level_for_size(pgsize);
	size_t done = 0;

	if (target < 0 || !(pgsize & cfg->pgsize_bitmap) || (iova & (pgsize - 1)))
		return 0;
	while (pgcount) {
		uint64_t *table = d->pgd;
		unsigned idx, n, i;

		for (unsigned lvl = d->start_level; lvl < (unsigned)target; lvl++) {
			uint64_t *ptep = &table[pte_index(d, iova, lvl)];
			uint64_t pte = pte_read(ptep);

			if (!(pte & PTE_VALID))
				return done;
			if (pte_is_leaf(pte, lvl)) {
				/* Cutting a block: it becomes a table first. */
				if (split_block(d, ptep, lvl, pte))
					return done;
				pte = pte_read(ptep);
			}
			table = pte_table(d, pte);
		}
		idx = pte_index(d, iova, (unsigned)target);
		n = level_entries(d, (unsigned)target) - idx;
		if (n > pgcount)
			n = (unsigned)pgcount;
		for (i = 0; i < n; i++) {
			uint64_t *ptep = &table[idx + i];
			uint64_t pte = pte_read(ptep);

			if (!(pte & PTE_VALID))
				break;
			pte_set(d, ptep, 0);
			if (!pte_is_leaf(pte, (unsigned)target)) {
				cfg->tlb->tlb_flush_walk(iova, pgsize, SZ_4K,
							 d->iop.cookie);
				table_free(d, pte_table(d, pte), (unsigned)target + 1);
			} else {
				cfg->tlb->tlb_add_page(gather, iova, pgsize,
						       d->iop.cookie);
			}
			iova += pgsize;
			done += pgsize;
		}
		if (i < n)
			break;
		pgcount -= n;
	}
	return done;
}

static uint64_t lpae_iova_to_phys(struct io_pgtable_ops *ops, uint64_t iova)
{
	struct arm_lpae *d = to_lpae(ops);
	uint64_t *table = d->pgd;

	if (iova >> d->iop.cfg.ias)
		return 0;
	for (unsigned lvl = d->start_level; lvl <= 3; lvl++) {
		uint64_t pte = pte_read(&table[pte_index(d, iova, lvl)]);

		if (!(pte & PTE_VALID))
			return 0;
		if (pte_is_leaf(pte, lvl))
			return (pte & PTE_ADDR_MASK) | (iova & (level_size(lvl) - 1));
		table = pte_table(d, pte);
	}
	return 0;
}

/* Whether a last-level table may hold a dirty page: one pass over its
 * 512 entries without a branch per entry, instead of testing each, so
 * that the walk runs near memory speed. A page is dirty when valid, a
 * page, DBM and not read-only: those bits are moved onto DBM's and
 * and-ed. Little-endian hosts take 4 entries at a time (GCC's vector
 * extension: SSE2 on x86-64, NEON on arm64). The next table is
 * prefetched a line at a time: a CPU's prefetcher stops at the page's
 * end, and tables are pages. A plain read suffices: the entries are
 * looked at again, one by one, only when this says so. */
static bool table_may_be_dirty(const uint64_t *table, const uint64_t *next)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	typedef uint64_t v4 __attribute__((vector_size(32), aligned(8)));
	v4 any = { 0 };

	for (unsigned i = 0; i < LPAE_ENTRIES; i += 8) {
		v4 a, b;

		if (next)
			__builtin_prefetch(next + i);
		memcpy(&a, table + i, sizeof(a));
		memcpy(&b, table + i + 4, sizeof(b));
		any |= (a & (a << 51) & (a << 50) & ~(a << 44)) |
		       (b & (b << 51) & (b << 50) & ~(b << 44));
	}
	return (any[0] | any[1] | any[2] | any[3]) & PTE_DBM;
#else
	uint64_t any = 0;

	(void)next;
	for (unsigned i = 0; i < LPAE_ENTRIES; i++) {
		uint64_t pte = le64_to_cpu(table[i]);

		any |= pte & (pte << 51) & (pte << 50) & ~(pte << 44);
	}
	return any & PTE_DBM;
#endif
}

/* The table entry i + 1 of table points to, if any (for prefetching). */
static const uint64_t *next_table(struct arm_lpae *d, const uint64_t *table,
				  unsigned i, unsigned entries, unsigned lvl)
{
	uint64_t pte;

	if (i + 1 >= entries)
		return NULL;
	pte = le64_to_cpu(table[i + 1]);
	return (pte & PTE_VALID) && !pte_is_leaf(pte, lvl) ? pte_table(d, pte) :
	       NULL;
}

/* Visit the leaves of table (level lvl, covering from base) that
 * intersect [start, last]. */
static void dirty_walk(struct arm_lpae *d, uint64_t *table, unsigned lvl,
		       uint64_t base, uint64_t start, uint64_t last,
		       unsigned flags, struct iommu_dirty_bitmap *dirty,
		       const uint64_t *next)
{
	uint64_t size = level_size(lvl);
	unsigned first = pte_index(d, start > base ? start : base, lvl);
	unsigned entries = level_entries(d, lvl);

	if (lvl == 3 && lvl != d->start_level && !table_may_be_dirty(table, next))
		return;                     /* nothing to set or clean */
	for (unsigned i = first; i < entries; i++) {
		uint64_t iova = base + (uint64_t)i * size;
		uint64_t pte;

		if (iova > last)
			break;
		pte = pte_read(&table[i]);
		if (!(pte & PTE_VALID))
			continue;
		if (!pte_is_leaf(pte, lvl)) {
			dirty_walk(d, pte_table(d, pte), lvl + 1, iova, start, last,
				   flags, dirty,
				   next_table(d, table, i, entries, lvl));
			continue;
		}
		if ((pte & (PTE_DBM | PTE_AP_RDONLY)) != PTE_DBM)
			continue;
		if (dirty->bitmap)
			iova_bitmap_set(dirty->bitmap, iova, size);
		if (!(flags & IOMMU_DIRTY_NO_CLEAR)) {
			pte_set(d, &table[i], pte | PTE_AP_RDONLY);
			d->iop.cfg.tlb->tlb_add_page(dirty->gather, iova, size,
						     d->iop.cookie);
		}
	}
}

static int lpae_read_and_clear_dirty(struct io_pgtable_ops *ops,
				     uint64_t iova, size_t size, unsigned flags,
				     struct iommu_dirty_bitmap *dirty)
{
	struct arm_lpae *d = to_lpae(ops);
	uint64_t last = iova + size - 1;

	if (!size || last < iova || (last >> d->iop.cfg.ias))
		return -EINVAL;
	dirty_walk(d, d->pgd, d->start_level, 0, iova, last, flags, dirty, NULL);
	return 0;
}

static uint64_t ips_bits(unsigned oas)
{
	static const unsigned sizes[] = { 32, 36, 40, 42, 44, 48 };

	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++)
		if (oas <= sizes[i])
			return i;
	return 5;
}

struct io_pgtable *arm_lpae_alloc(enum io_pgtable_fmt fmt,
				  struct io_pgtable_cfg *cfg, void *cookie)
{
	struct arm_lpae *d;
	unsigned levels;
	uint64_t pgd_pa;

	if (cfg->ias < 32 || cfg->ias > 48 || cfg->oas < 32 || cfg->oas > 48 ||
	    !(cfg->pgsize_bitmap & SZ_4K) || !cfg->tlb || !cfg->pool)
		return NULL;
	if ((cfg->quirks & IO_PGTABLE_QUIRK_ARM_HD) && fmt != ARM_64_LPAE_S1)
		return NULL;
	d = heap_zalloc(sizeof(*d));
	if (!d)
		return NULL;
	levels = (cfg->ias - LPAE_GRANULE_SHIFT + LPAE_BITS_PER_LEVEL - 1) /
		 LPAE_BITS_PER_LEVEL;
	d->start_level = LPAE_MAX_LEVELS - levels;
	d->pgd_bits = cfg->ias - LPAE_GRANULE_SHIFT -
		      LPAE_BITS_PER_LEVEL * (levels - 1);
	d->iop.fmt = fmt;
	d->iop.cookie = cookie;
	d->iop.cfg = *cfg;
	d->iop.cfg.pgsize_bitmap &= SZ_4K | SZ_2M | SZ_1G;
	d->pgd = table_alloc(d);
	if (!d->pgd) {
		heap_free(d);
		return NULL;
	}
	pgd_pa = page_to_phys(cfg->pool, d->pgd);
	if (fmt == ARM_64_LPAE_S1) {
		d->iop.cfg.arm_lpae_s1.ttbr = pgd_pa;
		d->iop.cfg.arm_lpae_s1.tcr = (64 - cfg->ias) | TCR_IRGN0_WBWA |
			TCR_ORGN0_WBWA | TCR_SH0_IS |
			(ips_bits(cfg->oas) << TCR_IPS_SHIFT) |
			((cfg->quirks & IO_PGTABLE_QUIRK_ARM_HD) ? TCR_HA | TCR_HD : 0);
		d->iop.cfg.arm_lpae_s1.mair = MAIR_VALUE;
	} else {
		d->iop.cfg.arm_lpae_s2.vttbr = pgd_pa;
		d->iop.cfg.arm_lpae_s2.vtcr = (64 - cfg->ias) | TCR_IRGN0_WBWA |
			TCR_ORGN0_WBWA | TCR_SH0_IS |
			((uint64_t)(2 - (int)d->start_level) << VTCR_SL0_SHIFT) |
			(ips_bits(cfg->oas) << VTCR_PS_SHIFT);
	}
	d->iop.ops.map_pages = lpae_map_pages;
	d->iop.ops.unmap_pages = lpae_unmap_pages;
	d->iop.ops.iova_to_phys = lpae_iova_to_phys;
	if (cfg->quirks & IO_PGTABLE_QUIRK_ARM_HD)
		d->iop.ops.read_and_clear_dirty = lpae_read_and_clear_dirty;
	*cfg = d->iop.cfg;
	return &d->iop;
}

void arm_lpae_free(struct io_pgtable *iop)
{
	struct arm_lpae *d = container_of(iop, struct arm_lpae, iop);

	table_free(d, d->pgd, d->start_level);
	heap_free(d);
}

size_t arm_lpae_table_pages(struct io_pgtable *iop)
{
	return container_of(iop, struct arm_lpae, iop)->table_pages;
}
