// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The boot identity map: VA == PA over the first 1 TiB in 1 GiB blocks,
 * with the layout of QEMU virt in mind: below 1 GiB flash and devices,
 * 1 GiB..256 GiB RAM (normal, cacheable), above that the high PCIe ECAM
 * and MMIO windows (device).
 *
 * Runs with the MMU off, when every data access is Device memory and an
 * unaligned one faults; link.mk compiles this file with -mstrict-align
 * and without FP/SIMD so the compiler emits nothing that would.
 */
#include "arm64.h"
#include "sysreg.h"
#include <stdbool.h>
#include <stdint.h>

#define PTE_VALID       (1ULL << 0)
#define PTE_TABLE       (1ULL << 1)   /* level 0..2: next-level table */
#define PTE_ATTRINDX(i) ((uint64_t)(i) << 2)
#define PTE_SH_INNER    (3ULL << 8)
#define PTE_AP1         (1ULL << 6)   /* RES1 in the EL2 regime */
#define PTE_AF          (1ULL << 10)
#define PTE_PXN         (1ULL << 53)  /* EL1&0 regime */
#define PTE_UXN         (1ULL << 54)  /* EL1&0; at EL2 this bit is XN */

#define GIB             (1ULL << 30)
#define RAM_START       (1 * GIB)
#define RAM_END         (256 * GIB)
#define MAP_L1_TABLES   2             /* 2 x 512 GiB */

static uint64_t l0_table[512] __attribute__((aligned(4096)));
static uint64_t l1_tables[MAP_L1_TABLES][512] __attribute__((aligned(4096)));

static uint64_t block_descriptor(uint64_t pa, bool el2)
{
	if (pa >= RAM_START && pa < RAM_END)
		return pa | PTE_VALID | PTE_AF | PTE_SH_INNER |
		       PTE_ATTRINDX(MAIR_IDX_NORMAL) | (el2 ? PTE_AP1 : 0);
	return pa | PTE_VALID | PTE_AF | PTE_UXN |
	       PTE_ATTRINDX(MAIR_IDX_DEVICE) | (el2 ? PTE_AP1 : PTE_PXN);
}

static bool at_el2(void)
{
	uint64_t el;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	return (el >> 2) == 2;
}

static void build_tables(bool el2)
{
	for (unsigned t = 0; t < MAP_L1_TABLES; t++) {
		l0_table[t] = (uint64_t)(uintptr_t)l1_tables[t] |
			      PTE_VALID | PTE_TABLE;
		for (unsigned i = 0; i < 512; i++)
			l1_tables[t][i] =
				block_descriptor(((uint64_t)t * 512 + i) * GIB, el2);
	}
}

/* This CPU's translation registers on the shared tables, MMU and caches
 * on. Secondary CPUs (smp.c) come here with the tables already built. */
void arm64_mmu_enable_this_cpu(void)
{
	uint64_t mmfr0, pa_range, sctlr;
	bool el2 = at_el2();

	/* Output size: what the CPU implements (PARange), at most 48 bits. */
	__asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(mmfr0));
	pa_range = mmfr0 & 0xf;
	if (pa_range > 5)
		pa_range = 5;

	if (el2) {
		__asm__ volatile("msr mair_el2, %0" :: "r"((uint64_t)MAIR_VALUE));
		__asm__ volatile("msr tcr_el2, %0" :: "r"(TCR_T0SZ(48) |
			TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |
			TCR_TG0_4K | TCR_EL2_RES1 |
			(pa_range << TCR_EL2_PS_SHIFT)));
		__asm__ volatile("msr ttbr0_el2, %0" ::
				 "r"((uint64_t)(uintptr_t)l0_table));
		__asm__ volatile("dsb sy; tlbi alle2; dsb sy; isb" ::: "memory");
		__asm__ volatile("mrs %0, sctlr_el2" : "=r"(sctlr));
		sctlr |= SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA;
		__asm__ volatile("msr sctlr_el2, %0; isb" :: "r"(sctlr) : "memory");
		return;
	}
	__asm__ volatile("msr mair_el1, %0" :: "r"((uint64_t)MAIR_VALUE));
	__asm__ volatile("msr tcr_el1, %0" :: "r"(TCR_T0SZ(48) |
		TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K |
		TCR_EPD1 | (pa_range << TCR_IPS_SHIFT)));
	__asm__ volatile("msr ttbr0_el1, %0" :: "r"((uint64_t)(uintptr_t)l0_table));
	/* Tables written with caches off: make them visible to the walker. */
	__asm__ volatile("dsb sy; tlbi vmalle1; dsb sy; isb" ::: "memory");

	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	sctlr |= SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA;
	__asm__ volatile("msr sctlr_el1, %0; isb" :: "r"(sctlr) : "memory");
}

void arm64_mmu_enable(void)
{
	build_tables(at_el2());
	arm64_mmu_enable_this_cpu();
}
