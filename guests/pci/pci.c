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
 * and checks it came exactly once each (bootargs irq-vcpu=1: on its
 * second vCPU, which aims edu's interrupt at itself). With misplace=1 it
 * finally puts BAR0 over its own RAM (Partita leaves it unmapped and
 * says so in its report; the guest still sees its RAM there). Exits 0
 * when all of it holds.
 */
#include "guest.h"
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

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

static volatile uint8_t *edu;
static unsigned edu_irq;
static volatile unsigned irqs, others;
static volatile uint64_t irq_at;                /* virtual counter */

static uint32_t rd(unsigned off)
{
	return *(volatile uint32_t *)(edu + off);
}

static void wr(unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(edu + off) = v;
}

static void irq(uint32_t iar)
{
	unsigned id = iar & 0x3ff;

	if (id == edu_irq) {
		irq_at = rt_counter();
		/* Acknowledged at the device first: the line drops before
		 * the end of the interrupt. */
		wr(EDU_IRQ_ACK, rd(EDU_IRQ_STATUS));
		irqs++;
	} else if (id != 1023) {
		others++;
	}
}

static int interrupts(unsigned dev);

static unsigned edu_dev;
static atomic_int second_result = -1;

/* vCPU 1: its own CPU interface, edu's SPI aimed at itself. */
static void second(void *arg)
{
	(void)arg;
	rt_gic_cpu_init();
	atomic_store(&second_result, interrupts(edu_dev));
}

static int interrupts_on_vcpu1(unsigned dev)
{
	edu_dev = dev;
	if (rt_cpu_on(1, second, NULL)) {
		printf("pci: CPU_ON of vCPU 1 failed\n");
		return 1;
	}
	while (atomic_load(&second_result) < 0)
		;
	return atomic_load(&second_result);
}

static int interrupts(unsigned dev)
{
	uint64_t hz = rt_counter_hz(), until, sum = 0, worst = 0;
	unsigned bad = 0;

	edu_irq = rt_pci_intx(dev);
	if (!edu_irq) {
		printf("pci: no interrupt for 00:%02x.0 in the device tree\n", dev);
		return 1;
	}
	rt_gic_enable(edu_irq, 0xa0);
	rt_irq_on();
	for (unsigned n = 1; n <= FACTS; n++) {
		unsigned before = irqs;
		uint32_t want = n == 1 ? 1 : n == 2 ? 2 : 6;

		uint64_t asked;

		wr(EDU_STATUS, EDU_STATUS_IRQ);
		asked = rt_counter();
		wr(EDU_FACTORIAL, n);
		rt_wait_change(&irqs, before);
		sum += irq_at - asked;
		worst = irq_at - asked > worst ? irq_at - asked : worst;
		bad += rd(EDU_FACTORIAL) != want;
	}
	/* Nothing more may come. */
	until = rt_counter() + hz / 50;
	while (rt_counter() < until)
		;
	rt_irq_off();
	rt_lock();
	printf("pci: edu's INTx is SPI %u (on vCPU %u): %u factorials, %u "
	       "interrupts, %u others, %u wrong results\n", edu_irq,
	       rt_vcpu_id(), FACTS, irqs, others, bad);
	rt_unlock();
	/* Request to handler: edu's computation (a QEMU thread) plus the
	 * interrupt's way: physical SPI, exit, list register, the guest. */
	printf("pci: factorial request to its interrupt's handler: mean %llu "
	       "us, max %llu us\n", (unsigned long long)(sum * 1000000 / hz / FACTS),
	       (unsigned long long)(worst * 1000000 / hz));
	return irqs == FACTS && !others && !bad ? 0 : 1;
}

int guest_main(const void *fdt)
{
	uint32_t size, id, live, fact;
	char buf[8];
	int dev;

	(void)fdt;
	if (!rt_pci_init()) {
		printf("pci: no pci-host-ecam-generic in the device tree\n");
		return 1;
	}
	dev = rt_pci_scan(EDU_VENDOR_DEVICE, true);
	if (dev < 0) {
		printf("pci: no edu on the bus\n");
		return 1;
	}
	/* Four BAR sizes into the window: not where it was found. */
	edu = rt_pci_map_bar0((unsigned)dev, 4, &size);
	printf("pci: 00:%02x.0 edu: BAR0 %u KiB placed at 0x%llx (BAR reads "
	       "0x%08x)\n", dev, size >> 10, (unsigned long long)(uintptr_t)edu,
	       (unsigned)*rt_pci_cfg((unsigned)dev, 0x10));
	id = rd(EDU_ID);
	wr(EDU_LIVENESS, 0x12345678);
	live = rd(EDU_LIVENESS);
	wr(EDU_FACTORIAL, 5);
	while (rd(EDU_STATUS) & EDU_STATUS_BUSY)
		;
	fact = rd(EDU_FACTORIAL);
	printf("pci: edu id 0x%08x, liveness 0x%08x, 5! = %u\n", (unsigned)id,
	       (unsigned)live, (unsigned)fact);
	if ((id & 0xff) != 0xed || live != ~0x12345678u || fact != 120)
		return 1;
	if (!rt_gic_init(irq))
		return 1;
	if (rt_bootarg("irq-vcpu", buf, sizeof(buf)) && buf[0] == '1' ?
	    interrupts_on_vcpu1((unsigned)dev) : interrupts((unsigned)dev))
		return 1;
	if (rt_bootarg("misplace", buf, sizeof(buf))) {
		uint64_t base, ram;
		volatile uint32_t *p;

		if (!rt_memory(&base, &ram))
			return 1;
		*rt_pci_cfg((unsigned)dev, 0x10) = (uint32_t)base;
		p = (volatile uint32_t *)(uintptr_t)base;
		printf("pci: BAR0 moved over its RAM at 0x%llx: reads 0x%08x there "
		       "(its RAM, not edu's id)\n", (unsigned long long)base,
		       (unsigned)*p);
		if (*p == 0x010000ed)    /* edu's id: the BAR would be there */
			return 1;
	}
	return 0;
}
