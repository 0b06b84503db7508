// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Hardware model of the board's DMA engine. A copy runs at once when GO
 * is written, a page at a time (read then write), and stops at the first
 * IOMMU fault with the faulting IOVA latched.
 */
#include <partita/heap.h>
#include <partita/sim/dma-engine.h>
#include <partita/sim/iommu.h>

struct sim_dma_engine {
	MemoryRegion mmio;
	struct sim_iommu *iommu;
	uint32_t sid;
	uint64_t src, dst, len, status, fault;
	void (*irq)(void *opaque);
	void *irq_opaque;
};

static void run(struct sim_dma_engine *e)
{
	uint8_t buf[4096];
	uint64_t done = 0;

	e->status = SIM_DMA_DONE;
	while (done < e->len) {
		uint64_t n = e->len - done;

		if (n > sizeof(buf))
			n = sizeof(buf);
		if (!sim_iommu_dma(e->iommu, e->sid, e->src + done, buf, n, false)) {
			e->status = SIM_DMA_FAULT;
			e->fault = e->src + done;
			return;
		}
		if (!sim_iommu_dma(e->iommu, e->sid, e->dst + done, buf, n, true)) {
			e->status = SIM_DMA_FAULT;
			e->fault = e->dst + done;
			return;
		}
		done += n;
	}
}

static uint64_t reg_read(void *opaque, uint64_t addr, unsigned size)
{
	struct sim_dma_engine *e = opaque;

	switch (addr) {
	case SIM_DMA_REG_SRC: return e->src;
	case SIM_DMA_REG_DST: return e->dst;
	case SIM_DMA_REG_LEN: return e->len;
	case SIM_DMA_REG_STATUS: return e->status;
	case SIM_DMA_REG_FAULT: return e->fault;
	default: return 0;
	}
}

static void reg_write(void *opaque, uint64_t addr, uint64_t v, unsigned size)
{
	struct sim_dma_engine *e = opaque;

	switch (addr) {
	case SIM_DMA_REG_SRC: e->src = v; break;
	case SIM_DMA_REG_DST: e->dst = v; break;
	case SIM_DMA_REG_LEN: e->len = v; break;
	case SIM_DMA_REG_CMD:
		if (v == SIM_DMA_CMD_GO) {
			run(e);
			if (e->irq)
				e->irq(e->irq_opaque);
		}
		break;
	default: break;
	}
}

static const MemoryRegionOps reg_ops = {
	.read = reg_read,
	.write = reg_write,
	.max_access_size = 8,
};

struct sim_dma_engine *sim_dma_engine_create(MemoryContext *ctx,
					     struct sim_iommu *iommu,
					     uint32_t sid)
{
	struct sim_dma_engine *e = heap_zalloc(sizeof(*e));

	if (!e)
		return NULL;
	if (!memory_region_init_io(&e->mmio, ctx, &reg_ops, e, "sim-dma",
				   SIM_DMA_MMIO_SIZE, NULL)) {
		heap_free(e);
		return NULL;
	}
	e->iommu = iommu;
	e->sid = sid;
	return e;
}

void sim_dma_engine_destroy(struct sim_dma_engine *e)
{
	if (!e)
		return;
	memory_region_finalize(&e->mmio);
	heap_free(e);
}

MemoryRegion *sim_dma_engine_mmio(struct sim_dma_engine *e)
{
	return &e->mmio;
}

void sim_dma_engine_connect_irq(struct sim_dma_engine *e,
				void (*raise)(void *opaque), void *opaque)
{
	e->irq = raise;
	e->irq_opaque = opaque;
}
