// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The real GIC, as far as Partita itself needs it (GICv2: QEMU virt's
 * default): the distributor and each CPU's interface on, and on every
 * CPU just two interrupts enabled, SGI 0 (the kick between CPUs) and
 * PPI 10 (INTID 26, the EL2 physical timer: a partition's timeout).
 * Everything else stays disabled, so nothing a guest or a device does
 * reaches a CPU yet (a partition's own interrupts are the virtual GIC's
 * business, issue 17).
 *
 * Interrupts are never taken at EL2 (PSTATE.I stays set): a pending one
 * ends a guest's run (HCR_EL2.IMO) or wakes WFI, and is then
 * acknowledged here by reading GICC_IAR.
 */
#include "arm64.h"
#include <partita/fdt-util.h>
#include <partita/log.h>
#include <libfdt.h>
#include <stdint.h>

#define GICD_CTLR        0x000
#define GICD_ISENABLER0  0x100
#define GICD_IPRIORITYR  0x400
#define GICD_ITARGETSR0  0x800
#define GICD_SGIR        0xf00
#define GICC_CTLR        0x00
#define GICC_PMR         0x04
#define GICC_IAR         0x0c
#define GICC_EOIR        0x10
#define GIC_SPURIOUS     1023
#define GIC_PRIO         0x80            /* below the mask, so signalled */

static uintptr_t gicd, gicc;

static inline void w32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

static inline uint32_t r32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

static inline void w8(uintptr_t a, uint8_t v)
{
	*(volatile uint8_t *)a = v;
}

bool arm64_gic_probe(const void *fdt)
{
	static const char *const compatible[] = {
		"arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a9-gic",
	};
	uint64_t d, c, size;
	int node = -1;

	for (unsigned i = 0; node < 0 && i < 3; i++)
		node = fdt_node_offset_by_compatible(fdt, -1, compatible[i]);
	if (node < 0 || !fdt_util_reg(fdt, node, 0, &d, &size) ||
	    !fdt_util_reg(fdt, node, 1, &c, &size))
		return false;
	gicd = (uintptr_t)d;
	gicc = (uintptr_t)c;
	w32(gicd + GICD_CTLR, 1);
	return true;
}

bool arm64_gic_present(void)
{
	return gicd != 0;
}

uint8_t arm64_gic_cpu_init(void)
{
	w8(gicd + GICD_IPRIORITYR + ARM64_GIC_SGI_KICK, GIC_PRIO);
	w8(gicd + GICD_IPRIORITYR + ARM64_GIC_PPI_HYP_TIMER, GIC_PRIO);
	w32(gicd + GICD_ISENABLER0, (1u << ARM64_GIC_SGI_KICK) |
				     (1u << ARM64_GIC_PPI_HYP_TIMER));
	w32(gicc + GICC_PMR, 0xf0);
	w32(gicc + GICC_CTLR, 1);
	/* ITARGETSR0..7 are banked: each byte reads this CPU's own bit. */
	return (uint8_t)r32(gicd + GICD_ITARGETSR0);
}

void arm64_gic_sgi(uint8_t cpu_mask, unsigned sgi)
{
	__asm__ volatile("dsb ishst" ::: "memory");
	w32(gicd + GICD_SGIR, (uint32_t)cpu_mask << 16 | sgi);
}

/* The pending interrupt's INTID, acknowledged; GIC_SPURIOUS if none.
 * It must be ended with arm64_gic_eoi. */
unsigned arm64_gic_ack(uint32_t *iar)
{
	*iar = r32(gicc + GICC_IAR);
	return *iar & 0x3ff;
}

void arm64_gic_eoi(uint32_t iar)
{
	if ((iar & 0x3ff) != GIC_SPURIOUS)
		w32(gicc + GICC_EOIR, iar);
}
