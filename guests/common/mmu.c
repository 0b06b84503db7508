// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guest's identity map over its first 4 GiB of IPA: 2 MiB blocks
 * below 1 GiB, normal write-back memory except [0x08000000, 0x20000000),
 * where a partition's devices are (the emulated PL011 and, later, the
 * GIC and PCI windows), mapped as device memory. Nothing above 1 GiB.
 * Compiled with -mstrict-align and without FP/SIMD: it runs with the
 * MMU off.
 */
#include <stdint.h>

void rt_mmu_init(void);
void rt_mmu_enable(void);

#define BLOCK        (1ULL << 0)
#define TABLE        (3ULL << 0)
#define ATTR(i)      ((uint64_t)(i) << 2)
#define SH_INNER     (3ULL << 8)
#define AF           (1ULL << 10)
#define XN           (3ULL << 53)     /* PXN | UXN */
#define DEV_LO       0x08000000ULL
#define DEV_HI       0x20000000ULL
#define MAIR         (0x00ULL | 0xffULL << 8)   /* 0: device, 1: normal */
#define TCR          (32ULL | 1ULL << 8 | 1ULL << 10 | 3ULL << 12 | \
		      1ULL << 23)       /* T0SZ 32, WBWA, inner, 4K, EPD1 */

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));

void rt_mmu_init(void)
{
	for (unsigned i = 0; i < 512; i++) {
		uint64_t a = (uint64_t)i << 21;

		l2[i] = a | BLOCK | AF | (a >= DEV_LO && a < DEV_HI ?
			ATTR(0) | XN : ATTR(1) | SH_INNER);
	}
	l1[0] = (uint64_t)(uintptr_t)l2 | TABLE;
	rt_mmu_enable();
}

void rt_mmu_enable(void)
{
	uint64_t sctlr;

	__asm__ volatile("msr mair_el1, %0" :: "r"(MAIR));
	__asm__ volatile("msr tcr_el1, %0" :: "r"(TCR));
	__asm__ volatile("msr ttbr0_el1, %0" :: "r"((uint64_t)(uintptr_t)l1));
	__asm__ volatile("dsb sy; tlbi vmalle1; dsb sy; isb" ::: "memory");
	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	sctlr |= 1 | 1 << 2 | 1 << 12;      /* M, C, I */
	__asm__ volatile("msr sctlr_el1, %0; isb" :: "r"(sctlr) : "memory");
}
