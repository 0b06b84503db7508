/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The simulated board of host builds: RAM, one IOMMU unit and some DMA
 * engines behind it, all on one physical address space (an mm/
 * AddressSpace). Hardware only: drivers find and program it through its
 * registers, like any board.
 *
 *   0x0905_0000  IOMMU registers (4 KiB)
 *   0x0a00_0000  DMA engine i registers at + i * 4 KiB, stream id 0x10 + i
 *   0x0a10_0000  platform DMA engine i at + i * 64 KiB: 4 KiB of registers,
 *                and at + 32 KiB its 32 KiB SRAM; stream id 0x20 + i,
 *                interrupt line (GIC SPI) 40 + i, level, raised when a
 *                copy ends (what a device-tree platform device looks like)
 *   0x0b00_0000  DMA engine i memory BAR at + i * 64 KiB (device memory a
 *                peer can DMA into: what PCI peer-to-peer reaches)
 *   0x4000_0000  RAM
 */
#ifndef PARTITA_SIM_BOARD_H
#define PARTITA_SIM_BOARD_H

#include <partita/error.h>
#include <partita/mm/memory.h>
#include <partita/sim/dma-engine.h>
#include <partita/sim/iommu.h>
#include <partita/sim/pci-ecam.h>

#define SIM_BOARD_IOMMU_BASE 0x09050000ULL
#define SIM_BOARD_DMA_BASE   0x0a000000ULL
#define SIM_BOARD_BAR_BASE   0x0b000000ULL
#define SIM_BOARD_BAR_SIZE   0x10000ULL
#define SIM_BOARD_RAM_BASE   0x40000000ULL
#define SIM_BOARD_MAX_DMA    8          /* engines at fixed addresses */
#define SIM_BOARD_MAX_PCI    1024       /* engines as PCI functions */
#define SIM_BOARD_DMA_SID(i) (0x10u + (i))
#define SIM_BOARD_PDMA_BASE  0x0a100000ULL
#define SIM_BOARD_PDMA_STRIDE 0x10000ULL
#define SIM_BOARD_PDMA_SRAM  0x8000ULL     /* offset of the SRAM */
#define SIM_BOARD_PDMA_SRAM_SIZE 0x8000ULL
#define SIM_BOARD_MAX_PDMA   2
#define SIM_BOARD_PDMA_SID(i) (0x20u + (i))
#define SIM_BOARD_PDMA_IRQ(i) (40u + (i))

/* A DMA engine behind the PCIe root complex (sim_board_config.pci). */
struct sim_board_pci_fn {
	uint16_t bdf;            /* bus << 8 | device << 3 | function */
	uint32_t sid;            /* its stream id (the DT's iommu-map) */
	bool multifunction;
};

/* A platform DMA engine placed explicitly (sim_board_config.pdma). */
struct sim_board_pdma {
	uint64_t base;           /* registers; SRAM at + SIM_BOARD_PDMA_SRAM */
	uint32_t sid;
};

struct sim_board_config {
	uint64_t ram_size;
	unsigned dma_engines;
	unsigned platform_engines;   /* at most SIM_BOARD_MAX_PDMA */
	uint64_t iommu_idr;      /* SIM_IOMMU_IDR_* */
	unsigned sid_bits;
	/* Optional, for boards built from a device tree: with npci > 0 the
	 * DMA engines are the functions pci[0..npci) of a PCIe root complex
	 * whose ECAM (ecam_buses MiB) sits at ecam_base; their registers
	 * and memory appear where software puts their BARs (dma_engines is
	 * ignored). With pdma set, platform engine i is at pdma[i]. */
	const struct sim_board_pci_fn *pci;
	unsigned npci;
	uint64_t ecam_base;
	unsigned ecam_buses;
	const struct sim_board_pdma *pdma;
};

struct sim_board {
	MemoryContext ctx;
	MemoryRegion root;
	MemoryRegion ram;
	void *ram_backing;       /* 2 MiB aligned host memory */
	AddressSpace phys;
	struct sim_iommu *iommu;
	/* The DMA engines, ndma of each (allocated for their number). */
	struct sim_dma_engine **dma;
	MemoryRegion *bar_mem;
	void **bar_backing;
	unsigned ndma;
	struct sim_dma_engine *pdma[SIM_BOARD_MAX_PDMA];
	MemoryRegion pdma_sram[SIM_BOARD_MAX_PDMA];
	void *pdma_sram_backing[SIM_BOARD_MAX_PDMA];
	unsigned npdma;
	struct sim_pci_host *pci;     /* NULL: engines at fixed addresses */
};

bool sim_board_init(struct sim_board *b, const struct sim_board_config *cfg,
		    Error **errp);
void sim_board_fini(struct sim_board *b);

/* RAM by physical address, and back; NULL / 0 outside RAM. */
void *sim_board_ram_ptr(struct sim_board *b, uint64_t pa);
uint64_t sim_board_ram_pa(struct sim_board *b, const void *ptr);

/* DMA engine i's memory BAR as the CPU sees it (host memory). */
void *sim_board_bar_ptr(struct sim_board *b, unsigned i);

/* Platform DMA engine i's SRAM as the CPU sees it, and its engine. */
void *sim_board_pdma_sram_ptr(struct sim_board *b, unsigned i);
struct sim_dma_engine *sim_board_pdma(struct sim_board *b, unsigned i);

/* Program DMA engine i to copy len bytes from src to dst (IOVAs) and run
 * it; returns SIM_DMA_DONE or SIM_DMA_FAULT, as the CPU reads STATUS. */
uint64_t sim_board_dma_copy(struct sim_board *b, unsigned i, uint64_t src,
			    uint64_t dst, uint64_t len);

#endif
