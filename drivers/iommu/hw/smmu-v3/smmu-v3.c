// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Arm SMMUv3 (IHI 0070), the part a static partition manager needs:
 * stage 1 (what QEMU 7.2's model implements), LPAE tables from
 * io-pgtable, a linear stream table with every stream aborted until a
 * domain is attached, polling on the command queue's CONS for
 * completion, and the event queue read for faults (no interrupts).
 */
#include <partita/bitmap.h>
#include <partita/compiler.h>
#include <partita/err.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/iommu/iommu.h>
#include <partita/iommu/smmu-v3.h>
#include <partita/log.h>
#include <partita/mm/page-alloc.h>
#include <partita/mm/pgtable/io-pgtable.h>
#include <uapi/linux/iommufd.h>
#include <string.h>

/* Registers (page 0, and page 1 at +64 KiB for the event queue). */
#define IDR0            0x00
#define  IDR0_S1P       (1u << 1)
#define  IDR0_TTF_AA64  (2u << 2)      /* TTF[3:2]: 2 or 3 = AArch64 */
#define  IDR0_ST_LVL(x) (((x) >> 27) & 3)
#define IDR1            0x04
#define  IDR1_SIDSIZE(x) ((x) & 0x3f)
#define  IDR1_EVTQS(x)  (((x) >> 16) & 0x1f)
#define  IDR1_CMDQS(x)  (((x) >> 21) & 0x1f)
#define IDR5            0x14
#define  IDR5_GRAN4K    (1u << 4)
#define  IDR5_OAS(x)    ((x) & 7)
#define IIDR            0x18
#define AIDR            0x1c
#define CR0             0x20
#define  CR0_SMMUEN     (1u << 0)
#define  CR0_EVTQEN     (1u << 2)
#define  CR0_CMDQEN     (1u << 3)
#define CR0ACK          0x24
#define CR1             0x28
#define CR2             0x2c
#define  CR2_RECINVSID  (1u << 1)
#define GBPA            0x44
#define  GBPA_ABORT     (1u << 20)
#define  GBPA_UPDATE    (1u << 31)
#define IRQ_CTRL        0x50
#define GERROR          0x60
#define GERRORN         0x64
#define STRTAB_BASE     0x80
#define STRTAB_BASE_CFG 0x88
#define CMDQ_BASE       0x90
#define CMDQ_PROD       0x98
#define CMDQ_CONS       0x9c
#define  CMDQ_CONS_ERR(x) (((x) >> 24) & 0x7f)
#define EVTQ_BASE       0xa0
#define EVTQ_PROD       0x100a8
#define EVTQ_CONS       0x100ac
#define  EVTQ_OVFLG     (1u << 31)

#define Q_BASE_RA       (1ULL << 62)
#define Q_ADDR_MASK     0x000fffffffffffe0ULL

/* Stream table entry (8 dwords). */
#define STE_DWORDS      8
#define STE0_V          (1ULL << 0)
#define STE0_CFG_ABORT  (0ULL << 1)
#define STE0_CFG_S1     (5ULL << 1)
#define STE0_CTXPTR_MASK 0x000fffffffffffc0ULL
#define STE1_S1CIR_WBRA (1ULL << 2)
#define STE1_S1COR_WBRA (1ULL << 4)
#define STE1_S1CSH_ISH  (3ULL << 6)
#define STE1_SHCFG_INCOMING (1ULL << 44)

/* Context descriptor (8 dwords). */
#define CD_DWORDS       8
#define CD0_TG0_4K      (0ULL << 6)
#define CD0_IR0_WBWA    (1ULL << 8)
#define CD0_OR0_WBWA    (1ULL << 10)
#define CD0_SH0_ISH     (3ULL << 12)
#define CD0_EPD1        (1ULL << 30)
#define CD0_V           (1ULL << 31)
#define CD0_IPS_SHIFT   32
#define CD0_AA64        (1ULL << 41)
#define CD0_R           (1ULL << 45)     /* record faults */
#define CD0_A           (1ULL << 46)     /* abort on fault */
#define CD0_ASID_SHIFT  48
#define CD1_TTB0_MASK   0x000ffffffffffff0ULL

/* Commands (2 dwords). */
#define CMD_CFGI_STE    0x03
#define CMD_CFGI_CD     0x05
#define CMD_TLBI_NH_ASID 0x11
#define CMD_TLBI_NSNH_ALL 0x30
#define CMD_SYNC        0x46
#define CMD_CFGI_ALL    0x04

#define EVT_DWORDS      4

#define SMMU_MAX_ASIDS  256
#define SMMU_SID_LOG2_MAX 12       /* a linear table of 4096 streams */
#define SMMU_Q_LOG2     8
#define SMMU_POLL_LIMIT 1000000

/* The window Arm systems keep for MSI doorbells (Linux's SW_MSI). */
#define SMMU_MSI_IOVA_BASE 0x8000000ULL
#define SMMU_MSI_IOVA_SIZE 0x100000ULL

struct smmu {
	struct iommu_device iommu;
	uintptr_t base;
	struct page_pool *pool;
	unsigned sid_log2, cmdq_log2, evtq_log2, oas;
	uint64_t *strtab;
	unsigned strtab_order;
	uint64_t *cmdq, *evtq;
	unsigned cmdq_order, evtq_order;
	uint32_t cmdq_prod, evtq_cons;
	bool broken;                 /* a command failed: stop issuing */
	bool evtq_lost;              /* the event queue overflowed once */
	unsigned long asids[BITS_TO_LONGS(SMMU_MAX_ASIDS)];
};

struct smmu_domain {
	struct iommu_domain domain;
	struct smmu *smmu;
	struct io_pgtable_ops *pgtbl;
	struct io_pgtable_cfg cfg;
	uint64_t *cd;
	unsigned asid;
};

static struct smmu *to_smmu(struct iommu_device *iommu)
{
	return container_of(iommu, struct smmu, iommu);
}

static struct smmu_domain *to_sdom(struct iommu_domain *d)
{
	return container_of(d, struct smmu_domain, domain);
}

static uint32_t rd32(struct smmu *s, unsigned reg)
{
	return *(volatile uint32_t *)(s->base + reg);
}

static void wr32(struct smmu *s, unsigned reg, uint32_t v)
{
	__asm__ volatile("dsb sy" ::: "memory");   /* tables before the unit */
	*(volatile uint32_t *)(s->base + reg) = v;
}

static void wr64(struct smmu *s, unsigned reg, uint64_t v)
{
	__asm__ volatile("dsb sy" ::: "memory");
	*(volatile uint64_t *)(s->base + reg) = v;
}

/* CR0 and its acknowledgement. */
static bool write_cr0(struct smmu *s, uint32_t v)
{
	wr32(s, CR0, v);
	for (unsigned i = 0; i < SMMU_POLL_LIMIT; i++)
		if (rd32(s, CR0ACK) == v)
			return true;
	return false;
}

/* ---- command queue --------------------------------------------------- */

static bool q_full(uint32_t prod, uint32_t cons, unsigned log2)
{
	uint32_t wrap = 1u << log2, idx = wrap - 1;

	return (prod & idx) == (cons & idx) && (prod & wrap) != (cons & wrap);
}

static uint32_t q_inc(uint32_t p, unsigned log2)
{
	return (p + 1) & ((2u << log2) - 1);
}

/* Queue one command; with sync, a CMD_SYNC after it and wait until the
 * unit has consumed both. Errors are logged once and the unit marked. */
static void cmd(struct smmu *s, uint64_t w0, uint64_t w1, bool sync)
{
	uint64_t cmds[2][2] = { { w0, w1 }, { CMD_SYNC, 0 } };

	if (s->broken)
		return;
	for (unsigned c = 0; c < (sync ? 2u : 1u); c++) {
		uint64_t *slot;
		unsigned spin = 0;

		while (q_full(s->cmdq_prod, rd32(s, CMDQ_CONS), s->cmdq_log2))
			if (++spin == SMMU_POLL_LIMIT)
				goto stuck;
		slot = s->cmdq + 2 * (s->cmdq_prod & ((1u << s->cmdq_log2) - 1));
		slot[0] = cmds[c][0];
		slot[1] = cmds[c][1];
		s->cmdq_prod = q_inc(s->cmdq_prod, s->cmdq_log2);
	}
	wr32(s, CMDQ_PROD, s->cmdq_prod);
	if (!sync)
		return;
	for (unsigned i = 0; i < SMMU_POLL_LIMIT; i++) {
		uint32_t cons = rd32(s, CMDQ_CONS);

		if (CMDQ_CONS_ERR(cons) || (rd32(s, GERROR) ^ rd32(s, GERRORN)) & 1) {
			pr_err("smmu-v3: command 0x%02llx failed (CONS.ERR %u)",
			       (unsigned long long)(w0 & 0xff), CMDQ_CONS_ERR(cons));
			s->broken = true;
			return;
		}
		if ((cons & ((2u << s->cmdq_log2) - 1)) == s->cmdq_prod)
			return;
	}
stuck:
	pr_err("smmu-v3: the command queue does not move");
	s->broken = true;
}

static void cfgi_ste(struct smmu *s, uint32_t sid)
{
	cmd(s, CMD_CFGI_STE | (uint64_t)sid << 32, 1 /* leaf */, true);
}

/* The stream's context descriptor (SSID 0) may be cached from a domain
 * whose page the new one reuses. */
static void cfgi_cd(struct smmu *s, uint32_t sid)
{
	cmd(s, CMD_CFGI_CD | (uint64_t)sid << 32, 1 /* leaf */, true);
}

static void tlbi_asid(struct smmu *s, unsigned asid)
{
	cmd(s, CMD_TLBI_NH_ASID | (uint64_t)asid << 48, 0, true);
}

/* ---- stream table ------------------------------------------------------ */

static void write_ste(struct smmu *s, uint32_t sid, uint64_t w0, uint64_t w1)
{
	volatile uint64_t *ste = s->strtab + (size_t)sid * STE_DWORDS;

	/* Everything but the word holding V first: an aborted entry
	 * ignores the rest, so the unit never sees a half-made one. */
	for (unsigned i = 2; i < STE_DWORDS; i++)
		ste[i] = 0;
	ste[1] = w1;
	__asm__ volatile("dsb sy" ::: "memory");
	ste[0] = w0;
	cfgi_ste(s, sid);
}

/* ---- io-pgtable TLB callbacks ----------------------------------------- */

static void tlb_flush_all(void *cookie)
{
	struct smmu_domain *sd = cookie;

	tlbi_asid(sd->smmu, sd->asid);
}

static void tlb_flush_walk(uint64_t iova, size_t size, size_t granule,
			   void *cookie)
{
	tlb_flush_all(cookie);
}

static const struct io_pgtable_tlb_ops smmu_tlb_ops = {
	.tlb_flush_all = tlb_flush_all,
	.tlb_flush_walk = tlb_flush_walk,
	.tlb_add_page = iommu_pgtable_gather_page,
};

/* ---- domains ------------------------------------------------------------ */

static void smmu_iotlb_sync(struct iommu_domain *d, struct iommu_iotlb_gather *g)
{
	struct smmu_domain *sd = to_sdom(d);

	if (g->start > g->end)
		return;
	/* By ASID: what was unmapped may sit in any of its entries. */
	tlbi_asid(sd->smmu, sd->asid);
	iommu_iotlb_gather_init(g);
}

static void smmu_domain_free(struct iommu_domain *d)
{
	struct smmu_domain *sd = to_sdom(d);
	struct smmu *s = sd->smmu;

	tlbi_asid(s, sd->asid);
	free_io_pgtable_ops(sd->pgtbl);
	page_free(s->pool, sd->cd, 0);
	bitmap_clear_bit(s->asids, sd->asid);
	heap_free(sd);
}

static const struct iommu_domain_ops smmu_domain_ops = {
	.map_pages = iommu_pgtable_map_pages,
	.unmap_pages = iommu_pgtable_unmap_pages,
	.iotlb_sync = smmu_iotlb_sync,
	.iova_to_phys = iommu_pgtable_iova_to_phys,
	.free = smmu_domain_free,
};

/* The OAS encoding the CD's IPS field and IDR5 share. */
static unsigned oas_bits(unsigned enc)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	return enc < 7 ? bits[enc] : 48;
}

static struct iommu_domain *smmu_domain_alloc_paging(struct device *dev,
						     unsigned flags)
{
	struct smmu *s = to_smmu(dev->iommu);
	struct smmu_domain *sd;
	size_t asid;
	uint64_t ips;

	/* QEMU's SMMUv3 has no hardware dirty tracking (HTTU). */
	if (flags & IOMMU_DOMAIN_F_DIRTY)
		return ERR_PTR(-EOPNOTSUPP);
	asid = bitmap_find_next_zero_bit(s->asids, SMMU_MAX_ASIDS, 1);
	sd = asid < SMMU_MAX_ASIDS ? heap_zalloc(sizeof(*sd)) : NULL;
	if (!sd)
		return ERR_PTR(-ENOMEM);
	sd->smmu = s;
	sd->asid = (unsigned)asid;
	sd->cd = page_alloc(s->pool, 0);
	if (!sd->cd) {
		heap_free(sd);
		return ERR_PTR(-ENOMEM);
	}
	memset(sd->cd, 0, 4096);
	sd->cfg.pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G;
	sd->cfg.ias = 48;
	sd->cfg.oas = s->oas;
	sd->cfg.tlb = &smmu_tlb_ops;
	sd->cfg.pool = s->pool;
	sd->pgtbl = alloc_io_pgtable_ops(ARM_64_LPAE_S1, &sd->cfg, sd);
	if (!sd->pgtbl) {
		page_free(s->pool, sd->cd, 0);
		heap_free(sd);
		return ERR_PTR(-ENOMEM);
	}
	bitmap_set_bit(s->asids, asid);
	/* One context descriptor: the domain's tables, faults recorded
	 * (R) and aborted (A), TTB1 walks disabled. */
	ips = (sd->cfg.arm_lpae_s1.tcr >> CD0_IPS_SHIFT) & 7;
	sd->cd[1] = sd->cfg.arm_lpae_s1.ttbr & CD1_TTB0_MASK;
	sd->cd[3] = sd->cfg.arm_lpae_s1.mair;
	sd->cd[0] = (64 - sd->cfg.ias) | CD0_TG0_4K | CD0_IR0_WBWA |
		    CD0_OR0_WBWA | CD0_SH0_ISH | CD0_EPD1 | CD0_V |
		    ips << CD0_IPS_SHIFT | CD0_AA64 | CD0_R | CD0_A |
		    (uint64_t)sd->asid << CD0_ASID_SHIFT;
	sd->domain.ops = &smmu_domain_ops;
	sd->domain.pgsize_bitmap = sd->cfg.pgsize_bitmap;
	sd->domain.pgtable = sd->pgtbl;
	sd->domain.aperture_start = 0;
	sd->domain.aperture_end = (1ULL << sd->cfg.ias) - 1;
	tlbi_asid(s, sd->asid);
	return &sd->domain;
}

static int smmu_attach_dev(struct iommu_domain *d, struct device *dev)
{
	struct smmu *s = to_smmu(dev->iommu);
	struct smmu_domain *sd = to_sdom(d);
	uint64_t cd_pa = page_to_phys(s->pool, sd->cd);

	if (dev->stream_id >> s->sid_log2)
		return -ERANGE;
	if (s->broken)
		return -EIO;
	write_ste(s, dev->stream_id,
		  STE0_V | STE0_CFG_S1 | (cd_pa & STE0_CTXPTR_MASK),
		  STE1_S1CIR_WBRA | STE1_S1COR_WBRA | STE1_S1CSH_ISH |
		  STE1_SHCFG_INCOMING);
	cfgi_cd(s, dev->stream_id);
	return s->broken ? -EIO : 0;
}

static void smmu_block_dev(struct device *dev)
{
	struct smmu *s = to_smmu(dev->iommu);

	if (!(dev->stream_id >> s->sid_log2))
		write_ste(s, dev->stream_id, STE0_V | STE0_CFG_ABORT, 0);
}

static bool smmu_capable(struct device *dev, enum iommu_cap cap)
{
	return cap == IOMMU_CAP_CACHE_COHERENCY;
}

static void smmu_hw_info(struct device *dev, void *data, uint32_t *len,
			 uint32_t *type)
{
	struct smmu *s = to_smmu(dev->iommu);
	struct iommu_hw_info_arm_smmuv3 info = { 0 };

	for (unsigned i = 0; i < 6; i++)
		info.idr[i] = rd32(s, IDR0 + 4 * i);
	info.iidr = rd32(s, IIDR);
	info.aidr = rd32(s, AIDR);
	memcpy(data, &info, *len < sizeof(info) ? *len : sizeof(info));
	*len = sizeof(info);
	*type = IOMMU_HW_INFO_TYPE_ARM_SMMUV3;
}

static const struct iommu_resv_region smmu_msi_window = {
	SMMU_MSI_IOVA_BASE, SMMU_MSI_IOVA_BASE + SMMU_MSI_IOVA_SIZE - 1,
};

static size_t smmu_resv_regions(struct device *dev,
				const struct iommu_resv_region **out)
{
	*out = &smmu_msi_window;
	return 1;
}

static const struct iommu_ops smmu_ops = {
	.domain_alloc_paging = smmu_domain_alloc_paging,
	.attach_dev = smmu_attach_dev,
	.block_dev = smmu_block_dev,
	.capable = smmu_capable,
	.hw_info = smmu_hw_info,
	.resv_regions = smmu_resv_regions,
};

/* ---- events ------------------------------------------------------------- */

const char *smmu_v3_event_name(uint8_t type)
{
	switch (type) {
	case 0x01: return "F_UUT";
	case 0x02: return "C_BAD_STREAMID";
	case 0x03: return "F_STE_FETCH";
	case 0x04: return "C_BAD_STE";
	case 0x06: return "F_STREAM_DISABLED";
	case 0x0a: return "C_BAD_CD";
	case 0x0b: return "F_WALK_EABT";
	case 0x10: return "F_TRANSLATION";
	case 0x11: return "F_ADDR_SIZE";
	case 0x12: return "F_ACCESS";
	case 0x13: return "F_PERMISSION";
	}
	return "event";
}

unsigned smmu_v3_read_faults(struct iommu_device *iommu,
			     struct smmu_v3_fault *out, unsigned max)
{
	struct smmu *s = to_smmu(iommu);
	uint32_t mask = (2u << s->evtq_log2) - 1;
	unsigned n = 0;

	uint32_t raw = rd32(s, EVTQ_PROD);

	/* An overflow (PROD.OVFLG differs from CONS.OVACKFLG) lost
	 * events; acknowledge it, the queue itself is still good. */
	if ((raw ^ rd32(s, EVTQ_CONS)) & EVTQ_OVFLG) {
		s->evtq_lost = true;
		wr32(s, EVTQ_CONS, s->evtq_cons | (raw & EVTQ_OVFLG));
	}
	while (n < max) {
		uint32_t prod = rd32(s, EVTQ_PROD) & mask;
		const volatile uint64_t *e;
		struct smmu_v3_fault *f = &out[n];

		if (prod == s->evtq_cons)
			break;
		e = s->evtq + EVT_DWORDS * (s->evtq_cons & ((1u << s->evtq_log2) - 1));
		f->type = (uint8_t)e[0];
		f->sid = (uint32_t)(e[0] >> 32);
		f->addr = e[2];
		f->read = e[1] & (1ULL << 35);
		pr_debug("smmu-v3: %s stream 0x%x address 0x%llx%s",
			 smmu_v3_event_name(f->type), f->sid,
			 (unsigned long long)f->addr, f->read ? " (read)" : "");
		s->evtq_cons = q_inc(s->evtq_cons, s->evtq_log2);
		wr32(s, EVTQ_CONS, s->evtq_cons | (raw & EVTQ_OVFLG));
		n++;
	}
	return n;
}

/* ---- probe ---------------------------------------------------------------- */

static unsigned pages_order(size_t bytes)
{
	unsigned order = 0;

	while ((4096ULL << order) < bytes)
		order++;
	return order;
}

static void *table_alloc(struct smmu *s, size_t bytes, unsigned *order)
{
	void *t;

	*order = pages_order(bytes);
	t = page_alloc(s->pool, *order);
	if (t)
		memset(t, 0, 4096ULL << *order);
	return t;
}

static void smmu_free_tables(struct smmu *s)
{
	if (s->strtab)
		page_free(s->pool, s->strtab, s->strtab_order);
	if (s->cmdq)
		page_free(s->pool, s->cmdq, s->cmdq_order);
	if (s->evtq)
		page_free(s->pool, s->evtq, s->evtq_order);
}

struct iommu_device *smmu_v3_probe(uint64_t base, struct page_pool *pool)
{
	struct smmu *s = heap_zalloc(sizeof(*s));
	uint32_t idr0, idr1, idr5;
	int err = -ENODEV;

	if (!s) {
		warn_report("smmu-v3: out of memory");
		return ERR_PTR(-ENOMEM);
	}
	s->base = (uintptr_t)base;
	s->pool = pool;
	idr0 = rd32(s, IDR0);
	idr1 = rd32(s, IDR1);
	idr5 = rd32(s, IDR5);
	if (!(idr0 & IDR0_S1P) || !(idr0 & IDR0_TTF_AA64) ||
	    !(idr5 & IDR5_GRAN4K)) {
		warn_report("smmu-v3 at 0x%llx: no stage 1 with AArch64 4 KiB "
			    "tables (IDR0 0x%x, IDR5 0x%x)",
			    (unsigned long long)base, idr0, idr5);
		heap_free(s);
		return ERR_PTR(-ENODEV);
	}
	s->sid_log2 = PT_MIN(IDR1_SIDSIZE(idr1), SMMU_SID_LOG2_MAX);
	s->cmdq_log2 = PT_MIN(IDR1_CMDQS(idr1), SMMU_Q_LOG2);
	s->evtq_log2 = PT_MIN(IDR1_EVTQS(idr1), SMMU_Q_LOG2);
	s->oas = PT_MIN(oas_bits(IDR5_OAS(idr5)), 48u);
	s->strtab = table_alloc(s, (size_t)STE_DWORDS * 8 << s->sid_log2,
				&s->strtab_order);
	s->cmdq = table_alloc(s, (size_t)16 << s->cmdq_log2, &s->cmdq_order);
	s->evtq = table_alloc(s, (size_t)32 << s->evtq_log2, &s->evtq_order);
	if (!s->strtab || !s->cmdq || !s->evtq) {
		warn_report("smmu-v3: no memory for its tables");
		err = -ENOMEM;
		goto fail;
	}
	/* Deny by default: every stream aborts until it has a domain. */
	for (size_t sid = 0; sid < (1u << s->sid_log2); sid++)
		s->strtab[sid * STE_DWORDS] = STE0_V | STE0_CFG_ABORT;

	/* Off, with anything not translated aborting meanwhile. */
	if (!write_cr0(s, 0)) {
		warn_report("smmu-v3: CR0 not acknowledged");
		goto fail;
	}
	wr32(s, GBPA, GBPA_ABORT | GBPA_UPDATE);
	wr32(s, IRQ_CTRL, 0);
	wr32(s, CR1, 0);
	wr32(s, CR2, CR2_RECINVSID);
	wr64(s, STRTAB_BASE, Q_BASE_RA |
	     (page_to_phys(pool, s->strtab) & 0x000fffffffffffc0ULL));
	wr32(s, STRTAB_BASE_CFG, s->sid_log2);      /* linear */
	wr64(s, CMDQ_BASE, Q_BASE_RA |
	     (page_to_phys(pool, s->cmdq) & Q_ADDR_MASK) | s->cmdq_log2);
	wr32(s, CMDQ_PROD, 0);
	wr32(s, CMDQ_CONS, 0);
	wr64(s, EVTQ_BASE, Q_BASE_RA |
	     (page_to_phys(pool, s->evtq) & Q_ADDR_MASK) | s->evtq_log2);
	wr32(s, EVTQ_PROD, 0);
	wr32(s, EVTQ_CONS, 0);
	if (!write_cr0(s, CR0_CMDQEN | CR0_EVTQEN)) {
		warn_report("smmu-v3: the queues were not enabled");
		goto fail;
	}
	cmd(s, CMD_CFGI_ALL, 31 /* range: all */, false);
	cmd(s, CMD_TLBI_NSNH_ALL, 0, true);
	if (s->broken || !write_cr0(s, CR0_CMDQEN | CR0_EVTQEN | CR0_SMMUEN)) {
		warn_report("smmu-v3: the unit could not be enabled");
		goto fail;
	}
	s->iommu.name = "smmu-v3";
	s->iommu.ops = &smmu_ops;
	s->iommu.priv = s;
	pr_info("smmu-v3 at 0x%llx: %u-bit stream ids (table of %u), "
		"%u-bit output, stage 1", (unsigned long long)base,
		IDR1_SIDSIZE(idr1), 1u << s->sid_log2, s->oas);
	return &s->iommu;
fail:
	smmu_free_tables(s);
	heap_free(s);
	return ERR_PTR(err);
}

void smmu_v3_remove(struct iommu_device *iommu)
{
	struct smmu *s = to_smmu(iommu);

	write_cr0(s, 0);
	smmu_free_tables(s);
	heap_free(s);
}
