// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zPCI discovery: the PCI functions CALL LOGICAL PROCESSOR lists (there
 * is no device tree and no ECAM on s390), each queried for its BARs, DMA
 * window and uid, and for its function group, enabled (its config space is reachable only then) and
 * described with bus mastering on. Each function is its own IOMMU group,
 * as on Linux. MIO is off, so the function's BARs are not in the CPU's
 * address space: each function gets an address space of its own whose
 * BAR n (at n << 32) is reached with PCI LOAD and PCI STORE; nothing
 * there is RAM, so no BAR can be mmap'ed or DMA-mapped.
 *
 * Names are Linux's: the uid is the PCI domain, "0001:00:00.0".
 */
#include "../bus-private.h"
#include <partita/arch/s390x/facility.h>
#include <partita/arch/s390x/zpci.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <string.h>

#define ZPCI_BAR_SHIFT 32

/* One block for every CLP request of discovery (run on one CPU). */
static uint8_t clp_block[CLP_BLOCK_SIZE] __attribute__((aligned(4096)));

struct zpci_bar_io {
	struct zpci_fn *fn;
	unsigned bar;
};

/* What a function's description owns: its BARs' address space. */
struct zpci_fn {
	uint32_t fid, fh;
	/* Its function group (Query PCI Function Group): interrupts and
	 * the MSI address, for the MSI support to come. */
	uint16_t noi, maxstbl;
	uint64_t msia;
	MemoryContext ctx;
	MemoryRegion root, bars[PCI_NUM_BARS];
	struct zpci_bar_io io[PCI_NUM_BARS];
	unsigned nbars;                     /* bars[0..] in root */
	bool as_inited;
	AddressSpace as;
};

static uint64_t swap(uint64_t v, unsigned size)
{
	switch (size) {
	case 2: return __builtin_bswap16((uint16_t)v);
	case 4: return __builtin_bswap32((uint32_t)v);
	case 8: return __builtin_bswap64(v);
	default: return v;
	}
}

/* A load that fails (the function in error, say) reads as all ones, as
 * a PCI master abort does. */
static uint64_t bar_read(void *opaque, uint64_t addr, unsigned size)
{
	struct zpci_bar_io *io = opaque;
	uint64_t v;
	uint8_t st;

	if (zpci_load(&v, zpci_req(io->fn->fh, io->bar, size), addr, &st))
		return ~0ULL >> (64 - 8 * size);
	return swap(v, size);
}

static void bar_write(void *opaque, uint64_t addr, uint64_t v, unsigned size)
{
	struct zpci_bar_io *io = opaque;
	uint8_t st;

	zpci_store(swap(v, size), zpci_req(io->fn->fh, io->bar, size), addr,
		   &st);
}

static const MemoryRegionOps bar_ops = {
	.read = bar_read,
	.write = bar_write,
	.max_access_size = 8,
};

static uint32_t cfg_read(uint32_t fh, unsigned off, bool *ok)
{
	uint64_t v;
	uint8_t st;

	if (zpci_load(&v, zpci_req(fh, ZPCI_SPACE_CONFIG, 4), off, &st)) {
		*ok = false;
		return ~0u;
	}
	return (uint32_t)swap(v, 4);
}

static bool cfg_write16(uint32_t fh, unsigned off, uint16_t v)
{
	uint8_t st;

	return !zpci_store(swap(v, 2), zpci_req(fh, ZPCI_SPACE_CONFIG, 2), off,
			   &st);
}

static uint16_t clp(uint16_t cmd, uint64_t arg, uint8_t oc)
{
	return clp_pci(clp_block, cmd, arg, oc);
}

/* Enable or disable fh: the new handle, or 0. */
static uint32_t set_function(uint32_t fh, uint8_t oc)
{
	if (clp(CLP_SET_PCI_FN, fh, oc) != CLP_RC_OK)
		return 0;
	return ((struct clp_rsp_set *)clp_response(clp_block))->fh;
}

static void zpci_fn_release(void *priv)
{
	struct zpci_fn *fn = priv;

	if (fn->as_inited)
		address_space_destroy(&fn->as);
	for (unsigned i = 0; i < fn->nbars; i++) {
		memory_region_del_subregion(&fn->root, &fn->bars[i], NULL);
		memory_region_finalize(&fn->bars[i]);
	}
	if (fn->root.ctx) {
		memory_region_finalize(&fn->root);
		memory_context_destroy(&fn->ctx);
	}
	/* Leave the function as it was found: disabled. */
	if (fn->fh & CLP_FH_ENABLED)
		set_function(fn->fh, CLP_SET_DISABLE);
	heap_free(fn);
}

/* The address space of fn's BARs (sizes from the query). */
static bool make_bar_space(struct zpci_fn *fn, const struct pci_bar *bars,
			   Error **errp)
{
	memory_context_init(&fn->ctx);
	if (!memory_region_init(&fn->root, &fn->ctx, "zpci", UINT64_MAX, errp))
		return false;
	for (unsigned i = 0; i < PCI_NUM_BARS; i++) {
		if (!bars[i].size)
			continue;
		MemoryRegion *mr = &fn->bars[fn->nbars];

		fn->io[i] = (struct zpci_bar_io){ fn, i };
		if (!memory_region_init_io(mr, &fn->ctx, &bar_ops, &fn->io[i],
					   "zpci-bar", bars[i].size, errp))
			return false;
		if (!memory_region_add_subregion(&fn->root, bars[i].pa, mr,
						 errp)) {
			memory_region_finalize(mr);
			return false;
		}
		fn->nbars++;
	}
	if (!address_space_init(&fn->as, &fn->root, "zpci", errp))
		return false;
	fn->as_inited = true;
	return true;
}

static bool add_function(const struct bus_env *env, struct bus_devices *d,
			 const struct clp_fh_entry *fe, Error **errp)
{
	struct clp_rsp_query q;
	struct clp_rsp_query_group g;
	struct bus_pci_function *f;
	struct bus_entry *ent;
	struct zpci_fn *fn;
	struct iommu_device *iommu;
	char name[16];
	bool ok = true;

	if (clp(CLP_QUERY_PCI_FN, fe->fh, 0) != CLP_RC_OK) {
		pr_warn("zpci: fid 0x%x: Query PCI Function failed: left out",
			fe->fid);
		return true;
	}
	memcpy(&q, clp_response(clp_block), sizeof(q));
	snprintf(name, sizeof(name), "%04x:00:00.0", q.uid & 0xffff);
	if (clp(CLP_QUERY_PCI_FNGRP, q.pfgid, 0) != CLP_RC_OK) {
		pr_warn("%s: zPCI fid 0x%x: Query PCI Function Group %u failed: "
			"left out", name, fe->fid, q.pfgid);
		return true;
	}
	memcpy(&g, clp_response(clp_block), sizeof(g));
	iommu = env->iommu_for ? env->iommu_for(env->opaque, fe->fid) : NULL;
	if (!iommu) {
		pr_warn("%s: zPCI fid 0x%x has no IOMMU driver: not assignable",
			name, fe->fid);
		return true;
	}
	if (bus_device_find(d, name)) {
		error_setg(errp, "%s: zPCI fid 0x%x has the uid of another "
			   "function: the names would clash", name, fe->fid);
		return false;
	}
	ent = bus_entry_add(d, BUS_PCI, name, errp);
	if (!ent)
		return false;
	f = ent->pci = heap_zalloc(sizeof(*f));
	fn = heap_zalloc(sizeof(*fn));
	if (!f || !fn) {
		heap_free(fn);
		error_setg(errp, "discovery: out of memory");
		return false;
	}
	ent->priv = fn;
	ent->release = zpci_fn_release;
	fn->fid = fe->fid;
	fn->noi = g.noi & 0xfff;
	fn->maxstbl = g.maxstbl;
	fn->msia = g.msia;
	pr_debug("%s: zPCI fid 0x%x group %u: DMA 0x%llx-0x%llx, %u interrupts, "
		 "MSI at 0x%llx", name, fe->fid, q.pfgid,
		 (unsigned long long)q.sdma, (unsigned long long)q.edma, fn->noi,
		 (unsigned long long)fn->msia);
	for (unsigned i = 0; i < PCI_NUM_BARS; i++) {
		if (!q.bar_size[i])
			continue;
		f->bars[i] = (struct pci_bar){
			.pa = (uint64_t)i << ZPCI_BAR_SHIFT,
			.size = 1ULL << q.bar_size[i],
			.mem64 = q.bar[i] & PCI_BASE_ADDRESS_MEM_TYPE_64,
			.prefetch = q.bar[i] & PCI_BASE_ADDRESS_MEM_PREFETCH,
		};
	}
	if (!make_bar_space(fn, f->bars, errp))
		return false;
	fn->fh = set_function(fe->fh, CLP_SET_ENABLE);
	if (!(fn->fh & CLP_FH_ENABLED)) {
		error_setg(errp, "%s: zPCI fid 0x%x cannot be enabled (CLP Set "
			   "PCI Function)", name, fe->fid);
		return false;
	}
	if (!cfg_write16(fn->fh, PCI_COMMAND,
			 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER))
		ok = false;
	for (unsigned r = 0; r < PCI_CONFIG_SIZE; r += 4)
		pci_set_long(f->config + r, cfg_read(fn->fh, r, &ok));
	if (!ok) {
		error_setg(errp, "%s: zPCI fid 0x%x: its config space cannot be "
			   "read (PCI LOAD failed)", name, fe->fid);
		return false;
	}
	f->bus_as = &fn->as;
	ent->iommu = iommu;
	ent->info.stream_id = fe->fid;
	/* The window, as far as the zPCI tables reach (4 TiB). */
	ent->info.dma_first = q.sdma;
	ent->info.dma_last = q.edma < (1ULL << 42) - 1 ? q.edma : (1ULL << 42) - 1;
	ent->info.dma_why = "its zPCI DMA window";
	ent->info.vendor = pci_get_word(f->config + PCI_VENDOR_ID);
	ent->info.device = pci_get_word(f->config + PCI_DEVICE_ID);
	snprintf(ent->path, sizeof(ent->path), "/sys/bus/pci/devices/%s", name);
	snprintf(ent->compat, sizeof(ent->compat), "pci%x,%x fid 0x%x uid 0x%x",
		 ent->info.vendor, ent->info.device, fe->fid, q.uid);
	f->exp = pci_find_capability(f->config, PCI_CAP_ID_EXP);
	ent->info.group = bus_group_next(d);
	return true;
}

bool bus_zpci_discover(const struct bus_env *env, struct bus_devices *d,
		       Error **errp)
{
	uint64_t token = 0;

	/* Without the facility CLP lists nothing to trust; the zPCI
	 * driver's probe has said so (unless it is not built). */
	if (!s390x_has_facility(S390X_FACILITY_ZPCI)) {
		if (!IS_ENABLED(CONFIG_IOMMU_ZPCI))
			pr_info("zpci: no zPCI facility (STFLE bit 69 is off): "
				"no PCI function can be found");
		return true;
	}
	do {
		struct clp_rsp_list *rsp = clp_response(clp_block);
		struct clp_fh_entry *list;
		uint16_t rc = clp(CLP_LIST_PCI, token, 0);
		unsigned n = clp_list_count(rsp);
		bool ok = true;

		if (rc != CLP_RC_OK) {
			pr_warn("zpci: CLP List PCI Functions failed (response "
				"0x%04x): no PCI function found", rc);
			return true;
		}
		/* Each query reuses the block: copy the list out first. */
		list = heap_calloc(n ? n : 1, sizeof(*list));
		if (!list) {
			error_setg(errp, "discovery: out of memory");
			return false;
		}
		for (unsigned i = 0; i < n; i++)
			memcpy(&list[i], clp_list_entry(rsp, i), sizeof(*list));
		token = rsp->resume_token;
		for (unsigned i = 0; ok && i < n; i++)
			if (list[i].config & CLP_FH_CONFIGURED)
				ok = add_function(env, d, &list[i], errp);
		heap_free(list);
		if (!ok)
			return false;
	} while (token);
	return true;
}
