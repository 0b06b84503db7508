// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host program's machine: the simulated board built as its device
 * tree describes it (arch/host/sim/default-board.dts unless -dtb), the
 * sim IOMMU driver probed on it, and discovery.
 *
 * The simulation is wired at fixed places (RAM at 0x40000000, the IOMMU
 * at 0x09050000, platform engines 64 KiB apart with their SRAM at
 * +32 KiB); a tree that asks for anything else is refused with a
 * message rather than half-modelled.
 */
#include <partita/arch/board.h>
#include <partita/arch/bring-up.h>
#include <partita/bus/bus.h>
#include <partita/err.h>
#include <partita/fdt-util.h>
#include <partita/heap.h>
#include <partita/iommu/vfio/vfio-ccw-ops.h>
#include <partita/log.h>
#include <partita/mm/page-alloc.h>
#include <partita/mm/user-mem.h>
#include <partita/sim/board.h>
#include <partita/sim/iommu.h>
#include <partita/sim/subchannel.h>
#include <partita/sys/fd.h>
#include <errno.h>
#include <libfdt.h>
#include <string.h>

#define IOMMU_POOL_SIZE (8ULL << 20)     /* top of RAM: tables, programs */
#define MAX_SCH 8

struct host_board {
	struct sim_board sim;
	bool sim_inited;
	struct sim_board_pci_fn pci[SIM_BOARD_MAX_PCI];
	struct sim_board_pdma pdma[SIM_BOARD_MAX_PDMA];
	uint32_t pdma_irq[SIM_BOARD_MAX_PDMA];  /* SPI of engine i */
	struct page_pool pool;
	bool pool_inited;
	struct iommu_device *iommu;
	uint32_t iommu_phandle;
	struct sim_subchannel *sch[MAX_SCH];
	uint16_t schno[MAX_SCH];
	unsigned nsch;
	struct umem *umem;
	struct bus_env env;
	struct board_bound *bound;     /* what the bring-up bound */
};

static struct iommu_device *iommu_for(void *opaque, uint32_t phandle)
{
	struct host_board *hb = opaque;

	return phandle == hb->iommu_phandle ? hb->iommu : NULL;
}

static int css_start(void *opaque, uint16_t schno, uint32_t cpa,
		     struct ccw_status *st)
{
	struct host_board *hb = opaque;

	for (unsigned i = 0; i < hb->nsch; i++) {
		if (hb->schno[i] == schno) {
			sim_subchannel_start(hb->sch[i], cpa, st);
			return 0;
		}
	}
	return -ENODEV;
}

static bool irq_connect(void *opaque, const uint32_t spec[3],
			void (*handler)(void *arg), void *arg)
{
	struct host_board *hb = opaque;

	for (unsigned i = 0; i < hb->sim.npdma; i++) {
		if (spec[0] == 0 && spec[1] == hb->pdma_irq[i]) {
			sim_dma_engine_connect_irq(hb->sim.pdma[i], handler, arg);
			return true;
		}
	}
	return false;
}

static const char *node_name(const void *fdt, int node)
{
	const char *n = fdt_get_name(fdt, node, NULL);

	return n ? n : "?";
}

/* Read what the tree asks the simulation to build. */
static bool read_tree(struct host_board *hb, const void *fdt,
		      struct sim_board_config *cfg, Error **errp)
{
	int node, depth = 0;
	uint64_t a, s;

	node = fdt_subnode_offset(fdt, 0, "memory@40000000");
	if (node < 0 || !fdt_util_reg(fdt, node, 0, &a, &s) ||
	    a != SIM_BOARD_RAM_BASE || s < (32ULL << 20) || s > (4ULL << 30)) {
		error_setg(errp, "board: needs /memory@40000000 with 32 MiB to "
			   "4 GiB of RAM at 0x40000000");
		return false;
	}
	cfg->ram_size = s;
	node = fdt_node_offset_by_compatible(fdt, -1, "partita,sim-iommu");
	if (node < 0 || !fdt_util_reg(fdt, node, 0, &a, &s) ||
	    a != SIM_BOARD_IOMMU_BASE || !fdt_get_phandle(fdt, node)) {
		error_setg(errp, "board: needs a partita,sim-iommu node at "
			   "0x%llx with a phandle",
			   (unsigned long long)SIM_BOARD_IOMMU_BASE);
		return false;
	}
	hb->iommu_phandle = fdt_get_phandle(fdt, node);
	cfg->iommu_idr = SIM_IOMMU_IDR_LPAE_S1 | SIM_IOMMU_IDR_LPAE_S2 |
			 SIM_IOMMU_IDR_ZPCI | SIM_IOMMU_IDR_HD;
	cfg->sid_bits = 13;        /* bdf-sized ids for 32 buses */

	node = fdt_node_offset_by_compatible(fdt, -1, "pci-host-ecam-generic");
	if (node >= 0) {
		const fdt32_t *fns;
		int len;

		if (!fdt_util_reg(fdt, node, 0, &a, &s) || s < (1u << 20)) {
			error_setg(errp, "board: %s: 'reg' must hold at least "
				   "one bus of ECAM", node_name(fdt, node));
			return false;
		}
		cfg->ecam_base = a;
		cfg->ecam_buses = (unsigned)(s >> 20);
		fns = fdt_getprop(fdt, node, "partita,sim-functions", &len);
		if (len < 0)
			len = 0;
		if (len % 8 || len / 8 > SIM_BOARD_MAX_PCI) {
			error_setg(errp, "board: %s: 'partita,sim-functions' "
				   "must be at most %u <bdf flags> pairs",
				   node_name(fdt, node), SIM_BOARD_MAX_PCI);
			return false;
		}
		for (int i = 0; i < len / 8; i++) {
			uint32_t bdf = fdt32_to_cpu(fns[2 * i]), ph, sid;

			if (bdf > 0xffff ||
			    !fdt_util_map_id(fdt, node, "iommu-map",
					     "iommu-map-mask", bdf, &ph, &sid) ||
			    sid >= (1u << cfg->sid_bits)) {
				error_setg(errp, "board: PCI function 0x%x has "
					   "no stream id below 0x%x in "
					   "iommu-map", bdf, 1u << cfg->sid_bits);
				return false;
			}
			hb->pci[i] = (struct sim_board_pci_fn){
				.bdf = (uint16_t)bdf, .sid = sid,
				.multifunction = fdt32_to_cpu(fns[2 * i + 1]) & 1 };
		}
		cfg->pci = hb->pci;
		cfg->npci = (unsigned)len / 8;
	}

	for (node = fdt_next_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		const fdt32_t *iommus, *ints;
		uint64_t sa, ss;
		unsigned i = cfg->platform_engines;
		int len;

		if (fdt_node_check_compatible(fdt, node, "partita,sim-dma") ||
		    !fdt_util_enabled(fdt, node))
			continue;
		iommus = fdt_getprop(fdt, node, "iommus", &len);
		ints = fdt_getprop(fdt, node, "interrupts", NULL);
		if (i == SIM_BOARD_MAX_PDMA ||
		    !fdt_util_reg(fdt, node, 0, &a, &s) || s != 0x1000 ||
		    !fdt_util_reg(fdt, node, 1, &sa, &ss) ||
		    sa != a + SIM_BOARD_PDMA_SRAM || ss != SIM_BOARD_PDMA_SRAM_SIZE ||
		    !iommus || len != 8 || !ints) {
			error_setg(errp, "board: %s: at most %u sim DMA engines, "
				   "each with 4 KiB of registers, its SRAM at "
				   "+0x8000 (32 KiB), 'iommus' and 'interrupts'",
				   node_name(fdt, node), SIM_BOARD_MAX_PDMA);
			return false;
		}
		hb->pdma[i] = (struct sim_board_pdma){
			.base = a, .sid = fdt32_to_cpu(iommus[1]) };
		hb->pdma_irq[i] = fdt32_to_cpu(ints[1]);
		cfg->platform_engines++;
	}
	cfg->pdma = hb->pdma;
	return true;
}

static bool make_subchannels(struct host_board *hb, const void *fdt,
			     Error **errp)
{
	int css = fdt_node_offset_by_compatible(fdt, -1, "partita,sim-css");
	int node;

	if (css < 0)
		return true;
	fdt_for_each_subnode(node, fdt, css) {
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", NULL);

		if (!reg)
			continue;     /* discovery says what is wrong */
		if (hb->nsch == MAX_SCH) {
			error_setg(errp, "board: at most %u subchannels", MAX_SCH);
			return false;
		}
		hb->sch[hb->nsch] = sim_subchannel_create(&hb->sim.phys);
		if (!hb->sch[hb->nsch]) {
			error_setg(errp, "board: out of memory");
			return false;
		}
		hb->schno[hb->nsch++] = (uint16_t)fdt32_to_cpu(*reg);
	}
	return true;
}

void *board_ram_ptr(struct board *b, uint64_t pa, uint64_t len)
{
	struct host_board *hb = b->arch;

	if (pa < b->ram_base || pa - b->ram_base > b->ram_size ||
	    len > b->ram_size - (pa - b->ram_base))
		return NULL;
	return sim_board_ram_ptr(&hb->sim, pa);
}

unsigned board_read_faults(struct board *b, struct board_fault *out,
			   unsigned max)
{
	/* The sim engines latch their faults (SIM_DMA_REG_FAULT). */
	return 0;
}

struct page_pool *board_table_pool(struct board *b)
{
	return &((struct host_board *)b->arch)->pool;
}

struct umem *board_umem(struct board *b)
{
	return ((struct host_board *)b->arch)->umem;
}

unsigned long board_free_table_pages(const struct board *b)
{
	const struct host_board *hb = b->arch;

	return hb ? page_pool_free_pages(&hb->pool) : 0;
}

static void host_board_free(struct host_board *hb)
{
	for (unsigned i = 0; i < hb->nsch; i++)
		sim_subchannel_destroy(hb->sch[i]);
	if (hb->iommu)
		sim_iommu_driver_remove(hb->iommu);
	if (hb->pool_inited)
		page_pool_destroy(&hb->pool);
	if (hb->umem)
		umem_destroy(hb->umem);
	if (hb->sim_inited)
		sim_board_fini(&hb->sim);
	heap_free(hb);
}

bool board_init(struct board *b, const void *fdt, Error **errp)
{
	struct sim_board_config cfg = { 0 };
	struct host_board *hb;
	const char *model;

	memset(b, 0, sizeof(*b));
	if (fdt_check_header(fdt)) {
		error_setg(errp, "board: not a device tree blob");
		return false;
	}
	hb = heap_zalloc(sizeof(*hb));
	if (!hb) {
		error_setg(errp, "board: out of memory");
		return false;
	}
	if (!read_tree(hb, fdt, &cfg, errp) ||
	    !sim_board_init(&hb->sim, &cfg, errp))
		goto fail;
	hb->sim_inited = true;
	b->fdt = fdt;
	b->arch = hb;
	model = fdt_getprop(fdt, 0, "model", NULL);
	b->model = model ? model : "simulated board";
	b->ram_base = SIM_BOARD_RAM_BASE;
	b->ram_size = cfg.ram_size;
	b->pool_base = b->ram_base;
	b->pool_size = b->ram_size - IOMMU_POOL_SIZE;
	if (!page_pool_init(&hb->pool, board_ram_ptr(b, b->ram_base + b->pool_size,
						       IOMMU_POOL_SIZE),
			    b->ram_base + b->pool_size, IOMMU_POOL_SIZE, errp))
		goto fail;
	hb->pool_inited = true;
	hb->iommu = sim_iommu_driver_probe(&hb->sim.phys, SIM_BOARD_IOMMU_BASE,
					   &hb->pool, SIM_IOMMU_FMT_LPAE_S1);
	if (IS_ERR(hb->iommu)) {
		error_setg_errno(errp, (int)-PTR_ERR(hb->iommu), "board: the "
				 "IOMMU driver did not take the unit");
		hb->iommu = NULL;
		goto fail;
	}
	if (!make_subchannels(hb, fdt, errp))
		goto fail;
	/* Partitions' RAM is what the services below the line may pin. */
	hb->umem = umem_create();
	if (!hb->umem ||
	    umem_add(hb->umem, (uint64_t)(uintptr_t)board_ram_ptr(b, b->pool_base,
								  b->pool_size),
		     b->pool_size, b->pool_base, UMEM_RAM)) {
		error_setg(errp, "board: out of memory");
		goto fail;
	}
	hb->env = (struct bus_env){
		.fdt = fdt, .phys = &hb->sim.phys, .iommu_for = iommu_for,
		.pool = &hb->pool, .css_start = css_start,
		.irq_connect = irq_connect, .opaque = hb,
	};
	if (!board_bring_up(&hb->env, hb->umem, &b->sys, &b->devices,
			    &hb->bound, errp))
		goto fail;
	return true;
fail:
	host_board_free(hb);
	memset(b, 0, sizeof(*b));
	return false;
}

void board_fini(struct board *b)
{
	if (!b->arch)
		return;
	board_bring_down(b->sys, ((struct host_board *)b->arch)->bound, b->devices);
	host_board_free(b->arch);
	memset(b, 0, sizeof(*b));
}

extern const char partita_default_dtb[];

const void *board_default_fdt(void)
{
	return partita_default_dtb;
}
