// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Hardware model of the simulated IOMMU: register frame, stream table
 * entries fetched from memory on CFGI_STE (and cached, like an SMMU's
 * configuration cache), page-table walks in three formats over the
 * physical address space, an IOTLB, fault records, DBM dirty marking.
 * This is the board, not Partita: it trusts nothing the driver wrote.
 */
#include <partita/byteorder.h>
#include <partita/compiler.h>
#include <partita/heap.h>
#include <partita/sim/iommu.h>
#include <string.h>

#define TLB_ENTRIES 256
#define MAX_FAULTS 256

struct ste_cache {
	bool valid;            /* fetched and V set */
	uint64_t cfg, fmt, tag, root, tcr;
	bool hd;
};

struct tlb_entry {
	bool valid;
	uint16_t tag;
	uint64_t page;         /* iova >> 12 */
	uint64_t pa_page;      /* pa >> 12 */
	bool readable, writable;
};

struct sim_iommu {
	MemoryRegion mmio;
	AddressSpace *mem;
	uint64_t idr;
	unsigned sid_bits;
	uint64_t ctrl, strtab, arg0, arg1;
	struct ste_cache *stes;
	struct tlb_entry tlb[TLB_ENTRIES];
	struct sim_fault faults[MAX_FAULTS];
	size_t nfaults;
	uint64_t total_faults;
	struct sim_iommu_stats stats;
};

/* ---- physical memory reads of tables ---------------------------------- */

static bool mem_read64(struct sim_iommu *u, uint64_t pa, uint64_t *v)
{
	return address_space_read(u->mem, pa, v, 8) == MEMTX_OK;
}

static bool mem_write64(struct sim_iommu *u, uint64_t pa, uint64_t v)
{
	return address_space_write(u->mem, pa, &v, 8) == MEMTX_OK;
}

/* ---- commands ---------------------------------------------------------- */

static void fetch_ste(struct sim_iommu *u, uint64_t sid)
{
	struct ste_cache *c;
	uint64_t w[4];

	if (sid >> u->sid_bits)
		return;
	c = &u->stes[sid];
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < 4; i++)
		if (!mem_read64(u, u->strtab + sid * SIM_STE_SIZE + i * 8, &w[i]))
			return;             /* unreadable: stays invalid */
	for (int i = 0; i < 4; i++)
		w[i] = le64_to_cpu(w[i]);
	if (!(w[0] & SIM_STE0_VALID))
		return;
	c->valid = true;
	c->cfg = (w[0] >> SIM_STE0_CFG_SHIFT) & 3;
	c->fmt = (w[0] >> SIM_STE0_FMT_SHIFT) & 3;
	c->hd = (w[0] & SIM_STE0_HD) && (u->idr & SIM_IOMMU_IDR_HD);
	c->tag = (w[0] >> SIM_STE0_TAG_SHIFT) & 0xffff;
	c->root = w[1];
	c->tcr = w[2];
}

/* The TLB is direct-mapped (see translate()): a range of fewer pages
 * than it has entries is dropped by looking at each page's own slot. */
static size_t tlb_slot(uint64_t page, uint16_t tag)
{
	return (size_t)((page ^ tag) % TLB_ENTRIES);
}

static void tlbi(struct sim_iommu *u, bool all, uint64_t tag, uint64_t first,
		 uint64_t pages)
{
	if (!all && pages && pages < TLB_ENTRIES) {
		for (uint64_t p = first; p - first < pages; p++) {
			struct tlb_entry *e = &u->tlb[tlb_slot(p, (uint16_t)tag)];

			if (e->valid && e->tag == tag && e->page == p)
				e->valid = false;
		}
		return;
	}
	for (size_t i = 0; i < TLB_ENTRIES; i++) {
		struct tlb_entry *e = &u->tlb[i];

		if (!e->valid)
			continue;
		if (all || (e->tag == tag &&
			    (pages == 0 ||
			     (e->page >= first && e->page - first < pages))))
			e->valid = false;
	}
}

static void run_command(struct sim_iommu *u, uint64_t cmd)
{
	switch (cmd & 0xff) {
	case SIM_IOMMU_CMD_CFGI_STE:
		fetch_ste(u, u->arg0);
		break;
	case SIM_IOMMU_CMD_TLBI_ALL:
		tlbi(u, true, 0, 0, 0);
		break;
	case SIM_IOMMU_CMD_TLBI_TAG:
		tlbi(u, false, u->arg0, 0, 0);
		break;
	case SIM_IOMMU_CMD_TLBI_RANGE:
		/* pages == 0 would mean "everything": never from a range. */
		if (cmd >> 8)
			tlbi(u, false, u->arg0, u->arg1 >> 12, cmd >> 8);
		break;
	default:
		break;                  /* unknown commands are ignored */
	}
}

static uint64_t reg_read(void *opaque, uint64_t addr, unsigned size)
{
	struct sim_iommu *u = opaque;

	switch (addr) {
	case SIM_IOMMU_REG_IDR: return u->idr | ((uint64_t)u->sid_bits << 8);
	case SIM_IOMMU_REG_CTRL: return u->ctrl;
	case SIM_IOMMU_REG_STRTAB: return u->strtab;
	case SIM_IOMMU_REG_ARG0: return u->arg0;
	case SIM_IOMMU_REG_ARG1: return u->arg1;
	case SIM_IOMMU_REG_FAULTS: return u->total_faults;
	default: return 0;
	}
}

static void reg_write(void *opaque, uint64_t addr, uint64_t v, unsigned size)
{
	struct sim_iommu *u = opaque;

	switch (addr) {
	case SIM_IOMMU_REG_CTRL:
		u->ctrl = v & SIM_IOMMU_CTRL_EN;
		break;
	case SIM_IOMMU_REG_STRTAB:
		u->strtab = v & ~(uint64_t)(SIM_STE_SIZE - 1);
		break;
	case SIM_IOMMU_REG_ARG0:
		u->arg0 = v;
		break;
	case SIM_IOMMU_REG_ARG1:
		u->arg1 = v;
		break;
	case SIM_IOMMU_REG_CMD:
		run_command(u, v);
		break;
	default:
		break;
	}
}

static const MemoryRegionOps reg_ops = {
	.read = reg_read,
	.write = reg_write,
	.max_access_size = 8,
};

/* ---- walks --------------------------------------------------------------- */

struct walk_result {
	uint64_t pa;             /* of the 4K page holding iova */
	bool readable, writable;
};

static enum sim_fault_reason walk_lpae(struct sim_iommu *u,
				       const struct ste_cache *s, uint64_t iova,
				       bool write, struct walk_result *r)
{
	unsigned ias = 64 - (unsigned)(s->tcr & 0x3f);
	unsigned levels, lvl;
	uint64_t table = s->root & 0x0000fffffffff000ULL;

	if (ias < 25 || ias > 48)
		return SIM_FAULT_BAD_STREAM;
	if (iova >> ias)
		return SIM_FAULT_ADDRESS_SIZE;
	levels = (ias - 12 + 8) / 9;
	for (lvl = 4 - levels; lvl <= 3; lvl++) {
		unsigned shift = 12 + 9 * (3 - lvl);
		unsigned bits = lvl == 4 - levels ? ias - 12 - 9 * (levels - 1) : 9;
		uint64_t ptep = table + ((iova >> shift) & ((1ULL << bits) - 1)) * 8;
		uint64_t pte;
		bool leaf;

		if (!mem_read64(u, ptep, &pte))
			return SIM_FAULT_WALK;
		pte = le64_to_cpu(pte);
		if (!(pte & 1))
			return SIM_FAULT_TRANSLATION;
		leaf = lvl == 3 ? (pte & 3) == 3 : (pte & 3) == 1;
		if (lvl == 3 && (pte & 3) != 3)
			return SIM_FAULT_TRANSLATION;   /* reserved encoding */
		if (!leaf) {
			table = pte & 0x0000fffffffff000ULL;
			continue;
		}
		if (lvl == 0 || !(pte & (1ULL << 10)))       /* no 512G leaf; AF */
			return SIM_FAULT_TRANSLATION;
		r->pa = ((pte & 0x0000fffffffff000ULL) & ~((1ULL << shift) - 1)) |
			(iova & ((1ULL << shift) - 1) & ~0xfffULL);
		if (s->fmt == SIM_STE_FMT_LPAE_S2) {
			r->readable = pte & (1ULL << 6);
			r->writable = pte & (1ULL << 7);
		} else {
			bool rdonly = pte & (1ULL << 7);
			bool dbm = pte & (1ULL << 51);

			r->readable = true;
			r->writable = !rdonly;
			if (write && rdonly && dbm && s->hd) {
				/* Hardware dirty update: clear AP[2]. */
				if (!mem_write64(u, ptep,
						 cpu_to_le64(pte & ~(1ULL << 7))))
					return SIM_FAULT_WALK;
				u->stats.dirty_marks++;
				r->writable = true;
			}
		}
		return (write ? r->writable : r->readable) ?
			SIM_FAULT_NONE : SIM_FAULT_PERMISSION;
	}
	return SIM_FAULT_TRANSLATION;
}

static enum sim_fault_reason walk_zpci(struct sim_iommu *u,
				       const struct ste_cache *s, uint64_t iova,
				       bool write, struct walk_result *r)
{
	uint64_t e;

	if (iova >> 42)
		return SIM_FAULT_ADDRESS_SIZE;
	if (!mem_read64(u, (s->root & ~0x3fffULL) + ((iova >> 31) & 0x7ff) * 8, &e))
		return SIM_FAULT_WALK;
	e = be64_to_cpu(e);
	if ((e & 0x20) || (e & 0xc) != 0x4)
		return SIM_FAULT_TRANSLATION;
	if (!mem_read64(u, (e & ~0x3fffULL) + ((iova >> 20) & 0x7ff) * 8, &e))
		return SIM_FAULT_WALK;
	e = be64_to_cpu(e);
	if ((e & 0x20) || (e & 0xc) != 0)
		return SIM_FAULT_TRANSLATION;
	if (!mem_read64(u, (e & ~0x7ffULL) + ((iova >> 12) & 0xff) * 8, &e))
		return SIM_FAULT_WALK;
	e = be64_to_cpu(e);
	if (e & 0x400)
		return SIM_FAULT_TRANSLATION;
	r->pa = e & ~0xfffULL;
	r->readable = true;
	r->writable = !(e & 0x200);
	return (!write || r->writable) ? SIM_FAULT_NONE : SIM_FAULT_PERMISSION;
}

static void record(struct sim_iommu *u, uint32_t sid, uint64_t iova,
		   bool write, enum sim_fault_reason why)
{
	u->total_faults++;
	if (u->nfaults < MAX_FAULTS)
		u->faults[u->nfaults++] = (struct sim_fault){ sid, iova, write, why };
}

/* Translate the 4K page of iova; false (fault recorded) if not allowed. */
static bool translate(struct sim_iommu *u, uint32_t sid, uint64_t iova,
		      bool write, uint64_t *pa)
{
	const struct ste_cache *s;
	struct walk_result r;
	struct tlb_entry *e;
	enum sim_fault_reason why;

	if (!(u->ctrl & SIM_IOMMU_CTRL_EN)) {
		record(u, sid, iova, write, SIM_FAULT_DISABLED);
		return false;
	}
	if (sid >> u->sid_bits || !u->stes[sid].valid) {
		record(u, sid, iova, write, SIM_FAULT_BAD_STREAM);
		return false;
	}
	s = &u->stes[sid];
	if (s->cfg == SIM_STE_CFG_BYPASS) {
		*pa = iova;
		return true;
	}
	if (s->cfg != SIM_STE_CFG_TRANSLATE) {
		record(u, sid, iova, write, SIM_FAULT_ABORT);
		return false;
	}
	e = &u->tlb[tlb_slot(iova >> 12, s->tag)];
	if (e->valid && e->tag == s->tag && e->page == iova >> 12 &&
	    (write ? e->writable : e->readable)) {
		u->stats.tlb_hits++;
		*pa = (e->pa_page << 12) | (iova & 0xfff);
		return true;
	}
	u->stats.walks++;
	if (s->fmt == SIM_STE_FMT_ZPCI && (u->idr & SIM_IOMMU_IDR_ZPCI))
		why = walk_zpci(u, s, iova, write, &r);
	else if ((s->fmt == SIM_STE_FMT_LPAE_S1 && (u->idr & SIM_IOMMU_IDR_LPAE_S1)) ||
		 (s->fmt == SIM_STE_FMT_LPAE_S2 && (u->idr & SIM_IOMMU_IDR_LPAE_S2)))
		why = walk_lpae(u, s, iova, write, &r);
	else
		why = SIM_FAULT_BAD_STREAM;
	if (why != SIM_FAULT_NONE) {
		record(u, sid, iova, write, why);
		return false;
	}
	*e = (struct tlb_entry){ true, (uint16_t)s->tag, iova >> 12, r.pa >> 12,
				 r.readable, r.writable };
	*pa = r.pa | (iova & 0xfff);
	return true;
}

bool sim_iommu_dma(struct sim_iommu *u, uint32_t sid, uint64_t iova,
		   void *buf, uint64_t len, bool write)
{
	uint8_t *p = buf;

	while (len) {
		uint64_t pa, chunk = 0x1000 - (iova & 0xfff);

		if (chunk > len)
			chunk = len;
		if (!translate(u, sid, iova, write, &pa))
			return false;
		if (address_space_rw(u->mem, pa, p, chunk, write) != MEMTX_OK) {
			record(u, sid, iova, write, SIM_FAULT_WALK);
			return false;
		}
		iova += chunk;
		p += chunk;
		len -= chunk;
	}
	return true;
}

/* ---- life cycle and test access ---------------------------------------- */

struct sim_iommu *sim_iommu_create(MemoryContext *ctx, AddressSpace *mem,
				   uint64_t idr, unsigned sid_bits)
{
	struct sim_iommu *u;

	if (sid_bits > 16)
		return NULL;
	u = heap_zalloc(sizeof(*u));
	if (!u)
		return NULL;
	u->stes = heap_calloc((size_t)1 << sid_bits, sizeof(*u->stes));
	if (!u->stes ||
	    !memory_region_init_io(&u->mmio, ctx, &reg_ops, u, "sim-iommu",
				   SIM_IOMMU_MMIO_SIZE, NULL)) {
		heap_free(u->stes);
		heap_free(u);
		return NULL;
	}
	u->mem = mem;
	u->idr = idr;
	u->sid_bits = sid_bits;
	return u;
}

void sim_iommu_destroy(struct sim_iommu *u)
{
	if (!u)
		return;
	memory_region_finalize(&u->mmio);
	heap_free(u->stes);
	heap_free(u);
}

MemoryRegion *sim_iommu_mmio(struct sim_iommu *u)
{
	return &u->mmio;
}

size_t sim_iommu_faults(const struct sim_iommu *u, struct sim_fault *out,
			size_t max)
{
	size_t n = u->nfaults < max ? u->nfaults : max;

	memcpy(out, u->faults, n * sizeof(*out));
	return n;
}

void sim_iommu_clear_faults(struct sim_iommu *u)
{
	u->nfaults = 0;
}

struct sim_iommu_stats sim_iommu_stats(const struct sim_iommu *u)
{
	return u->stats;
}
