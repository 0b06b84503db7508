// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * QEMU's edu (PCI 1234:11e8, hw/misc/edu.c): DMA registers at BAR0 +
 * 0x80..0x98, a 4 KiB buffer at 0x40000 in its own space, a 28-bit DMA
 * mask. A copy to memory is RAM -> buffer, then buffer -> target; each
 * transfer runs from a timer (100 ms of virtual time later). A faulting
 * DMA is dropped silently: only the IOMMU's fault record says so.
 * Started and polled (start, poll), a copy is a small state machine:
 * loading the buffer, then storing it; with same_source and the buffer
 * still holding that source, the load is skipped.
 */
#include <partita/arch/time.h>
#include <partita/dma-test/dma-test.h>
#include <partita/pci.h>
#include <partita/vfio/pci.h>

#define EDU_VENDOR      0x1234
#define EDU_DEVICE      0x11e8
#define EDU_DMA_SRC     0x80
#define EDU_DMA_DST     0x88
#define EDU_DMA_CNT     0x90
#define EDU_DMA_CMD     0x98
#define  EDU_CMD_START  1
#define  EDU_CMD_TO_RAM 2
#define EDU_BUFFER      0x40000
#define EDU_DMA_MASK    ((1ULL << 28) - 1)
/* QEMU 7.2's edu takes a transfer ending at its buffer's end (4 KiB) for
 * one beyond it (a hardware error that stops the machine): stay short. */
#define EDU_DMA_LEN     2048u
#define EDU_TIMEOUT_NS  5000000000ull  /* 50 timer periods */

/* The tester's priv[]: the state of a started copy (LOADING: its first
 * transfer, into the buffer, is the one running) and what the buffer
 * holds. */
enum { LOADING, DST, LEN, DEADLINE, LOADED_SRC, LOADED_LEN };

static bool edu_probe(struct dma_tester *t)
{
	struct vfio_pci_device *vpci = t->target.dev;
	uint8_t cmd[2] = { PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 0 };

	if (t->target.kind != BUS_PCI || vpci->vendor_id != EDU_VENDOR ||
	    vpci->device_id != EDU_DEVICE || !vpci->bars[0].size)
		return false;
	/* What a driver does first: decode and bus mastering. */
	vfio_pci_write_config(vpci, PCI_COMMAND, cmd, 2);
	t->regs = vpci->bars[0].addr;
	t->dma_mask = EDU_DMA_MASK;
	t->len = EDU_DMA_LEN;
	return true;
}

static void edu_kick(struct dma_tester *t, uint64_t src, uint64_t dst,
		     uint64_t len, uint64_t cmd)
{
	AddressSpace *as = t->target.as;

	address_space_stq_le(as, t->regs + EDU_DMA_SRC, src);
	address_space_stq_le(as, t->regs + EDU_DMA_DST, dst);
	address_space_stq_le(as, t->regs + EDU_DMA_CNT, len);
	address_space_stq_le(as, t->regs + EDU_DMA_CMD, cmd | EDU_CMD_START);
	t->priv[DEADLINE] = arch_time_ns() + EDU_TIMEOUT_NS;
}

static enum dma_test_result edu_start(struct dma_tester *t, uint64_t src,
				      uint64_t dst, uint64_t len,
				      bool same_source)
{
	t->priv[DST] = dst;
	t->priv[LEN] = len;
	if (same_source && len <= t->priv[LOADED_LEN] &&
	    t->priv[LOADED_SRC] == src) {
		t->priv[LOADING] = false;
		edu_kick(t, EDU_BUFFER, dst, len, EDU_CMD_TO_RAM);
	} else {
		t->priv[LOADING] = true;
		t->priv[LOADED_LEN] = 0;
		t->priv[LOADED_SRC] = src;
		edu_kick(t, src, EDU_BUFFER, len, 0);
	}
	return DMA_TEST_BUSY;
}

static enum dma_test_result edu_poll(struct dma_tester *t)
{
	if (address_space_ldq_le(t->target.as, t->regs + EDU_DMA_CMD, NULL) &
	    EDU_CMD_START) {
		return arch_time_ns() < t->priv[DEADLINE] ? DMA_TEST_BUSY :
		       DMA_TEST_TIMEOUT;
	}
	if (t->priv[LOADING]) {
		t->priv[LOADED_LEN] = t->priv[LEN];
		t->priv[LOADING] = false;
		edu_kick(t, EDU_BUFFER, t->priv[DST], t->priv[LEN],
			 EDU_CMD_TO_RAM);
		return DMA_TEST_BUSY;
	}
	return DMA_TEST_DONE;
}

const struct dma_test_driver dma_test_edu = {
	.name = "edu",
	.probe = edu_probe,
	.start = edu_start,
	.poll = edu_poll,
};
