// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The zPCI IOMMU driver (<partita/iommu/zpci.h>). Facts from QEMU 7.2
 * (../shared/reference/s390x-qemu-facts.md): the function must be
 * enabled; registering needs pba inside the DMA window the function's
 * query gives (below it is an operand exception) and a region-third
 * table; translations are used only once refreshed, so a map needs a
 * refresh just as an unmap does; a refresh beyond pal puts the function
 * in the error state.
 */
#include <partita/arch/s390x/facility.h>
#include <partita/arch/s390x/zpci.h>
#include <partita/compiler.h>
#include <partita/err.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/iommu/iommu.h>
#include <partita/iommu/zpci.h>
#include <partita/log.h>
#include <partita/mm/page-alloc.h>
#include <uapi/linux/iommufd.h>
#include <string.h>

/* The DAT tables reach 2^42 (three levels). */
#define ZPCI_IAS 42

struct zpci_domain;

/* A function the driver has seen: its handle and window, and what it
 * is attached to. */
struct zpci_fn {
	uint32_t fid, fh;
	uint64_t start, end;                /* DMA window, clipped to the tables */
	struct zpci_domain *domain;         /* registered with, or NULL */
	struct zpci_fn *next;               /* in the domain's list */
	struct zpci_fn *all;                /* in the driver's list */
};

struct zpci_iommu {
	struct iommu_device iommu;
	struct page_pool *pool;
	struct zpci_fn *fns;
	struct zpci_iommu_stats stats;
	uint8_t *clp;                       /* one CLP block */
	uint8_t *chsc;                      /* one CHSC block */
};

/* What a domain has mapped, so a function attached later is refreshed
 * over it: sorted, disjoint, merged when adjacent. */
struct zpci_range {
	uint64_t start, end;                /* inclusive */
};

struct zpci_domain {
	struct iommu_domain domain;
	struct zpci_iommu *z;
	struct io_pgtable_ops *pgtbl;
	struct io_pgtable_cfg cfg;
	struct zpci_fn *fns;                /* attached */
	struct zpci_range *ranges;
	unsigned nranges, cap;
};

static struct zpci_iommu *to_z(struct iommu_device *iommu)
{
	return container_of(iommu, struct zpci_iommu, iommu);
}

static struct zpci_domain *to_zd(struct iommu_domain *d)
{
	return container_of(d, struct zpci_domain, domain);
}

/* ---- CLP: a function's handle and window by its fid ------------------- */

/* The enabled handle of fid, or 0. */
static uint32_t find_handle(struct zpci_iommu *z, uint32_t fid)
{
	uint64_t token = 0;

	do {
		const struct clp_rsp_list *rsp = clp_response(z->clp);

		if (clp_pci(z->clp, CLP_LIST_PCI, token, 0) != CLP_RC_OK)
			return 0;
		for (unsigned i = 0; i < clp_list_count(rsp); i++) {
			const struct clp_fh_entry *e = clp_list_entry(rsp, i);

			if (e->fid == fid)
				return e->fh & CLP_FH_ENABLED ? e->fh : 0;
		}
		token = rsp->resume_token;
	} while (token);
	return 0;
}

/* The driver's record of dev's function, made on first use: NULL when
 * the function is not there or not enabled (discovery enables it). */
static struct zpci_fn *fn_of(struct device *dev)
{
	struct zpci_iommu *z = to_z(dev->iommu);
	const struct clp_rsp_query *q = clp_response(z->clp);
	struct zpci_fn *fn;
	uint32_t fh;

	for (fn = z->fns; fn; fn = fn->all)
		if (fn->fid == dev->stream_id)
			return fn;
	fh = find_handle(z, dev->stream_id);
	if (!fh || clp_pci(z->clp, CLP_QUERY_PCI_FN, fh, 0) != CLP_RC_OK) {
		pr_warn("zpci: %s (fid 0x%x) is not an enabled function",
			dev->name, dev->stream_id);
		return NULL;
	}
	fn = heap_zalloc(sizeof(*fn));
	if (!fn)
		return NULL;
	fn->fid = dev->stream_id;
	fn->fh = fh;
	fn->start = q->sdma;
	fn->end = q->edma < (1ULL << ZPCI_IAS) - 1 ? q->edma :
		  (1ULL << ZPCI_IAS) - 1;
	if (fn->start > fn->end) {
		pr_warn("zpci: %s: DMA window 0x%llx-0x%llx is beyond the "
			"tables' reach", dev->name,
			(unsigned long long)q->sdma, (unsigned long long)q->edma);
		heap_free(fn);
		return NULL;
	}
	fn->all = z->fns;
	z->fns = fn;
	return fn;
}

/* ---- the instructions ------------------------------------------------- */

static int refresh(struct zpci_iommu *z, struct zpci_fn *fn, uint64_t start,
		   uint64_t len)
{
	uint8_t st;
	int cc = zpci_rpcit(fn->fh, start, len, &st);

	z->stats.rpcits++;
	if (cc) {
		pr_warn("zpci: fid 0x%x: RPCIT 0x%llx+0x%llx failed (cc %d, "
			"status %u)", fn->fid, (unsigned long long)start,
			(unsigned long long)len, cc, st);
		return -EIO;
	}
	return 0;
}

static int register_ioat(struct zpci_iommu *z, struct zpci_fn *fn,
			 struct zpci_domain *zd)
{
	struct zpci_fib fib = { .pba = fn->start, .pal = fn->end,
				.iota = zd->cfg.s390.iota };
	uint8_t st;
	int cc = zpci_mpcifc(zpci_fc_req(fn->fh, 0, ZPCI_MOD_REG_IOAT), &fib,
			     &st);

	if (cc) {
		pr_warn("zpci: fid 0x%x: registering the translation tables "
			"failed (cc %d, status %u)", fn->fid, cc, st);
		return -EIO;
	}
	z->stats.registrations++;
	return 0;
}

static void deregister_ioat(struct zpci_fn *fn)
{
	struct zpci_fib fib = { 0 };
	uint8_t st;
	int cc = zpci_mpcifc(zpci_fc_req(fn->fh, 0, ZPCI_MOD_DEREG_IOAT), &fib,
			     &st);

	if (cc)
		pr_warn("zpci: fid 0x%x: deregistering the translation tables "
			"failed (cc %d, status %u)", fn->fid, cc, st);
}

/* ---- the domain's mapped ranges -------------------------------------- */

static int ranges_add(struct zpci_domain *zd, uint64_t start, uint64_t end)
{
	unsigned i = 0, k;

	while (i < zd->nranges && zd->ranges[i].end + 1 < start)
		i++;
	/* Merge every range that touches [start, end]. */
	for (k = i; k < zd->nranges && zd->ranges[k].start <= end + 1; k++) {
		start = PT_MIN(start, zd->ranges[k].start);
		end = PT_MAX(end, zd->ranges[k].end);
	}
	if (k == i) {
		if (zd->nranges == zd->cap) {
			unsigned cap = zd->cap ? zd->cap * 2 : 8;
			struct zpci_range *r = heap_realloc(zd->ranges,
							    cap * sizeof(*r));

			if (!r)
				return -ENOMEM;
			zd->ranges = r;
			zd->cap = cap;
		}
		memmove(&zd->ranges[i + 1], &zd->ranges[i],
			(zd->nranges - i) * sizeof(*zd->ranges));
		zd->nranges++;
	} else if (k > i + 1) {
		memmove(&zd->ranges[i + 1], &zd->ranges[k],
			(zd->nranges - k) * sizeof(*zd->ranges));
		zd->nranges -= k - i - 1;
	}
	zd->ranges[i] = (struct zpci_range){ start, end };
	return 0;
}

/* Cut [start, end] out; a range split in two needs room for one more,
 * and without it the range is kept whole (refreshing too much is
 * harmless: the tables say what is valid). */
static void ranges_remove(struct zpci_domain *zd, uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < zd->nranges; i++) {
		struct zpci_range *r = &zd->ranges[i];

		if (r->end < start || r->start > end)
			continue;
		if (r->start < start && r->end > end) {
			uint64_t tail = r->end;

			r->end = start - 1;
			if (ranges_add(zd, end + 1, tail))
				r->end = tail;
			return;
		}
		if (r->start >= start && r->end <= end) {
			memmove(r, r + 1, (zd->nranges - i - 1) * sizeof(*r));
			zd->nranges--;
			i--;
		} else if (r->start < start) {
			r->end = start - 1;
		} else {
			r->start = end + 1;
		}
	}
}

/* ---- domains ---------------------------------------------------------- */

static void tlb_flush_all(void *cookie)
{
	(void)cookie;   /* a refresh follows every change (iotlb_sync*) */
}

static void tlb_flush_walk(uint64_t iova, size_t size, size_t granule,
			   void *cookie)
{
	(void)iova; (void)size; (void)granule; (void)cookie;
}

static const struct io_pgtable_tlb_ops zpci_tlb_ops = {
	.tlb_flush_all = tlb_flush_all,
	.tlb_flush_walk = tlb_flush_walk,
	.tlb_add_page = iommu_pgtable_gather_page,
};

/* One refresh of [start, start + len) per attached function. */
static int refresh_all(struct zpci_domain *zd, uint64_t start, uint64_t len)
{
	int ret = 0;

	for (struct zpci_fn *fn = zd->fns; fn; fn = fn->next)
		if (refresh(zd->z, fn, start, len))
			ret = -EIO;
	return ret;
}

static int zpci_iotlb_sync_map(struct iommu_domain *d, uint64_t iova,
			       uint64_t size)
{
	struct zpci_domain *zd = to_zd(d);
	int ret = ranges_add(zd, iova, iova + size - 1);

	zd->z->stats.maps++;
	return ret ? ret : refresh_all(zd, iova, size);
}

static void zpci_iotlb_sync(struct iommu_domain *d, struct iommu_iotlb_gather *g)
{
	struct zpci_domain *zd = to_zd(d);

	if (g->start > g->end)
		return;
	ranges_remove(zd, g->start, g->end);
	zd->z->stats.unmaps++;
	refresh_all(zd, g->start, g->end - g->start + 1);
	iommu_iotlb_gather_init(g);
}

static void zpci_domain_free(struct iommu_domain *d)
{
	struct zpci_domain *zd = to_zd(d);

	zd->z->stats.pte_writes += io_pgtable_ops_to_pgtable(zd->pgtbl)->pte_writes;
	free_io_pgtable_ops(zd->pgtbl);
	heap_free(zd->ranges);
	heap_free(zd);
}

static const struct iommu_domain_ops zpci_domain_ops = {
	.map_pages = iommu_pgtable_map_pages,
	.unmap_pages = iommu_pgtable_unmap_pages,
	.iotlb_sync = zpci_iotlb_sync,
	.iotlb_sync_map = zpci_iotlb_sync_map,
	.iova_to_phys = iommu_pgtable_iova_to_phys,
	.free = zpci_domain_free,
};

static struct iommu_domain *zpci_domain_alloc_paging(struct device *dev,
						     unsigned flags)
{
	struct zpci_iommu *z = to_z(dev->iommu);
	struct zpci_fn *fn = fn_of(dev);
	struct zpci_domain *zd;

	if (flags & IOMMU_DOMAIN_F_DIRTY)
		return ERR_PTR(-EOPNOTSUPP);
	if (!fn)
		return ERR_PTR(-ENODEV);
	zd = heap_zalloc(sizeof(*zd));
	if (!zd)
		return ERR_PTR(-ENOMEM);
	zd->z = z;
	zd->cfg.pgsize_bitmap = SZ_4K;
	zd->cfg.ias = ZPCI_IAS;
	zd->cfg.oas = 64;
	zd->cfg.tlb = &zpci_tlb_ops;
	zd->cfg.pool = z->pool;
	zd->pgtbl = alloc_io_pgtable_ops(S390_ZPCI_DAT, &zd->cfg, zd);
	if (!zd->pgtbl) {
		heap_free(zd);
		return ERR_PTR(-ENOMEM);
	}
	zd->domain.ops = &zpci_domain_ops;
	zd->domain.pgsize_bitmap = zd->cfg.pgsize_bitmap;
	zd->domain.pgtable = zd->pgtbl;
	/* The function's window: nothing outside it can be registered. */
	zd->domain.aperture_start = fn->start;
	zd->domain.aperture_end = fn->end;
	return &zd->domain;
}

static void unlink_fn(struct zpci_fn *fn)
{
	struct zpci_fn **p;

	if (!fn->domain)
		return;
	for (p = &fn->domain->fns; *p; p = &(*p)->next) {
		if (*p == fn) {
			*p = fn->next;
			break;
		}
	}
	fn->domain = NULL;
	fn->next = NULL;
}

static int zpci_attach_dev(struct iommu_domain *d, struct device *dev)
{
	struct zpci_domain *zd = to_zd(d);
	struct zpci_fn *fn = fn_of(dev);
	int ret;

	if (!fn)
		return -ENODEV;
	if (fn->start > d->aperture_start || fn->end < d->aperture_end)
		return -EINVAL;     /* the domain's window is not the function's */
	/* Registering replaces nothing: the old tables go first. */
	if (fn->domain) {
		deregister_ioat(fn);
		unlink_fn(fn);
	}
	ret = register_ioat(zd->z, fn, zd);
	if (ret)
		return ret;
	fn->domain = zd;
	fn->next = zd->fns;
	zd->fns = fn;
	/* What the domain already maps is unknown to the function yet. */
	for (unsigned i = 0; i < zd->nranges; i++)
		if (refresh(zd->z, fn, zd->ranges[i].start,
			    zd->ranges[i].end - zd->ranges[i].start + 1))
			ret = -EIO;
	return ret;
}

static void zpci_block_dev(struct device *dev)
{
	struct zpci_fn *fn = fn_of(dev);

	if (!fn || !fn->domain)
		return;
	deregister_ioat(fn);
	unlink_fn(fn);
}

static bool zpci_capable(struct device *dev, enum iommu_cap cap)
{
	(void)dev;
	return cap == IOMMU_CAP_CACHE_COHERENCY;
}

/* Linux has no hw_info type for zPCI: none. */
static void zpci_hw_info(struct device *dev, void *data, uint32_t *len,
			 uint32_t *type)
{
	(void)dev;
	(void)data;
	*len = 0;
	*type = IOMMU_HW_INFO_TYPE_NONE;
}

static size_t zpci_resv_regions(struct device *dev,
				const struct iommu_resv_region **out)
{
	(void)dev;
	*out = NULL;
	return 0;
}

static const struct iommu_ops zpci_ops = {
	.domain_alloc_paging = zpci_domain_alloc_paging,
	.attach_dev = zpci_attach_dev,
	.block_dev = zpci_block_dev,
	.capable = zpci_capable,
	.hw_info = zpci_hw_info,
	.resv_regions = zpci_resv_regions,
};

/* ---- the driver ------------------------------------------------------- */

struct iommu_device *zpci_iommu_probe(struct page_pool *pool)
{
	struct zpci_iommu *z;

	if (!s390x_has_facility(S390X_FACILITY_ZPCI)) {
		pr_warn("zpci: no zPCI facility (STFLE bit 69 is off): no PCI "
			"function can be assigned");
		return ERR_PTR(-ENODEV);
	}
	z = heap_zalloc(sizeof(*z));
	if (!z)
		return ERR_PTR(-ENOMEM);
	z->clp = page_alloc(pool, 0);
	if (!z->clp) {
		heap_free(z);
		return ERR_PTR(-ENOMEM);
	}
	z->chsc = page_alloc(pool, 0);
	if (!z->chsc) {
		page_free(pool, z->clp, 0);
		heap_free(z);
		return ERR_PTR(-ENOMEM);
	}
	z->pool = pool;
	z->iommu.name = "zpci";
	z->iommu.ops = &zpci_ops;
	return &z->iommu;
}

void zpci_iommu_remove(struct iommu_device *iommu)
{
	struct zpci_iommu *z = to_z(iommu);
	const struct zpci_iommu_stats *st = &z->stats;

	if (st->registrations)
		pr_info("zpci: %lu RPCITs for %lu maps and %lu unmaps, %lu "
			"registrations, %lu blocked DMAs (%lu recovered), %llu "
			"table entries written", st->rpcits, st->maps, st->unmaps,
			st->registrations, st->faults, st->recoveries,
			st->pte_writes);
	while (z->fns) {
		struct zpci_fn *fn = z->fns;

		if (fn->domain)
			deregister_ioat(fn);
		z->fns = fn->all;
		heap_free(fn);
	}
	page_free(z->pool, z->chsc, 0);
	page_free(z->pool, z->clp, 0);
	heap_free(z);
}

/* ---- faults ----------------------------------------------------------- */

const char *zpci_error_name(uint16_t code)
{
	switch (code) {
	case 0x0002: return "E_OUT_OF_RANGE";
	case 0x0004: return "E_TRANSLATION";
	case 0x0007: return "E_INVALID_ENTRY";
	default: return "E_OTHER";
	}
}

/* Back from the error state: loads, stores and DMA work again. */
static void recover(struct zpci_iommu *z, uint32_t fid)
{
	struct zpci_fib fib = { 0 };
	uint8_t st;

	for (struct zpci_fn *fn = z->fns; fn; fn = fn->all) {
		if (fn->fid != fid)
			continue;
		if (zpci_mpcifc(zpci_fc_req(fn->fh, 0, ZPCI_MOD_RESET_ERROR),
				&fib, &st))
			pr_warn("zpci: fid 0x%x: the error state cannot be reset "
				"(status %u)", fid, st);
		else
			z->stats.recoveries++;
		return;
	}
}

unsigned zpci_iommu_read_faults(struct iommu_device *iommu,
				struct zpci_fault *out, unsigned max)
{
	struct zpci_iommu *z = to_z(iommu);
	uint8_t *rsp = z->chsc + CHSC_SEI_REQ_LEN;
	unsigned n = 0;
	uint32_t crw;

	/* The channel reports that announced the events: consumed. */
	while (!stcrw(&crw))
		;
	for (;;) {
		const struct chsc_pci_error *e = (const void *)(rsp + 64);
		uint16_t code;
		bool more;

		memset(z->chsc, 0, CHSC_BLOCK_SIZE);
		*(uint16_t *)z->chsc = CHSC_SEI_REQ_LEN;
		*(uint16_t *)(z->chsc + 2) = CHSC_SEI;
		*(uint64_t *)(z->chsc + 8) = CHSC_SEI_NT2_MASK;
		if (chsc_call(z->chsc) ||
		    *(uint16_t *)(rsp + 2) != CHSC_RSP_OK)
			break;
		more = rsp[8] & CHSC_SEI_MORE;
		if (rsp[7] == 2 && rsp[11] == CHSC_SEI_PCI_ERROR) {
			code = e->pec;
			z->stats.faults++;
			pr_debug("zpci: fid 0x%x: %s at 0x%llx", e->fid,
				 zpci_error_name(code),
				 (unsigned long long)e->faddr);
			if (n < max)
				out[n++] = (struct zpci_fault){ e->fid, e->faddr,
								code };
			recover(z, e->fid);
		}
		if (!more)
			break;
	}
	return n;
}

void zpci_iommu_stats(const struct iommu_device *iommu,
		      struct zpci_iommu_stats *st)
{
	*st = container_of(iommu, struct zpci_iommu, iommu)->stats;
}
