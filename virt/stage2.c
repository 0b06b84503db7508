// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stage-2 listener (include/partita/virt/stage2.h). Sections are
 * page-rounded as the VFIO listener rounds them; the host memory behind
 * a RAM section is split into its physically contiguous pieces (umem),
 * and each piece mapped with the largest blocks both its IPA and its
 * physical address allow. Removal is gathered and flushed once per
 * transaction.
 */
#include <partita/compiler.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/mm/page-alloc.h>
#include <partita/mm/user-mem.h>
#include <partita/virt/stage2.h>
#include <string.h>

#define PAGE 4096ULL

static struct stage2 *to_s2(MemoryListener *l)
{
	return container_of(l, struct stage2, listener);
}

/* ---- the tables' TLB hooks: removal is flushed at commit ------------- */

static void note_removed(void *cookie)
{
	((struct stage2 *)cookie)->removed = true;
}

static void tlb_flush_walk(uint64_t iova, size_t size, size_t granule,
			   void *cookie)
{
	(void)iova; (void)size; (void)granule;
	note_removed(cookie);
}

static void tlb_add_page(struct iommu_iotlb_gather *g, uint64_t iova,
			 size_t granule, void *cookie)
{
	(void)g; (void)iova; (void)granule;
	note_removed(cookie);
}

static const struct io_pgtable_tlb_ops stage2_tlb_ops = {
	.tlb_flush_all = note_removed,
	.tlb_flush_walk = tlb_flush_walk,
	.tlb_add_page = tlb_add_page,
};

static void flush(struct stage2 *s2)
{
	if (!s2->removed)
		return;
	s2->removed = false;
	s2->flushes++;
	if (s2->cfg.flush)
		s2->cfg.flush(s2->cfg.opaque);
}

/* ---- sections -------------------------------------------------------- */

/* What the CPU may reach directly: RAM and mapped device BARs, never
 * protected memory. MMIO with callbacks stays unmapped (it traps). */
static bool section_mapped(const MemoryRegionSection *s)
{
	return memory_region_is_ram(s->mr) && !memory_region_is_protected(s->mr);
}

/* The page-rounded IPA range and host address of a section; false when
 * nothing of it is page-aligned on both sides. */
static bool section_range(const MemoryRegionSection *s, uint64_t *ipa,
			  uint64_t *size, uint64_t *host)
{
	uint64_t start = PT_ALIGN_UP(s->offset_within_address_space, PAGE);
	uint64_t end = PT_ALIGN_DOWN(s->offset_within_address_space + s->size,
				     PAGE);

	if (start >= end ||
	    ((s->offset_within_address_space ^ s->offset_within_region) &
	     (PAGE - 1)))
		return false;
	*ipa = start;
	*size = end - start;
	*host = (uint64_t)(uintptr_t)memory_region_get_ram_ptr(s->mr) +
		s->offset_within_region + (start - s->offset_within_address_space);
	return true;
}

static int section_prot(const MemoryRegionSection *s)
{
	int prot = IOMMU_READ | (s->readonly ? 0 : IOMMU_WRITE);

	if (memory_region_is_ram_device(s->mr))
		return prot | IOMMU_MMIO | IOMMU_NOEXEC;
	return prot | IOMMU_CACHE;
}

/* The sizes a stage-2 leaf can have (4 KiB granule). */
#define STAGE2_PGSIZES (SZ_4K | SZ_2M | SZ_1G)

struct map_walk {
	struct stage2 *s2;
	uint64_t host, ipa;          /* where the walk started */
	int prot;
};

static int map_piece(void *opaque, uint64_t va, uint64_t pa, uint64_t len,
		     enum umem_kind kind)
{
	struct map_walk *w = opaque;
	uint64_t ipa = w->ipa + (va - w->host);

	(void)kind;
	if ((ipa | pa | len) & (PAGE - 1))
		return -EINVAL;
	while (len) {
		size_t count, mapped = 0;
		size_t sz = io_pgtable_pgsize(STAGE2_PGSIZES, ipa, pa, len, &count);
		int ret;

		ret = w->s2->pgtbl->map_pages(w->s2->pgtbl, ipa, pa, sz, count,
					      w->prot, &mapped);
		ipa += mapped;
		pa += mapped;
		len -= mapped;
		if (ret)
			return ret;
	}
	return 0;
}

static void fail(struct stage2 *s2, const MemoryRegionSection *s, int ret)
{
	Error *err = NULL;

	error_setg(&err, "stage 2: cannot map %s at 0x%llx (0x%llx bytes): %s",
		   memory_region_name(s->mr),
		   (unsigned long long)s->offset_within_address_space,
		   (unsigned long long)s->size, strerror(-ret));
	if (!s2->attached) {
		if (!s2->err)
			s2->err = err;
		else
			error_free(err);
		return;
	}
	/* A running partition lost part of its memory: it stops. */
	if (!s2->stop_reason)
		s2->stop_reason = heap_strdup(error_get_pretty(err));
	error_report_err(err);
}

static void unmap_range(struct stage2 *s2, uint64_t ipa, uint64_t size)
{
	struct iommu_iotlb_gather g;

	iommu_iotlb_gather_init(&g);
	/* In the largest pieces the range's alignment allows, so blocks go
	 * whole rather than split; a hole is stepped over. */
	while (size) {
		size_t count, sz = io_pgtable_pgsize(STAGE2_PGSIZES, ipa, ipa,
						     size, &count);
		size_t n = s2->pgtbl->unmap_pages(s2->pgtbl, ipa, sz, count, &g);

		if (!n)
			n = sz;
		ipa += n;
		size -= n;
	}
}

static void region_add(MemoryListener *l, MemoryRegionSection *s)
{
	struct stage2 *s2 = to_s2(l);
	struct map_walk w = { .s2 = s2, .prot = section_prot(s) };
	uint64_t size;
	int ret;

	if (!section_mapped(s) || !section_range(s, &w.ipa, &size, &w.host))
		return;
	if ((w.ipa + size - 1) >> s2->cfg.ipa_bits) {
		fail(s2, s, -ERANGE);
		return;
	}
	ret = umem_walk(s2->cfg.um, w.host, size,
			memory_region_is_ram_device(s->mr) ? UMEM_ALLOW_IO : 0,
			map_piece, &w);
	if (ret) {
		/* Nothing of the section may stay half-mapped. */
		unmap_range(s2, w.ipa, size);
		fail(s2, s, ret);
	}
}

static void region_del(MemoryListener *l, MemoryRegionSection *s)
{
	struct stage2 *s2 = to_s2(l);
	uint64_t ipa, size, host;

	if (!section_mapped(s) || !section_range(s, &ipa, &size, &host) ||
	    (ipa + size - 1) >> s2->cfg.ipa_bits)
		return;
	unmap_range(s2, ipa, size);
}

bool stage2_map_cpu_device(struct stage2 *s2, uint64_t ipa, uint64_t pa,
			   uint64_t size, Error **errp)
{
	int ret = -EINVAL;

	if (!((ipa | pa | size) & (PAGE - 1)) && size &&
	    !((ipa + size - 1) >> s2->cfg.ipa_bits)) {
		size_t mapped = 0;

		ret = s2->pgtbl->map_pages(s2->pgtbl, ipa, pa, PAGE, size / PAGE,
					   IOMMU_READ | IOMMU_WRITE | IOMMU_MMIO |
					   IOMMU_NOEXEC, &mapped);
		if (ret && mapped)
			unmap_range(s2, ipa, mapped);
	}
	if (ret) {
		error_setg(errp, "stage 2: cannot map the device at 0x%llx for "
			   "the guest at 0x%llx (0x%llx bytes): %s",
			   (unsigned long long)pa, (unsigned long long)ipa,
			   (unsigned long long)size, strerror(-ret));
		return false;
	}
	return true;
}

void stage2_unmap_cpu_device(struct stage2 *s2, uint64_t ipa, uint64_t size)
{
	unmap_range(s2, ipa, size);
	flush(s2);
}

static void commit(MemoryListener *l)
{
	flush(to_s2(l));
}

/* ---- the stage 2 ------------------------------------------------------ */

bool stage2_init(struct stage2 *s2, const struct stage2_config *cfg,
		 Error **errp)
{
	memset(s2, 0, sizeof(*s2));
	if (cfg->ipa_bits < 32 || cfg->ipa_bits > 48 || !cfg->pool || !cfg->um) {
		error_setg(errp, "stage 2: a %u-bit IPA space is not supported "
			   "(32 to 48 bits)", cfg->ipa_bits);
		return false;
	}
	s2->cfg = *cfg;
	s2->pgcfg = (struct io_pgtable_cfg){
		.pgsize_bitmap = STAGE2_PGSIZES,
		.ias = cfg->ipa_bits, .oas = cfg->pa_bits ? cfg->pa_bits : 48,
		.tlb = &stage2_tlb_ops, .pool = cfg->pool,
	};
	s2->pgtbl = alloc_io_pgtable_ops(ARM_64_LPAE_S2, &s2->pgcfg, s2);
	if (!s2->pgtbl) {
		error_setg(errp, "stage 2: out of memory for its tables");
		return false;
	}
	s2->listener = (MemoryListener){
		.name = "stage2",
		.region_add = region_add,
		.region_del = region_del,
		.commit = commit,
	};
	return true;
}

bool stage2_attach(struct stage2 *s2, AddressSpace *as, Error **errp)
{
	memory_listener_register(&s2->listener, as);
	if (s2->err) {
		error_propagate(errp, s2->err);
		s2->err = NULL;
		memory_listener_unregister(&s2->listener);
		flush(s2);
		return false;
	}
	s2->attached = true;
	return true;
}

void stage2_detach(struct stage2 *s2)
{
	if (!s2->attached)
		return;
	memory_listener_unregister(&s2->listener);
	flush(s2);
	s2->attached = false;
}

void stage2_fini(struct stage2 *s2)
{
	stage2_detach(s2);
	if (s2->pgtbl)
		free_io_pgtable_ops(s2->pgtbl);
	heap_free(s2->stop_reason);
	memset(s2, 0, sizeof(*s2));
}

const char *stage2_stopped(const struct stage2 *s2)
{
	return s2->stop_reason;
}

uint64_t stage2_vttbr(const struct stage2 *s2, uint16_t vmid)
{
	return s2->pgcfg.arm_lpae_s2.vttbr | (uint64_t)vmid << 48;
}

uint64_t stage2_vtcr(const struct stage2 *s2)
{
	return s2->pgcfg.arm_lpae_s2.vtcr;
}

uint64_t stage2_ipa_to_pa(const struct stage2 *s2, uint64_t ipa)
{
	if (ipa >> s2->cfg.ipa_bits)
		return 0;
	return s2->pgtbl->iova_to_phys(s2->pgtbl, ipa);
}

uint64_t stage2_entries_written(const struct stage2 *s2)
{
	return io_pgtable_ops_to_pgtable(s2->pgtbl)->pte_writes;
}

size_t stage2_table_pages(const struct stage2 *s2)
{
	return io_pgtable_table_pages(s2->pgtbl);
}
