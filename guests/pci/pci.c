// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pci: a guest finds its PCI bus in its device tree (a generic ECAM
 * host), lists bus 0, and drives the edu device it finds there through
 * its BAR: sizes BAR0, places it in the bus's 32-bit memory window (a
 * place of its own choosing, not the one it found), turns memory
 * decoding on, and checks edu's identification, its liveness register
 * and a factorial computed by the device; then has edu raise its
 * interrupt (INTx, through the bus's interrupt-map to the virtual GIC)
 * at the end of each of FACTS factorials, sleeping in WFI until it comes,
 * and checks it came exactly once each. Exits 0 when all of it holds.
 */
#include "guest.h"
#include <libfdt.h>
#include <stdio.h>

#define EDU_VENDOR_DEVICE 0x11e81234u
#define EDU_ID            0x00
#define EDU_LIVENESS      0x04
#define EDU_FACTORIAL     0x08
#define EDU_STATUS        0x20
#define EDU_STATUS_BUSY   1u
#define EDU_STATUS_IRQ    0x80u         /* interrupt when a factorial ends */
#define EDU_IRQ_STATUS    0x24
#define EDU_IRQ_ACK       0x64
#define FACTS             3
#define CMD_MEMORY        0x2
#define CMD_MASTER        0x4

static volatile uint8_t *ecam;
static uint64_t window;
static volatile uint8_t *edu_bar;
static unsigned edu_irq;
static volatile unsigned irqs, others;

static volatile uint32_t *cfg(unsigned dev, unsigned reg)
{
	return (volatile uint32_t *)(ecam + ((uint64_t)dev << 15) + reg);
}

static uint32_t rd(volatile uint8_t *bar, unsigned off)
{
	return *(volatile uint32_t *)(bar + off);
}

static void wr(volatile uint8_t *bar, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(bar + off) = v;
}

static bool find_host(const void *fdt)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "pci-host-ecam-generic");
	const fdt32_t *reg, *ranges;
	int len, rlen;

	if (node < 0 || !(reg = fdt_getprop(fdt, node, "reg", &len)) || len < 16 ||
	    !(ranges = fdt_getprop(fdt, node, "ranges", &rlen)) || rlen < 28)
		return false;
	ecam = (volatile uint8_t *)(uintptr_t)((uint64_t)fdt32_to_cpu(reg[0]) << 32 |
					       fdt32_to_cpu(reg[1]));
	/* The first range: 32-bit memory, child address at cells 1-2. */
	window = (uint64_t)fdt32_to_cpu(ranges[1]) << 32 | fdt32_to_cpu(ranges[2]);
	return true;
}

/* The INTID the bus's interrupt-map gives slot dev's INTA (entries of 8
 * cells: phys.hi, 0, 0, pin, GIC phandle, SPI, number, flags). */
static unsigned intx_of(const void *fdt, unsigned dev)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "pci-host-ecam-generic");
	int len;
	const fdt32_t *map = fdt_getprop(fdt, node, "interrupt-map", &len);

	for (int i = 0; map && i + 8 <= len / 4; i += 8)
		if (fdt32_to_cpu(map[i]) >> 11 == dev && fdt32_to_cpu(map[i + 3]) == 1 &&
		    fdt32_to_cpu(map[i + 5]) == 0)
			return 32 + fdt32_to_cpu(map[i + 6]);
	return 0;
}

static void irq(uint32_t iar)
{
	unsigned id = iar & 0x3ff;

	if (id == edu_irq) {
		uint32_t st = *(volatile uint32_t *)(edu_bar + EDU_IRQ_STATUS);

		/* Acknowledged at the device first: the line drops before
		 * the end of the interrupt. */
		*(volatile uint32_t *)(edu_bar + EDU_IRQ_ACK) = st;
		irqs++;
	} else if (id != 1023) {
		others++;
	}
}

static int interrupts(const void *fdt, unsigned dev)
{
	uint64_t hz = rt_counter_hz(), until;
	unsigned bad = 0;

	edu_irq = intx_of(fdt, dev);
	if (!edu_irq || !rt_gic_init(irq)) {
		printf("pci: no interrupt for 00:%02x.0 in the device tree\n", dev);
		return 1;
	}
	rt_gic_enable(edu_irq, 0xa0);
	rt_irq_on();
	for (unsigned n = 1; n <= FACTS; n++) {
		unsigned before = irqs;
		uint32_t want = n == 1 ? 1 : n == 2 ? 2 : 6;

		wr(edu_bar, EDU_STATUS, EDU_STATUS_IRQ);
		wr(edu_bar, EDU_FACTORIAL, n);
		while (irqs == before)
			__asm__ volatile("wfi");
		bad += rd(edu_bar, EDU_FACTORIAL) != want;
	}
	/* Nothing more may come. */
	until = rt_counter() + hz / 50;
	while (rt_counter() < until)
		;
	rt_irq_off();
	printf("pci: edu's INTx is SPI %u: %u factorials, %u interrupts, "
	       "%u others, %u wrong results\n", edu_irq, FACTS, irqs, others, bad);
	return irqs == FACTS && !others && !bad ? 0 : 1;
}

static int drive_edu(unsigned dev)
{
	volatile uint8_t *bar;
	uint32_t size, id, live, fact;
	uint64_t place;

	*cfg(dev, 0x04) = 0;                        /* decoding off */
	*cfg(dev, 0x10) = 0xffffffff;
	size = ~(*cfg(dev, 0x10) & ~0xfu) + 1;
	place = window + 4 * (uint64_t)size;        /* not where it was */
	*cfg(dev, 0x10) = (uint32_t)place;
	*cfg(dev, 0x04) = CMD_MEMORY | CMD_MASTER;
	printf("pci: 00:%02x.0 edu: BAR0 %u KiB placed at 0x%llx (BAR reads "
	       "0x%08x)\n", dev, size >> 10, (unsigned long long)place,
	       (unsigned)*cfg(dev, 0x10));
	bar = edu_bar = (volatile uint8_t *)(uintptr_t)place;
	id = rd(bar, EDU_ID);
	wr(bar, EDU_LIVENESS, 0x12345678);
	live = rd(bar, EDU_LIVENESS);
	wr(bar, EDU_FACTORIAL, 5);
	while (rd(bar, EDU_STATUS) & EDU_STATUS_BUSY)
		;
	fact = rd(bar, EDU_FACTORIAL);
	printf("pci: edu id 0x%08x, liveness 0x%08x, 5! = %u\n", (unsigned)id,
	       (unsigned)live, (unsigned)fact);
	return (id & 0xff) == 0xed && live == ~0x12345678u && fact == 120 ? 0 : 1;
}

int guest_main(const void *fdt)
{
	int edu = -1;

	if (!find_host(fdt)) {
		printf("pci: no pci-host-ecam-generic in the device tree\n");
		return 1;
	}
	for (unsigned dev = 0; dev < 32; dev++) {
		uint32_t id = *cfg(dev, 0x00);

		if ((id & 0xffff) == 0xffff)
			continue;
		printf("pci: 00:%02x.0 %04x:%04x class %06x\n", dev,
		       (unsigned)(id & 0xffff), (unsigned)(id >> 16),
		       (unsigned)(*cfg(dev, 0x08) >> 8));
		if (id == EDU_VENDOR_DEVICE && edu < 0)
			edu = (int)dev;
	}
	if (edu < 0) {
		printf("pci: no edu on the bus\n");
		return 1;
	}
	if (drive_edu((unsigned)edu))
		return 1;
	return interrupts(fdt, (unsigned)edu);
}
