// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Driver for the simulated IOMMU (<partita/sim/iommu.h>). Shaped like
 * an SMMUv3 driver, smaller: one stream table entry per device, one TLB
 * tag per domain, invalidation by command after every change.
 */
#include <partita/bitmap.h>
#include <partita/byteorder.h>
#include <partita/compiler.h>
#include <partita/err.h>
#include <partita/heap.h>
#include <partita/iommu/iommu.h>
#include <partita/iova-bitmap.h>
#include <partita/mm/page-alloc.h>
#include <partita/sim/iommu.h>
#include <uapi/linux/iommufd.h>
#include <partita/errno.h>

#define SIM_MAX_TAGS 4096
/* The window Arm systems keep for MSI doorbells (Linux's SW_MSI). */
#define SIM_MSI_IOVA_BASE 0x8000000ULL
#define SIM_MSI_IOVA_SIZE 0x100000ULL

struct sim_drv {
	struct iommu_device iommu;
	AddressSpace *bus;
	uint64_t base;
	struct page_pool *pool;
	enum sim_iommu_fmt fmt;
	uint64_t idr;
	unsigned sid_bits;
	uint64_t *strtab;          /* host view of the stream table */
	unsigned strtab_order;
	unsigned long tags[BITS_TO_LONGS(SIM_MAX_TAGS)];
};

struct sim_domain {
	struct iommu_domain domain;
	struct sim_drv *drv;
	struct io_pgtable_ops *pgtbl;
	struct io_pgtable_cfg cfg;
	unsigned tag;
	bool hd;
};

static struct sim_drv *to_drv(struct iommu_device *iommu)
{
	return container_of(iommu, struct sim_drv, iommu);
}

static struct sim_domain *to_dom(struct iommu_domain *d)
{
	return container_of(d, struct sim_domain, domain);
}

static void reg_write(struct sim_drv *drv, uint64_t reg, uint64_t val)
{
	address_space_stq_le(drv->bus, drv->base + reg, val);
}

static uint64_t reg_read(struct sim_drv *drv, uint64_t reg)
{
	return address_space_ldq_le(drv->bus, drv->base + reg, NULL);
}

static void cmd(struct sim_drv *drv, uint64_t op, uint64_t arg0, uint64_t arg1)
{
	reg_write(drv, SIM_IOMMU_REG_ARG0, arg0);
	reg_write(drv, SIM_IOMMU_REG_ARG1, arg1);
	reg_write(drv, SIM_IOMMU_REG_CMD, op);
}

/* ---- TLB maintenance for the page tables ------------------------------ */

static void tlb_flush_all(void *cookie)
{
	struct sim_domain *sd = cookie;

	cmd(sd->drv, SIM_IOMMU_CMD_TLBI_TAG, sd->tag, 0);
}

static void tlb_flush_walk(uint64_t iova, size_t size, size_t granule,
			   void *cookie)
{
	struct sim_domain *sd = cookie;

	cmd(sd->drv, SIM_IOMMU_CMD_TLBI_RANGE | ((size >> 12) << 8), sd->tag,
	    iova);
}

static const struct io_pgtable_tlb_ops sim_tlb_ops = {
	.tlb_flush_all = tlb_flush_all,
	.tlb_flush_walk = tlb_flush_walk,
	.tlb_add_page = iommu_pgtable_gather_page,
};

/* ---- domain ops -------------------------------------------------------- */

static void sim_iotlb_sync(struct iommu_domain *d,
			   struct iommu_iotlb_gather *g)
{
	struct sim_domain *sd = to_dom(d);

	if (g->start > g->end)
		return;
	cmd(sd->drv, SIM_IOMMU_CMD_TLBI_RANGE |
		     (((g->end - g->start) / 4096 + 1) << 8), sd->tag, g->start);
	iommu_iotlb_gather_init(g);
}

static int sim_set_dirty_tracking(struct iommu_domain *d, bool enable)
{
	/* HD is always on for a dirty-capable domain's tables; tracking
	 * "off" only means nobody reads the bits. */
	d->dirty_tracking = enable;
	return 0;
}

static int sim_read_and_clear_dirty(struct iommu_domain *d, uint64_t iova,
				    size_t size, unsigned flags,
				    struct iova_bitmap *bitmap)
{
	struct sim_domain *sd = to_dom(d);
	struct iommu_iotlb_gather gather;
	struct iommu_dirty_bitmap dirty = { bitmap, &gather };
	int ret;

	iommu_iotlb_gather_init(&gather);
	ret = sd->pgtbl->read_and_clear_dirty(sd->pgtbl, iova, size, flags,
					      &dirty);
	sim_iotlb_sync(d, &gather);
	return ret;
}

static void sim_domain_free(struct iommu_domain *d)
{
	struct sim_domain *sd = to_dom(d);

	cmd(sd->drv, SIM_IOMMU_CMD_TLBI_TAG, sd->tag, 0);
	free_io_pgtable_ops(sd->pgtbl);
	bitmap_clear_bit(sd->drv->tags, sd->tag);
	heap_free(sd);
}

static const struct iommu_domain_ops sim_domain_ops = {
	.map_pages = iommu_pgtable_map_pages,
	.unmap_pages = iommu_pgtable_unmap_pages,
	.iotlb_sync = sim_iotlb_sync,
	.iova_to_phys = iommu_pgtable_iova_to_phys,
	.free = sim_domain_free,
};

static const struct iommu_domain_ops sim_dirty_domain_ops = {
	.map_pages = iommu_pgtable_map_pages,
	.unmap_pages = iommu_pgtable_unmap_pages,
	.iotlb_sync = sim_iotlb_sync,
	.iova_to_phys = iommu_pgtable_iova_to_phys,
	.set_dirty_tracking = sim_set_dirty_tracking,
	.read_and_clear_dirty = sim_read_and_clear_dirty,
	.free = sim_domain_free,
};

/* ---- device ops -------------------------------------------------------- */

static bool sim_has_hd(const struct sim_drv *drv)
{
	return drv->fmt == SIM_IOMMU_FMT_LPAE_S1 && (drv->idr & SIM_IOMMU_IDR_HD);
}

static struct iommu_domain *sim_domain_alloc_paging(struct device *dev,
						    unsigned flags)
{
	struct sim_drv *drv = to_drv(dev->iommu);
	static const enum io_pgtable_fmt fmts[] = {
		[SIM_IOMMU_FMT_LPAE_S1] = ARM_64_LPAE_S1,
		[SIM_IOMMU_FMT_LPAE_S2] = ARM_64_LPAE_S2,
		[SIM_IOMMU_FMT_ZPCI] = S390_ZPCI_DAT,
	};
	struct sim_domain *sd;
	size_t tag;

	if ((flags & IOMMU_DOMAIN_F_DIRTY) && !sim_has_hd(drv))
		return ERR_PTR(-EOPNOTSUPP);
	tag = bitmap_find_next_zero_bit(drv->tags, SIM_MAX_TAGS, 1);
	sd = tag < SIM_MAX_TAGS ? heap_zalloc(sizeof(*sd)) : NULL;
	if (!sd)
		return ERR_PTR(-ENOMEM);
	sd->drv = drv;
	sd->tag = (unsigned)tag;
	sd->hd = flags & IOMMU_DOMAIN_F_DIRTY;
	sd->cfg.pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G;
	sd->cfg.ias = drv->fmt == SIM_IOMMU_FMT_ZPCI ? 42 : 48;
	sd->cfg.oas = 48;
	sd->cfg.quirks = sd->hd ? IO_PGTABLE_QUIRK_ARM_HD : 0;
	sd->cfg.tlb = &sim_tlb_ops;
	sd->cfg.pool = drv->pool;
	sd->pgtbl = alloc_io_pgtable_ops(fmts[drv->fmt], &sd->cfg, sd);
	if (!sd->pgtbl) {
		heap_free(sd);
		return ERR_PTR(-ENOMEM);
	}
	bitmap_set_bit(drv->tags, tag);
	sd->domain.ops = sd->hd ? &sim_dirty_domain_ops : &sim_domain_ops;
	sd->domain.pgsize_bitmap = sd->cfg.pgsize_bitmap;
	sd->domain.pgtable = sd->pgtbl;
	sd->domain.aperture_start = 0;
	sd->domain.aperture_end = (1ULL << sd->cfg.ias) - 1;
	/* Fresh tables: nothing of this tag may linger in the IOTLB. */
	cmd(drv, SIM_IOMMU_CMD_TLBI_TAG, sd->tag, 0);
	return &sd->domain;
}

static void write_ste(struct sim_drv *drv, uint32_t sid, const uint64_t w[4])
{
	uint64_t *ste = &drv->strtab[sid * (SIM_STE_SIZE / 8)];

	/* Invalidate first, fill, then validate: the unit never fetches a
	 * half-written entry. */
	ste[0] = 0;
	cmd(drv, SIM_IOMMU_CMD_CFGI_STE, sid, 0);
	for (int i = 3; i >= 0; i--)
		ste[i] = cpu_to_le64(w[i]);
	cmd(drv, SIM_IOMMU_CMD_CFGI_STE, sid, 0);
}

static int sim_attach_dev(struct iommu_domain *d, struct device *dev)
{
	struct sim_domain *sd = to_dom(d);
	struct sim_drv *drv = sd->drv;
	uint64_t w[4] = { 0 };

	if (dev->stream_id >> drv->sid_bits)
		return -EINVAL;
	w[0] = SIM_STE0_VALID | (SIM_STE_CFG_TRANSLATE << SIM_STE0_CFG_SHIFT) |
	       ((uint64_t)sd->tag << SIM_STE0_TAG_SHIFT) |
	       (sd->hd ? SIM_STE0_HD : 0);
	switch (drv->fmt) {
	case SIM_IOMMU_FMT_LPAE_S1:
		w[0] |= SIM_STE_FMT_LPAE_S1 << SIM_STE0_FMT_SHIFT;
		w[1] = sd->cfg.arm_lpae_s1.ttbr;
		w[2] = sd->cfg.arm_lpae_s1.tcr;
		break;
	case SIM_IOMMU_FMT_LPAE_S2:
		w[0] |= SIM_STE_FMT_LPAE_S2 << SIM_STE0_FMT_SHIFT;
		w[1] = sd->cfg.arm_lpae_s2.vttbr;
		w[2] = sd->cfg.arm_lpae_s2.vtcr;
		break;
	case SIM_IOMMU_FMT_ZPCI:
		w[0] |= SIM_STE_FMT_ZPCI << SIM_STE0_FMT_SHIFT;
		w[1] = sd->cfg.s390.iota;
		break;
	}
	write_ste(drv, dev->stream_id, w);
	return 0;
}

static void sim_block_dev(struct device *dev)
{
	struct sim_drv *drv = to_drv(dev->iommu);
	const uint64_t w[4] = {
		SIM_STE0_VALID | (SIM_STE_CFG_ABORT << SIM_STE0_CFG_SHIFT),
	};

	if (!(dev->stream_id >> drv->sid_bits))
		write_ste(drv, dev->stream_id, w);
}

static bool sim_capable(struct device *dev, enum iommu_cap cap)
{
	switch (cap) {
	case IOMMU_CAP_CACHE_COHERENCY:
		return true;
	case IOMMU_CAP_DIRTY_TRACKING:
		return sim_has_hd(to_drv(dev->iommu));
	}
	return false;
}

static void sim_hw_info(struct device *dev, void *data, uint32_t *len,
			uint32_t *type)
{
	*len = 0;
	*type = IOMMU_HW_INFO_TYPE_NONE;
}

static const struct iommu_resv_region sim_msi_window = {
	SIM_MSI_IOVA_BASE, SIM_MSI_IOVA_BASE + SIM_MSI_IOVA_SIZE - 1,
};

static size_t sim_resv_regions(struct device *dev,
			       const struct iommu_resv_region **out)
{
	*out = &sim_msi_window;
	return 1;
}

static const struct iommu_ops sim_iommu_ops = {
	.domain_alloc_paging = sim_domain_alloc_paging,
	.attach_dev = sim_attach_dev,
	.block_dev = sim_block_dev,
	.capable = sim_capable,
	.hw_info = sim_hw_info,
	.resv_regions = sim_resv_regions,
};

/* ---- probe --------------------------------------------------------------- */

struct iommu_device *sim_iommu_driver_probe(AddressSpace *bus, uint64_t base,
					    struct page_pool *pool,
					    enum sim_iommu_fmt fmt)
{
	static const uint64_t need[] = {
		[SIM_IOMMU_FMT_LPAE_S1] = SIM_IOMMU_IDR_LPAE_S1,
		[SIM_IOMMU_FMT_LPAE_S2] = SIM_IOMMU_IDR_LPAE_S2,
		[SIM_IOMMU_FMT_ZPCI] = SIM_IOMMU_IDR_ZPCI,
	};
	struct sim_drv *drv = heap_zalloc(sizeof(*drv));
	size_t bytes;

	if (!drv)
		return ERR_PTR(-ENOMEM);
	drv->bus = bus;
	drv->base = base;
	drv->pool = pool;
	drv->fmt = fmt;
	drv->idr = reg_read(drv, SIM_IOMMU_REG_IDR);
	drv->sid_bits = (unsigned)SIM_IOMMU_IDR_SID_BITS(drv->idr);
	if (!(drv->idr & need[fmt]) || drv->sid_bits > 16) {
		heap_free(drv);
		return ERR_PTR(-ENODEV);
	}
	bytes = ((size_t)1 << drv->sid_bits) * SIM_STE_SIZE;
	while (((size_t)4096 << drv->strtab_order) < bytes)
		drv->strtab_order++;
	/* Zeroed: every STE invalid, so every stream is refused. */
	drv->strtab = page_alloc(pool, drv->strtab_order);
	if (!drv->strtab) {
		heap_free(drv);
		return ERR_PTR(-ENOMEM);
	}
	reg_write(drv, SIM_IOMMU_REG_STRTAB, page_to_phys(pool, drv->strtab));
	cmd(drv, SIM_IOMMU_CMD_TLBI_ALL, 0, 0);
	reg_write(drv, SIM_IOMMU_REG_CTRL, SIM_IOMMU_CTRL_EN);
	drv->iommu.name = "sim-iommu";
	drv->iommu.ops = &sim_iommu_ops;
	return &drv->iommu;
}

void sim_iommu_driver_remove(struct iommu_device *iommu)
{
	struct sim_drv *drv;

	if (!iommu)
		return;
	drv = to_drv(iommu);
	reg_write(drv, SIM_IOMMU_REG_CTRL, 0);
	page_free(drv->pool, drv->strtab, drv->strtab_order);
	heap_free(drv);
}
