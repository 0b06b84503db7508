// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Interrupts for the example guests (guest.h): the GICv2 the device tree
 * describes (distributor and CPU interface from the arm,cortex-a15-gic
 * node's reg), the vector table, and one handler.
 */
#include "guest.h"
#include <libfdt.h>
#include <stdio.h>

#define GICD_CTLR       0x000
#define GICD_ISENABLER  0x100
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR  0x800
#define GICD_SGIR       0xf00
#define GICC_CTLR       0x00
#define GICC_PMR        0x04
#define GICC_IAR        0x0c
#define GICC_EOIR       0x10

void rt_irq_entry(void);
void rt_exception(unsigned long kind, uint64_t esr, uint64_t elr,
		  uint64_t far) __attribute__((noreturn));
extern char rt_vectors[];

static volatile uint8_t *gicd, *gicc;
static void (*handler)(uint32_t iar);

static void w32(volatile uint8_t *base, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

static uint64_t cell64(const fdt32_t *p)
{
	return (uint64_t)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1]);
}

bool rt_gic_init(void (*fn)(uint32_t iar))
{
	const void *fdt = rt_fdt();
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,cortex-a15-gic"), len;
	const fdt32_t *reg = node >= 0 ? fdt_getprop(fdt, node, "reg", &len) : NULL;

	if (!reg || len < 32)
		return false;
	gicd = (volatile uint8_t *)(uintptr_t)cell64(reg);
	gicc = (volatile uint8_t *)(uintptr_t)cell64(reg + 4);
	handler = fn;
	w32(gicd, GICD_CTLR, 1);
	rt_gic_cpu_init();
	return true;
}

/* What each vCPU has of its own: its vectors and its CPU interface. */
void rt_gic_cpu_init(void)
{
	__asm__ volatile("msr vbar_el1, %0; isb" :: "r"(rt_vectors));
	w32(gicc, GICC_PMR, 0xf0);
	w32(gicc, GICC_CTLR, 1);
}

void rt_gic_enable(unsigned id, uint8_t priority)
{
	gicd[GICD_IPRIORITYR + id] = priority;
	if (id >= 32)
		gicd[GICD_ITARGETSR + id] = (uint8_t)(1u << rt_vcpu_id());
	w32(gicd, GICD_ISENABLER + 4 * (id / 32), 1u << (id % 32));
}

void rt_gic_sgi_self(unsigned id)
{
	w32(gicd, GICD_SGIR, 2u << 24 | (id & 0xf));
}

void rt_gic_sgi(unsigned id, uint8_t vcpus)
{
	w32(gicd, GICD_SGIR, (uint32_t)vcpus << 16 | (id & 0xf));
}

void rt_irq_on(void)
{
	__asm__ volatile("msr daifclr, #2; isb" ::: "memory");
}

void rt_irq_off(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

unsigned rt_wait_change(const volatile unsigned *counter, unsigned old)
{
	unsigned sleeps = 0;

	for (;;) {
		rt_irq_off();
		if (*counter != old)
			break;
		__asm__ volatile("wfi" ::: "memory");
		sleeps++;
		rt_irq_on();            /* the waking interrupt is taken here */
	}
	rt_irq_on();
	return sleeps;
}

void rt_irq_entry(void)
{
	uint32_t iar = *(volatile uint32_t *)(gicc + GICC_IAR);

	if (handler)
		handler(iar);
	*(volatile uint32_t *)(gicc + GICC_EOIR) = iar;
}

void rt_exception(unsigned long kind, uint64_t esr, uint64_t elr,
		  uint64_t far)
{
	printf("guest: unexpected exception (vector %lu): ESR 0x%llx ELR 0x%llx "
	       "FAR 0x%llx\n", kind, (unsigned long long)esr,
	       (unsigned long long)elr, (unsigned long long)far);
	rt_exit(3);
}
