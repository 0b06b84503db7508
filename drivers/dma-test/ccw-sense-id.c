// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A real subchannel (s390x): the one command every device answers is
 * SENSE ID, so a copy is a SENSE ID of len bytes into dst (SLI: QEMU
 * takes a count other than 256 only with it). The device brings its own
 * data (fills): 0xff, then its control-unit type (virtio-ccw: 3832).
 * The probe senses once into the partition's own scratch page and
 * takes the device only when it answers. A program whose data address
 * is outside the partition is refused by the driver's translation before
 * any START SUBCHANNEL: the request ends in a unit exception or an error
 * condition code, never with the channel's normal end.
 */
#include <partita/ccw.h>
#include <partita/dma-test/dma-test.h>
#include <partita/log.h>
#include <partita/vfio/ccw.h>
#include <string.h>

#define CCW_CMD_SENSE_ID 0xe4
#define SENSE_LEN        8u
#define PROBE_DATA       0x800      /* in the scratch page, after the CCW */

static enum dma_test_result sense_id(struct dma_tester *t, uint64_t dst,
				     uint64_t len)
{
	uint8_t *prog = t->target.ram + (t->scratch - t->target.ram_addr);
	uint8_t orb[ORB_AREA_SIZE], irb[IRB_AREA_SIZE];

	ccw_encode(prog, (struct ccw1){ CCW_CMD_SENSE_ID, CCW_FLAG_SLI,
					(uint16_t)len, (uint32_t)dst });
	memset(orb, 0, sizeof(orb));
	ccw_put_be32(orb + 4, ORB_W1_FMT | ORB_W1_PFCH | ORB_W1_C64);
	ccw_put_be32(orb + 8, (uint32_t)t->scratch);
	return vfio_ccw_handle_request(t->target.dev, orb, irb) ==
	       VFIO_CCW_CC_EXPECTED &&
	       irb[8] == (DEV_STAT_CHN_END | DEV_STAT_DEV_END) && !irb[9] ?
	       DMA_TEST_DONE : DMA_TEST_FAULT;
}

static bool sense_probe(struct dma_tester *t)
{
	uint8_t *data = t->target.ram + (t->scratch - t->target.ram_addr) +
			PROBE_DATA;

	if (t->target.kind != BUS_CCW)
		return false;
	memset(data, 0, SENSE_LEN);
	if (sense_id(t, t->scratch + PROBE_DATA, SENSE_LEN) != DMA_TEST_DONE ||
	    data[0] != 0xff)
		return false;
	pr_info("selftest: %s: SENSE ID: control unit %02x%02x/%02x",
		((struct vfio_ccw_device *)t->target.dev)->vbase.name,
		data[1], data[2], data[3]);
	t->len = SENSE_LEN;
	t->dma_mask = 0x7fffffffULL;    /* 31-bit data addresses */
	return true;
}

static enum dma_test_result sense_copy(struct dma_tester *t, uint64_t src,
				       uint64_t dst, uint64_t len)
{
	(void)src;
	return sense_id(t, dst, len);
}

const struct dma_test_driver dma_test_ccw_sense_id = {
	.name = "ccw-sense-id",
	.probe = sense_probe,
	.copy = sense_copy,
	.fills = true,
};
