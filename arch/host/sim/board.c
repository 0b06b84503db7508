// SPDX-License-Identifier: GPL-2.0-or-later
/* Assembly of the simulated board's hardware on one physical map. */
#include <partita/sim/board.h>
#include <stdlib.h>
#include <string.h>

static void devices_destroy(struct sim_board *b);

void sim_board_fini(struct sim_board *b)
{
	memory_region_transaction_begin(&b->ctx);
	for (MemoryRegion *mr = b->root.subregions; mr; mr = b->root.subregions)
		memory_region_del_subregion(&b->root, mr, &error_abort);
	memory_region_transaction_commit(&b->ctx, &error_abort);
	address_space_destroy(&b->phys);
	sim_pci_host_destroy(b->pci);
	devices_destroy(b);
	sim_iommu_destroy(b->iommu);
	memory_region_finalize(&b->ram);
	free(b->ram_backing);
	memory_region_finalize(&b->root);
	memory_context_destroy(&b->ctx);
	memset(b, 0, sizeof(*b));
}

/* Device memory (a BAR, an SRAM): host memory outside Partita's heap. */
static bool device_mem_init(MemoryRegion *mr, void **backing, MemoryContext *ctx,
			    const char *name, uint64_t size, Error **errp)
{
	*backing = aligned_alloc(4096, size);
	if (!*backing) {
		error_setg(errp, "sim board: no host memory for %s", name);
		return false;
	}
	memset(*backing, 0, size);
	if (memory_region_init_ram_device_ptr(mr, ctx, name, size, *backing,
					      errp))
		return true;
	free(*backing);
	*backing = NULL;
	return false;
}

static bool devices_create(struct sim_board *b,
			   const struct sim_board_config *cfg, Error **errp)
{
	unsigned ndma = cfg->npci ? cfg->npci : cfg->dma_engines;

	b->dma = calloc(ndma ? ndma : 1, sizeof(*b->dma));
	b->bar_mem = calloc(ndma ? ndma : 1, sizeof(*b->bar_mem));
	b->bar_backing = calloc(ndma ? ndma : 1, sizeof(*b->bar_backing));
	if (!b->dma || !b->bar_mem || !b->bar_backing) {
		error_setg(errp, "sim board: out of memory for DMA engines");
		return false;
	}
	for (; b->ndma < ndma; b->ndma++) {
		b->dma[b->ndma] = sim_dma_engine_create(&b->ctx, b->iommu,
						cfg->npci ? cfg->pci[b->ndma].sid :
						SIM_BOARD_DMA_SID(b->ndma));
		if (!b->dma[b->ndma]) {
			error_setg(errp, "sim board: out of memory for DMA engines");
			return false;
		}
		if (!device_mem_init(&b->bar_mem[b->ndma], &b->bar_backing[b->ndma],
				     &b->ctx, "sim-dma-bar", SIM_BOARD_BAR_SIZE,
				     errp)) {
			sim_dma_engine_destroy(b->dma[b->ndma]);
			return false;
		}
	}
	for (; b->npdma < cfg->platform_engines; b->npdma++) {
		unsigned i = b->npdma;

		b->pdma[i] = sim_dma_engine_create(&b->ctx, b->iommu,
						   cfg->pdma ? cfg->pdma[i].sid :
						   SIM_BOARD_PDMA_SID(i));
		if (!b->pdma[i]) {
			error_setg(errp, "sim board: out of memory for DMA engines");
			return false;
		}
		if (!device_mem_init(&b->pdma_sram[i], &b->pdma_sram_backing[i],
				     &b->ctx, "sim-pdma-sram",
				     SIM_BOARD_PDMA_SRAM_SIZE, errp)) {
			sim_dma_engine_destroy(b->pdma[i]);
			return false;
		}
	}
	return true;
}

static void devices_destroy(struct sim_board *b)
{
	for (unsigned i = 0; i < b->ndma; i++) {
		sim_dma_engine_destroy(b->dma[i]);
		memory_region_finalize(&b->bar_mem[i]);
		free(b->bar_backing[i]);
	}
	free(b->dma);
	free(b->bar_mem);
	free(b->bar_backing);
	b->dma = NULL;
	b->bar_mem = NULL;
	b->bar_backing = NULL;
	for (unsigned i = 0; i < b->npdma; i++) {
		sim_dma_engine_destroy(b->pdma[i]);
		memory_region_finalize(&b->pdma_sram[i]);
		free(b->pdma_sram_backing[i]);
	}
	b->ndma = b->npdma = 0;
}

/* The root complex: its ECAM, each engine one function (their BARs are
 * mapped only once software programs them). */
static bool pci_create(struct sim_board *b, const struct sim_board_config *cfg,
		       Error **errp)
{
	b->pci = sim_pci_host_create(&b->ctx, &b->root, cfg->ecam_buses);
	if (!b->pci) {
		error_setg(errp, "sim board: out of memory for the PCIe root complex");
		return false;
	}
	for (unsigned i = 0; i < cfg->npci; i++) {
		if (!sim_pci_host_add_fn(b->pci, cfg->pci[i].bdf,
					 sim_dma_engine_mmio(b->dma[i]),
					 &b->bar_mem[i], cfg->pci[i].multifunction)) {
			error_setg(errp, "sim board: PCI function %02x:%02x.%x "
				   "given twice or outside the %u buses",
				   cfg->pci[i].bdf >> 8, (cfg->pci[i].bdf >> 3) & 31,
				   cfg->pci[i].bdf & 7, cfg->ecam_buses);
			sim_pci_host_destroy(b->pci);
			b->pci = NULL;
			return false;
		}
	}
	return true;
}

bool sim_board_init(struct sim_board *b, const struct sim_board_config *cfg,
		    Error **errp)
{
	memset(b, 0, sizeof(*b));
	memory_context_init(&b->ctx);
	if (cfg->dma_engines > SIM_BOARD_MAX_DMA || cfg->npci > SIM_BOARD_MAX_PCI ||
	    cfg->platform_engines > SIM_BOARD_MAX_PDMA) {
		error_setg(errp, "sim board: %u DMA engines, %u PCI functions and "
			   "%u platform engines, at most %u, %u and %u",
			   cfg->dma_engines, cfg->npci, cfg->platform_engines,
			   SIM_BOARD_MAX_DMA, SIM_BOARD_MAX_PCI, SIM_BOARD_MAX_PDMA);
		memory_context_destroy(&b->ctx);
		return false;
	}
	if (!memory_region_init(&b->root, &b->ctx, "sim-phys", UINT64_MAX, errp))
		goto fail_ctx;
	/* The board's RAM is the host's, page aligned like real RAM (and
	 * outside Partita's heap: it is hardware, not an allocation). */
	if (posix_memalign(&b->ram_backing, 1u << 21, cfg->ram_size)) {
		error_setg(errp, "sim board: no host memory for %llu bytes of RAM",
			   (unsigned long long)cfg->ram_size);
		goto fail_root;
	}
	memset(b->ram_backing, 0, cfg->ram_size);
	if (!memory_region_init_ram_ptr(&b->ram, &b->ctx, "sim-ram",
					cfg->ram_size, b->ram_backing, errp)) {
		free(b->ram_backing);
		goto fail_root;
	}
	if (!address_space_init(&b->phys, &b->root, "sim-phys", errp))
		goto fail_ram;
	b->iommu = sim_iommu_create(&b->ctx, &b->phys, cfg->iommu_idr,
				    cfg->sid_bits);
	if (!b->iommu) {
		error_setg(errp, "sim board: out of memory for the IOMMU");
		goto fail_as;
	}
	if (!devices_create(b, cfg, errp))
		goto fail_devices;
	if (cfg->npci && !pci_create(b, cfg, errp))
		goto fail_devices;
	memory_region_transaction_begin(&b->ctx);
	memory_region_add_subregion(&b->root, SIM_BOARD_RAM_BASE, &b->ram,
				    &error_abort);
	memory_region_add_subregion(&b->root, SIM_BOARD_IOMMU_BASE,
				    sim_iommu_mmio(b->iommu), &error_abort);
	if (b->pci)
		memory_region_add_subregion(&b->root, cfg->ecam_base,
					    sim_pci_host_ecam(b->pci),
					    &error_abort);
	for (unsigned i = 0; i < b->ndma && !b->pci; i++) {
		memory_region_add_subregion(&b->root, SIM_BOARD_DMA_BASE + i * 0x1000,
					    sim_dma_engine_mmio(b->dma[i]),
					    &error_abort);
		memory_region_add_subregion(&b->root, SIM_BOARD_BAR_BASE +
					    i * SIM_BOARD_BAR_SIZE,
					    &b->bar_mem[i], &error_abort);
	}
	for (unsigned i = 0; i < b->npdma; i++) {
		uint64_t base = cfg->pdma ? cfg->pdma[i].base :
				SIM_BOARD_PDMA_BASE + i * SIM_BOARD_PDMA_STRIDE;

		memory_region_add_subregion(&b->root, base,
					    sim_dma_engine_mmio(b->pdma[i]),
					    &error_abort);
		memory_region_add_subregion(&b->root, base + SIM_BOARD_PDMA_SRAM,
					    &b->pdma_sram[i], &error_abort);
	}
	if (memory_region_transaction_commit(&b->ctx, errp))
		return true;
	/* Out again in one transaction (the failed one is over). */
	memory_region_transaction_begin(&b->ctx);
	for (MemoryRegion *mr = b->root.subregions; mr; mr = b->root.subregions)
		memory_region_del_subregion(&b->root, mr, &error_abort);
	memory_region_transaction_commit(&b->ctx, &error_abort);
	sim_pci_host_destroy(b->pci);
fail_devices:
	devices_destroy(b);
	sim_iommu_destroy(b->iommu);
fail_as:
	address_space_destroy(&b->phys);
fail_ram:
	memory_region_finalize(&b->ram);
	free(b->ram_backing);
fail_root:
	memory_region_finalize(&b->root);
fail_ctx:
	memory_context_destroy(&b->ctx);
	return false;
}

void *sim_board_ram_ptr(struct sim_board *b, uint64_t pa)
{
	if (pa < SIM_BOARD_RAM_BASE || pa - SIM_BOARD_RAM_BASE >= b->ram.size)
		return NULL;
	return (uint8_t *)memory_region_get_ram_ptr(&b->ram) +
	       (pa - SIM_BOARD_RAM_BASE);
}

void *sim_board_bar_ptr(struct sim_board *b, unsigned i)
{
	return i < b->ndma ? b->bar_backing[i] : NULL;
}

void *sim_board_pdma_sram_ptr(struct sim_board *b, unsigned i)
{
	return i < b->npdma ? b->pdma_sram_backing[i] : NULL;
}

struct sim_dma_engine *sim_board_pdma(struct sim_board *b, unsigned i)
{
	return i < b->npdma ? b->pdma[i] : NULL;
}

uint64_t sim_board_ram_pa(struct sim_board *b, const void *ptr)
{
	const uint8_t *base = memory_region_get_ram_ptr(&b->ram);
	const uint8_t *p = ptr;

	if (p < base || (uint64_t)(p - base) >= b->ram.size)
		return 0;
	return SIM_BOARD_RAM_BASE + (uint64_t)(p - base);
}

uint64_t sim_board_dma_copy(struct sim_board *b, unsigned i, uint64_t src,
			    uint64_t dst, uint64_t len)
{
	uint64_t regs = SIM_BOARD_DMA_BASE + i * 0x1000;

	address_space_stq_le(&b->phys, regs + SIM_DMA_REG_SRC, src);
	address_space_stq_le(&b->phys, regs + SIM_DMA_REG_DST, dst);
	address_space_stq_le(&b->phys, regs + SIM_DMA_REG_LEN, len);
	address_space_stq_le(&b->phys, regs + SIM_DMA_REG_CMD, SIM_DMA_CMD_GO);
	return address_space_ldq_le(&b->phys, regs + SIM_DMA_REG_STATUS, NULL);
}
