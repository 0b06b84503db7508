// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A CCW subchannel: its isolation is the driver's translation of channel
 * programs, exercised like any other program. A copy WRITEs len bytes
 * from src into the device's storage, command-chained to READ them back
 * to dst: done when the channel ends normally; a program the driver
 * refuses ends in a unit exception, the channel not started.
 */
#include <partita/ccw.h>
#include <partita/dma-test/dma-test.h>
#include <partita/vfio/ccw.h>
#include <string.h>

static bool ccw_probe(struct dma_tester *t)
{
	return t->target.kind == BUS_CCW;
}

static enum dma_test_result ccw_copy(struct dma_tester *t, uint64_t src,
				     uint64_t dst, uint64_t len)
{
	uint8_t *prog = t->target.ram + (t->scratch - t->target.ram_addr);
	uint8_t orb[ORB_AREA_SIZE], irb[IRB_AREA_SIZE];

	ccw_encode(prog, (struct ccw1){ CCW_CMD_WRITE, CCW_FLAG_CC,
					(uint16_t)len, (uint32_t)src });
	ccw_encode(prog + CCW_SIZE, (struct ccw1){ CCW_CMD_READ, 0,
						   (uint16_t)len, (uint32_t)dst });
	memset(orb, 0, sizeof(orb));
	ccw_put_be32(orb + 4, ORB_W1_FMT | ORB_W1_PFCH | ORB_W1_C64);
	ccw_put_be32(orb + 8, (uint32_t)t->scratch);
	return vfio_ccw_handle_request(t->target.dev, orb, irb) ==
	       VFIO_CCW_CC_EXPECTED &&
	       irb[8] == (DEV_STAT_CHN_END | DEV_STAT_DEV_END) ? DMA_TEST_DONE :
							     DMA_TEST_FAULT;
}

const struct dma_test_driver dma_test_ccw = {
	.name = "ccw",
	.probe = ccw_probe,
	.copy = ccw_copy,
};
