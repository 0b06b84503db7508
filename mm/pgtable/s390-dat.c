// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * s390 zPCI DMA translation tables: region-third table (2048 entries,
 * 16 KiB), segment tables (2048 entries, 16 KiB), page tables (256
 * entries, 2 KiB), big-endian 64-bit entries, 4 KiB pages, 42 bits of
 * IOVA. Layout as Linux's arch/s390/include/asm/pci_dma.h describes it.
 *
 * "Valid" is encoded as 0, so a new table is filled with invalid entries,
 * never left zeroed. A page table is 2 KiB; each takes a 4 KiB page of
 * its own here (half unused), which keeps the allocator simple.
 */
#include <partita/byteorder.h>
#include <partita/compiler.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/mm/page-alloc.h>
#include <partita/mm/pgtable/io-pgtable.h>

#define ZPCI_TABLE_ENTRIES      2048
#define ZPCI_PT_ENTRIES         256
#define ZPCI_TABLE_ORDER        2            /* 16 KiB */
#define ZPCI_RT_SHIFT           31
#define ZPCI_ST_SHIFT           20
#define ZPCI_PT_SHIFT           12
#define ZPCI_IAS_MAX            42           /* three levels */

#define ZPCI_TABLE_INVALID      0x20ULL
#define ZPCI_TABLE_PROTECTED    0x200ULL
#define ZPCI_TABLE_TYPE_MASK    0xcULL
#define ZPCI_TABLE_TYPE_RTX     0x4ULL
#define ZPCI_TABLE_TYPE_SX      0x0ULL
#define ZPCI_TABLE_LEN_RTX      0x3ULL
#define ZPCI_RTE_ADDR_MASK      (~0x3fffULL)
#define ZPCI_STE_ADDR_MASK      (~0x7ffULL)
#define ZPCI_PTE_INVALID        0x400ULL
#define ZPCI_PTE_ADDR_MASK      (~0xfffULL)

#define ZPCI_IOTA_IOT_ENABLED   0x800ULL
#define ZPCI_IOTA_DT_RT         (1ULL << 2)  /* region-third table origin */

struct s390_dat {
	struct io_pgtable iop;
	uint64_t *rto;
	size_t table_pages;
};

static struct s390_dat *to_dat(struct io_pgtable_ops *ops)
{
	return container_of(io_pgtable_ops_to_pgtable(ops), struct s390_dat,
			    iop);
}

static uint64_t ent_read(const uint64_t *p)
{
	return be64_to_cpu(*(const volatile uint64_t *)p);
}

static void ent_write(uint64_t *p, uint64_t v)
{
	*(volatile uint64_t *)p = cpu_to_be64(v);
}

static uint64_t *table_new(struct s390_dat *d, unsigned order,
			   unsigned entries, uint64_t invalid)
{
	uint64_t *t = page_alloc(d->iop.cfg.pool, order);

	if (!t)
		return NULL;
	for (unsigned i = 0; i < entries; i++)
		ent_write(&t[i], invalid);
	d->iop.pte_writes += entries;
	d->table_pages += 1u << order;
	return t;
}

static uint64_t *deref(struct s390_dat *d, uint64_t ent, uint64_t mask)
{
	return phys_to_page(d->iop.cfg.pool, ent & mask);
}

/* The page-table entry of iova, making tables when alloc is set. NULL:
 * no table there (alloc clear), or out of memory (alloc set). */
static uint64_t *walk(struct s390_dat *d, uint64_t iova, bool alloc)
{
	uint64_t *rte = &d->rto[(iova >> ZPCI_RT_SHIFT) & (ZPCI_TABLE_ENTRIES - 1)];
	uint64_t ent = ent_read(rte), *ste;
	uint64_t *sto, *pto;

	if (ent & ZPCI_TABLE_INVALID) {
		if (!alloc)
			return NULL;
		sto = table_new(d, ZPCI_TABLE_ORDER, ZPCI_TABLE_ENTRIES,
				ZPCI_TABLE_INVALID);
		if (!sto)
			return NULL;
		ent = (page_to_phys(d->iop.cfg.pool, sto) & ZPCI_RTE_ADDR_MASK) |
		      ZPCI_TABLE_TYPE_RTX | ZPCI_TABLE_LEN_RTX;
		ent_write(rte, ent); d->iop.pte_writes++;
	}
	sto = deref(d, ent, ZPCI_RTE_ADDR_MASK);
	ste = &sto[(iova >> ZPCI_ST_SHIFT) & (ZPCI_TABLE_ENTRIES - 1)];
	ent = ent_read(ste);
	if (ent & ZPCI_TABLE_INVALID) {
		if (!alloc)
			return NULL;
		pto = table_new(d, 0, ZPCI_PT_ENTRIES, ZPCI_PTE_INVALID);
		if (!pto)
			return NULL;
		ent = (page_to_phys(d->iop.cfg.pool, pto) & ZPCI_STE_ADDR_MASK) |
		      ZPCI_TABLE_TYPE_SX;
		ent_write(ste, ent); d->iop.pte_writes++;
	}
	pto = deref(d, ent, ZPCI_STE_ADDR_MASK);
	return &pto[(iova >> ZPCI_PT_SHIFT) & (ZPCI_PT_ENTRIES - 1)];
}

static int dat_map_pages(struct io_pgtable_ops *ops, uint64_t iova,
			 uint64_t paddr, size_t pgsize, size_t pgcount,
			 int prot, size_t *mapped)
{
	struct s390_dat *d = to_dat(ops);
	uint64_t len = (uint64_t)pgsize * pgcount, flags;

	if (pgsize != SZ_4K || !pgcount || ((iova | paddr) & (SZ_4K - 1)))
		return -EINVAL;
	/* zPCI cannot express write-only. */
	if (!(prot & IOMMU_READ))
		return -EINVAL;
	if (iova + len - 1 < iova || ((iova + len - 1) >> d->iop.cfg.ias))
		return -ERANGE;
	flags = (prot & IOMMU_WRITE) ? 0 : ZPCI_TABLE_PROTECTED;
	for (size_t i = 0; i < pgcount; i++) {
		uint64_t *pte = walk(d, iova, true);

		if (!pte)
			return -ENOMEM;
		if (!(ent_read(pte) & ZPCI_PTE_INVALID))
			return -EEXIST;
		ent_write(pte, (paddr & ZPCI_PTE_ADDR_MASK) | flags);
		d->iop.pte_writes++;
		*mapped += SZ_4K;
		iova += SZ_4K;
		paddr += SZ_4K;
	}
	return 0;
}

/* The segment-table entry of iova, or NULL when its region has none. */
static uint64_t *segment_entry(struct s390_dat *d, uint64_t iova)
{
	uint64_t rte = ent_read(&d->rto[(iova >> ZPCI_RT_SHIFT) &
					(ZPCI_TABLE_ENTRIES - 1)]);

	if (rte & ZPCI_TABLE_INVALID)
		return NULL;
	return &deref(d, rte, ZPCI_RTE_ADDR_MASK)[(iova >> ZPCI_ST_SHIFT) &
						  (ZPCI_TABLE_ENTRIES - 1)];
}

/* A whole 1 MiB segment at iova, every page mapped, goes with one write:
 * its segment entry made invalid and its page table freed. */
static bool unmap_segment(struct s390_dat *d, uint64_t iova,
			  struct iommu_iotlb_gather *gather)
{
	uint64_t *ste = segment_entry(d, iova), *pto;

	if (!ste || (ent_read(ste) & ZPCI_TABLE_INVALID))
		return false;
	pto = deref(d, ent_read(ste), ZPCI_STE_ADDR_MASK);
	for (unsigned i = 0; i < ZPCI_PT_ENTRIES; i++)
		if (ent_read(&pto[i]) & ZPCI_PTE_INVALID)
			return false;
	ent_write(ste, ZPCI_TABLE_INVALID);
	d->iop.pte_writes++;
	page_free(d->iop.cfg.pool, pto, 0);
	d->table_pages--;
	d->iop.cfg.tlb->tlb_add_page(gather, iova, 1ULL << ZPCI_ST_SHIFT,
				     d->iop.cookie);
	return true;
}

static size_t dat_unmap_pages(struct io_pgtable_ops *ops, uint64_t iova,
			      size_t pgsize, size_t pgcount,
			      struct iommu_iotlb_gather *gather)
{
	struct s390_dat *d = to_dat(ops);
	const size_t seg_pages = ZPCI_PT_ENTRIES;
	size_t done = 0;

	if (pgsize != SZ_4K || (iova & (SZ_4K - 1)))
		return 0;
	for (size_t i = 0; i < pgcount;) {
		uint64_t *pte;

		if (!(iova & ((1ULL << ZPCI_ST_SHIFT) - 1)) &&
		    pgcount - i >= seg_pages && unmap_segment(d, iova, gather)) {
			iova += 1ULL << ZPCI_ST_SHIFT;
			done += 1ULL << ZPCI_ST_SHIFT;
			i += seg_pages;
			continue;
		}
		pte = walk(d, iova, false);
		if (!pte || (ent_read(pte) & ZPCI_PTE_INVALID))
			break;
		ent_write(pte, ZPCI_PTE_INVALID);
		d->iop.pte_writes++;
		d->iop.cfg.tlb->tlb_add_page(gather, iova, SZ_4K, d->iop.cookie);
		iova += SZ_4K;
		done += SZ_4K;
		i++;
	}
	return done;
}

static uint64_t dat_iova_to_phys(struct io_pgtable_ops *ops, uint64_t iova)
{
	struct s390_dat *d = to_dat(ops);
	uint64_t *pte;

	if (iova >> d->iop.cfg.ias)
		return 0;
	pte = walk(d, iova, false);
	if (!pte || (ent_read(pte) & ZPCI_PTE_INVALID))
		return 0;
	return (ent_read(pte) & ZPCI_PTE_ADDR_MASK) | (iova & (SZ_4K - 1));
}

struct io_pgtable *s390_dat_alloc(struct io_pgtable_cfg *cfg, void *cookie)
{
	struct s390_dat *d;

	if (cfg->ias > ZPCI_IAS_MAX || cfg->ias < 32 || cfg->oas > 64 ||
	    !(cfg->pgsize_bitmap & SZ_4K) || cfg->quirks || !cfg->tlb ||
	    !cfg->pool)
		return NULL;
	d = heap_zalloc(sizeof(*d));
	if (!d)
		return NULL;
	d->iop.fmt = S390_ZPCI_DAT;
	d->iop.cookie = cookie;
	d->iop.cfg = *cfg;
	d->iop.cfg.pgsize_bitmap = SZ_4K;
	d->rto = table_new(d, ZPCI_TABLE_ORDER, ZPCI_TABLE_ENTRIES,
			   ZPCI_TABLE_INVALID);
	if (!d->rto) {
		heap_free(d);
		return NULL;
	}
	d->iop.cfg.s390.iota = page_to_phys(cfg->pool, d->rto) |
			       ZPCI_IOTA_IOT_ENABLED | ZPCI_IOTA_DT_RT;
	d->iop.ops.map_pages = dat_map_pages;
	d->iop.ops.unmap_pages = dat_unmap_pages;
	d->iop.ops.iova_to_phys = dat_iova_to_phys;
	*cfg = d->iop.cfg;
	return &d->iop;
}

void s390_dat_free(struct io_pgtable *iop)
{
	struct s390_dat *d = container_of(iop, struct s390_dat, iop);

	for (unsigned r = 0; r < ZPCI_TABLE_ENTRIES; r++) {
		uint64_t rte = ent_read(&d->rto[r]), *sto;

		if (rte & ZPCI_TABLE_INVALID)
			continue;
		sto = deref(d, rte, ZPCI_RTE_ADDR_MASK);
		for (unsigned s = 0; s < ZPCI_TABLE_ENTRIES; s++) {
			uint64_t ste = ent_read(&sto[s]);

			if (!(ste & ZPCI_TABLE_INVALID))
				page_free(iop->cfg.pool,
					  deref(d, ste, ZPCI_STE_ADDR_MASK), 0);
		}
		page_free(iop->cfg.pool, sto, ZPCI_TABLE_ORDER);
	}
	page_free(iop->cfg.pool, d->rto, ZPCI_TABLE_ORDER);
	heap_free(d);
}

size_t s390_dat_table_pages(struct io_pgtable *iop)
{
	return container_of(iop, struct s390_dat, iop)->table_pages;
}
