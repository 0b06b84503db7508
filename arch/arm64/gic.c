// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The real GIC, as far as Partita itself needs it (GICv2: QEMU virt's
 * default): the distributor and each CPU's interface on, and on every
 * CPU four interrupts enabled: SGI 0 (the kick between CPUs), PPI 10
 * (INTID 26, the EL2 physical timer: a partition's timeout), PPI 11
 * (INTID 27, the virtual timer of the vCPU on that CPU) and PPI 9
 * (INTID 25, the virtual interface's maintenance interrupt). Nothing
 * else reaches a CPU.
 *
 * Interrupts are never taken at EL2 (PSTATE.I stays set): a pending one
 * ends a guest's run (HCR_EL2.IMO) or wakes WFI, and is then
 * acknowledged here by reading GICC_IAR. EOImode is split (GICC_CTLR
 * bit 9): ending an interrupt is a priority drop (EOIR) and a
 * deactivation (DIR), so that the virtual timer's can be left active for
 * the guest, whose list register names it (HW bit): the guest's own
 * deactivation then deactivates the physical interrupt.
 *
 * The virtualisation extensions: GICH (this CPU's list registers) and
 * GICV (the virtual CPU interface the guest's stage 2 maps at its GICC
 * address), both the third and fourth 'reg' entries of the node.
 */
#include "arm64.h"
#include <partita/arch/arm64/vcpu.h>
#include <partita/fdt-util.h>
#include <partita/log.h>
#include <libfdt.h>
#include <stdint.h>

#define GICD_CTLR        0x000
#define GICD_ISENABLER0  0x100
#define GICD_ICENABLER0  0x180
#define GICD_IPRIORITYR  0x400
#define GICD_ITARGETSR0  0x800
#define GICD_ICFGR       0xc00
#define GICD_SGIR        0xf00
#define GICC_CTLR        0x00
#define GICC_PMR         0x04
#define GICC_IAR         0x0c
#define GICC_EOIR        0x10
#define GICC_DIR         0x1000
#define GICC_CTLR_EOIMODE (1u << 9)
#define GICH_HCR         0x000
#define GICH_VTR         0x004
#define GICH_VMCR        0x008
#define GICH_LR0         0x100
#define GIC_SPURIOUS     1023
#define GIC_PRIO         0x80            /* below the mask, so signalled */

static uintptr_t gicd, gicc, gich;
static uint64_t gicv;
static unsigned nr_lrs;

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
	uint64_t d, c, h, size;
	int node = -1;

	for (unsigned i = 0; node < 0 && i < 3; i++)
		node = fdt_node_offset_by_compatible(fdt, -1, compatible[i]);
	if (node < 0 || !fdt_util_reg(fdt, node, 0, &d, &size) ||
	    !fdt_util_reg(fdt, node, 1, &c, &size))
		return false;
	gicd = (uintptr_t)d;
	gicc = (uintptr_t)c;
	w32(gicd + GICD_CTLR, 1);
	/* The virtualisation extensions, when the node has them. */
	if (fdt_util_reg(fdt, node, 2, &h, &size) &&
	    fdt_util_reg(fdt, node, 3, &gicv, &size) && size >= 0x2000) {
		gich = (uintptr_t)h;
		nr_lrs = (r32(gich + GICH_VTR) & 0x3f) + 1;
	} else {
		gicv = 0;
	}
	return true;
}

uint64_t arm64_gicv_base(void)
{
	return gicv;
}

unsigned arm64_gich_nr_lrs(void)
{
	return nr_lrs;
}

void arm64_gich_load(const uint32_t *lrs, unsigned n, uint32_t hcr)
{
	for (unsigned i = 0; i < n && i < nr_lrs; i++)
		w32(gich + GICH_LR0 + 4 * i, lrs[i]);
	w32(gich + GICH_HCR, hcr);
}

void arm64_gich_save(uint32_t *lrs, unsigned n)
{
	for (unsigned i = 0; i < n && i < nr_lrs; i++)
		lrs[i] = r32(gich + GICH_LR0 + 4 * i);
}

/* A vCPU starts on this CPU: no list register in use, the virtual CPU
 * interface's state (GICH_VMCR: the guest's GICC_CTLR, PMR, BPR) reset. */
void arm64_gich_reset(void)
{
	for (unsigned i = 0; i < nr_lrs; i++)
		w32(gich + GICH_LR0 + 4 * i, 0);
	w32(gich + GICH_VMCR, 0);
	w32(gich + GICH_HCR, 0);
}

bool arm64_gic_present(void)
{
	return gicd != 0;
}

uint8_t arm64_gic_cpu_init(void)
{
	static const unsigned ours[] = {
		ARM64_GIC_SGI_KICK, ARM64_GIC_PPI_HYP_TIMER,
		ARM64_GIC_PPI_VIRT_TIMER, ARM64_GIC_PPI_MAINTENANCE,
	};
	uint32_t enable = 0;

	for (unsigned i = 0; i < 4; i++) {
		w8(gicd + GICD_IPRIORITYR + ours[i], GIC_PRIO);
		enable |= 1u << ours[i];
	}
	w32(gicd + GICD_ISENABLER0, enable);
	w32(gicc + GICC_PMR, 0xf0);
	w32(gicc + GICC_CTLR, 1 | GICC_CTLR_EOIMODE);
	/* ITARGETSR0..7 are banked: each byte reads this CPU's own bit. */
	return (uint8_t)r32(gicd + GICD_ITARGETSR0);
}

/* SPI intid to the CPUs of cpu_mask, level-sensitive, enabled. */
void arm64_gic_route_spi(unsigned intid, uint8_t cpu_mask)
{
	uintptr_t cfg = gicd + GICD_ICFGR + intid / 16 * 4;

	w8(gicd + GICD_ITARGETSR0 + intid, cpu_mask);
	w8(gicd + GICD_IPRIORITYR + intid, GIC_PRIO);
	w32(cfg, r32(cfg) & ~(2u << (2 * (intid % 16))));
	w32(gicd + GICD_ISENABLER0 + intid / 32 * 4, 1u << (intid % 32));
}

void arm64_gic_target_spi(unsigned intid, uint8_t cpu_mask)
{
	w8(gicd + GICD_ITARGETSR0 + intid, cpu_mask);
}

void arm64_gic_mask_spi(unsigned intid, bool masked)
{
	w32(gicd + (masked ? GICD_ICENABLER0 : GICD_ISENABLER0) + intid / 32 * 4,
	    1u << (intid % 32));
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
	if ((iar & 0x3ff) == GIC_SPURIOUS)
		return;
	w32(gicc + GICC_EOIR, iar);
	w32(gicc + GICC_DIR, iar);
}

/* Priority drop only: the interrupt stays active (see above). */
void arm64_gic_eoi_keep_active(uint32_t iar)
{
	w32(gicc + GICC_EOIR, iar);
}
