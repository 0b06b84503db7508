/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A DMA engine of the host board, like QEMU's edu device: program source,
 * destination and length, write GO, and it copies through the IOMMU as
 * its stream id. Tests use it to prove translation and isolation.
 */
#ifndef PARTITA_SIM_DMA_ENGINE_H
#define PARTITA_SIM_DMA_ENGINE_H

#include <partita/mm/memory.h>
#include <stdint.h>

struct sim_iommu;

#define SIM_DMA_REG_SRC       0x00   /* IOVA to read */
#define SIM_DMA_REG_DST       0x08   /* IOVA to write */
#define SIM_DMA_REG_LEN       0x10   /* bytes */
#define SIM_DMA_REG_CMD       0x18   /* write SIM_DMA_CMD_GO */
#define   SIM_DMA_CMD_GO      1
#define SIM_DMA_REG_STATUS    0x20
#define   SIM_DMA_IDLE        0
#define   SIM_DMA_DONE        1
#define   SIM_DMA_FAULT       2
#define SIM_DMA_REG_FAULT     0x28   /* IOVA of the faulting access */
#define SIM_DMA_MMIO_SIZE     0x1000

struct sim_dma_engine;

struct sim_dma_engine *sim_dma_engine_create(MemoryContext *ctx,
					     struct sim_iommu *iommu,
					     uint32_t sid);
void sim_dma_engine_destroy(struct sim_dma_engine *e);
MemoryRegion *sim_dma_engine_mmio(struct sim_dma_engine *e);
/* The completion interrupt: raise(opaque) when a copy ends (done or
 * faulted). NULL disconnects it. An engine handed out as a PCI function
 * has none connected (INTx is not modelled); a platform engine's goes to
 * its interrupt line. */
void sim_dma_engine_connect_irq(struct sim_dma_engine *e,
				void (*raise)(void *opaque), void *opaque);

#endif
