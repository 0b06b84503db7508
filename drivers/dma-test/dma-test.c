// SPDX-License-Identifier: GPL-2.0-or-later
/* The table of DMA testers (include/partita/dma-test/dma-test.h). */
#include <partita/dma-test/dma-test.h>
#include <string.h>

static const struct dma_test_driver *const drivers[] = {
#if IS_ENABLED(CONFIG_VFIO_PCI) || IS_ENABLED(CONFIG_VFIO_PLATFORM)
	&dma_test_sim_engine,
#endif
#if IS_ENABLED(CONFIG_VFIO_PCI)
	&dma_test_edu,
	&dma_test_virtio_rng,
#endif
/* A real subchannel answers SENSE ID; the simulated one moves data. */
#if IS_ENABLED(CONFIG_VFIO_CCW) && IS_ENABLED(CONFIG_S390_IO)
	&dma_test_ccw_sense_id,
#elif IS_ENABLED(CONFIG_VFIO_CCW)
	&dma_test_ccw,
#endif
	NULL,
};

bool dma_test_probe(const struct dma_test_target *target, struct dma_tester *t)
{
	for (const struct dma_test_driver *const *d = drivers; *d; d++) {
		memset(t, 0, sizeof(*t));
		t->drv = *d;
		t->target = *target;
		t->scratch = target->ram_addr + target->ram_size - 3 * 4096;
		t->dma_mask = UINT64_MAX;
		t->len = 4096;
		if ((*d)->probe(t))
			return true;
	}
	memset(t, 0, sizeof(*t));
	return false;
}

enum dma_test_result dma_test_copy(struct dma_tester *t, uint64_t src,
				   uint64_t dst, uint64_t len)
{
	enum dma_test_result r;

	if (t->drv->copy)
		return t->drv->copy(t, src, dst, len);
	for (r = dma_test_start(t, src, dst, len, false); r == DMA_TEST_BUSY;)
		r = dma_test_poll(t);
	return r;
}

enum dma_test_result dma_test_start(struct dma_tester *t, uint64_t src,
				    uint64_t dst, uint64_t len, bool same_source)
{
	if (t->drv->start)
		return t->result = t->drv->start(t, src, dst, len, same_source);
	return t->result = t->drv->copy(t, src, dst, len);
}

enum dma_test_result dma_test_poll(struct dma_tester *t)
{
	if (t->result == DMA_TEST_BUSY && t->drv->poll)
		t->result = t->drv->poll(t);
	return t->result;
}

bool dma_test_last_fault(struct dma_tester *t, uint64_t *addr)
{
	return t->drv->last_fault && t->drv->last_fault(t, addr);
}
