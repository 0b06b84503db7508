// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dma: a guest drives its edu's DMA engine with addresses of its own RAM
 * (its IPAs are its device's DMA addresses: the partition's IOMMU maps
 * them), sleeping in WFI for each completion interrupt: a page from its
 * RAM into edu's buffer and back into another page, every byte checked.
 * Then it aims one transfer outside its RAM (bootargs stray=ADDR,
 * default the first byte after it): the SMMU refuses it, and Partita's
 * report names the fault; QEMU's edu signals completion whatever the
 * IOMMU said, so the guest reports what it saw. Exits 0 when the copy
 * was exact and every completion came once. bootargs rounds=N adds N
 * silent round trips first (Partita's exit count then says what one
 * costs: docs/performance.md).
 */
#include "guest.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EDU_VENDOR_DEVICE 0x11e81234u
#define EDU_IRQ_STATUS    0x24
#define EDU_IRQ_ACK       0x64
#define EDU_DMA_SRC       0x80
#define EDU_DMA_DST       0x88
#define EDU_DMA_CNT       0x90
#define EDU_DMA_CMD       0x98
#define EDU_CMD_RUN       1u
#define EDU_CMD_TO_RAM    2u
#define EDU_CMD_IRQ       4u
#define EDU_DMA_IRQ       0x100u
#define EDU_BUFFER        0x40000u
#define PAGE              4096
/* Half of edu's 4 KiB buffer: QEMU 7.2's edu takes a transfer reaching
 * the buffer's last byte for out of bounds and stops the machine (as
 * the self-test's edu driver knows). */
#define XFER              2048

static uint8_t src[PAGE] __attribute__((aligned(PAGE)));
static uint8_t dst[PAGE] __attribute__((aligned(PAGE)));
static volatile uint8_t *edu;
static unsigned edu_irq;
static volatile unsigned completions, others;

static void wr(unsigned off, uint64_t v)
{
	*(volatile uint64_t *)(edu + off) = v;
}

static void irq(uint32_t iar)
{
	unsigned id = iar & 0x3ff;

	if (id == edu_irq) {
		uint32_t st = *(volatile uint32_t *)(edu + EDU_IRQ_STATUS);

		*(volatile uint32_t *)(edu + EDU_IRQ_ACK) = st;
		if (st & EDU_DMA_IRQ)
			completions++;
		else
			others++;
	} else if (id != 1023) {
		others++;
	}
}

/* One transfer, then WFI until its completion interrupt. */
static void transfer(uint64_t from, uint64_t to, bool to_ram)
{
	unsigned before = completions;

	wr(EDU_DMA_SRC, from);
	wr(EDU_DMA_DST, to);
	wr(EDU_DMA_CNT, XFER);
	wr(EDU_DMA_CMD, EDU_CMD_RUN | EDU_CMD_IRQ | (to_ram ? EDU_CMD_TO_RAM : 0));
	rt_wait_change(&completions, before);
}

int guest_main(const void *fdt)
{
	uint64_t base, size, stray;
	unsigned wrong = 0;
	uint32_t bar;
	char buf[32];
	int dev;

	(void)fdt;
	if (!rt_memory(&base, &size) || !rt_pci_init() ||
	    (dev = rt_pci_scan(EDU_VENDOR_DEVICE, false)) < 0) {
		printf("dma: no edu on a PCI bus in the device tree\n");
		return 1;
	}
	edu = rt_pci_map_bar0((unsigned)dev, 1, &bar);
	edu_irq = rt_pci_intx((unsigned)dev);
	if (!edu_irq || !rt_gic_init(irq))
		return 1;
	rt_gic_enable(edu_irq, 0xa0);
	rt_irq_on();
	if (rt_bootarg("rounds", buf, sizeof(buf))) {
		unsigned long rounds = strtoul(buf, NULL, 0);

		for (unsigned long r = 0; r < rounds; r++) {
			transfer((uintptr_t)src, EDU_BUFFER, false);
			transfer(EDU_BUFFER, (uintptr_t)dst, true);
		}
		completions = 0;
	}
	for (unsigned i = 0; i < PAGE; i++)
		src[i] = (uint8_t)(i * 7 + 3);
	memset(dst, 0, PAGE);
	transfer((uintptr_t)src, EDU_BUFFER, false);
	transfer(EDU_BUFFER, (uintptr_t)dst, true);
	for (unsigned i = 0; i < PAGE; i++)
		wrong += dst[i] != (i < XFER ? src[i] : 0);
	printf("dma: 00:%02x.0 edu: RAM 0x%llx -> edu -> RAM 0x%llx, %d bytes, "
	       "%u wrong, %u completions\n", dev, (unsigned long long)(uintptr_t)src,
	       (unsigned long long)(uintptr_t)dst, XFER, wrong, completions);
	stray = rt_bootarg("stray", buf, sizeof(buf)) ?
		strtoull(buf, NULL, 0) : base + size;
	transfer(EDU_BUFFER, stray, true);
	rt_irq_off();
	printf("dma: stray transfer to 0x%llx: edu reports it done (QEMU's edu "
	       "completes whatever the IOMMU says); %u completions, %u other "
	       "interrupts\n", (unsigned long long)stray, completions, others);
	return !wrong && completions == 3 && !others ? 0 : 1;
}
