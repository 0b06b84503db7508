/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bits of the arm64 system registers the boot path programs. Values from
 * the Arm ARM (DDI 0487); only what Partita uses.
 */
#ifndef ARM64_SYSREG_H
#define ARM64_SYSREG_H

/* SCTLR_EL1 */
#define SCTLR_M         (1 << 0)    /* stage-1 MMU */
#define SCTLR_C         (1 << 2)    /* data cacheability */
#define SCTLR_SA        (1 << 3)    /* SP alignment check */
#define SCTLR_I         (1 << 12)   /* instruction cacheability */
/* RES1 bits of SCTLR_EL1 (11, 20, 22, 23, 28, 29) */
#define SCTLR_EL1_RES1  ((1 << 11) | (1 << 20) | (3 << 22) | (3 << 28))

/* RES1 bits of SCTLR_EL2 without E2H (4, 5, 11, 16, 18, 22, 23, 28, 29) */
#define SCTLR_EL2_RES1  ((3 << 4) | (1 << 11) | (1 << 16) | (1 << 18) | \
			 (3 << 22) | (3 << 28))

/* CPTR_EL2 without E2H: RES1 bits 0-7, 9, 12, 13; TFP (bit 10) clear so
 * FP/SIMD does not trap. */
#define CPTR_EL2_RES1   0x32ff

/* TCR_EL2 without E2H: RES1 bits 23 and 31, output size in PS[18:16]. */
#define TCR_EL2_RES1    ((1ULL << 23) | (1ULL << 31))
#define TCR_EL2_PS_SHIFT 16

/* HCR_EL2 */
#define HCR_RW          (1 << 31)   /* EL1 is AArch64 */

/* SPSR: EL1h with D, A, I, F masked */
#define SPSR_EL1H_MASKED 0x3c5

/* CPACR_EL1.FPEN = 0b11: no trapping of FP/SIMD (picolibc's string
 * functions use SIMD registers). */
#define CPACR_FPEN      (3 << 20)

/* CNTHCTL_EL2: EL1 may read the physical counter and timer. */
#define CNTHCTL_EL1PCEN_PCTEN 3

/* MAIR_EL1 attribute indexes used by the page tables. */
#define MAIR_IDX_DEVICE 0           /* Device-nGnRnE */
#define MAIR_IDX_NORMAL 1           /* Normal, write-back RW-allocate */
#define MAIR_VALUE      ((0x00ULL << (8 * MAIR_IDX_DEVICE)) | \
			 (0xffULL << (8 * MAIR_IDX_NORMAL)))

/* TCR_EL1 for a 48-bit identity map with 4K pages, TTBR0 only. */
#define TCR_T0SZ(bits)  (64 - (bits))
#define TCR_IRGN0_WBWA  (1ULL << 8)
#define TCR_ORGN0_WBWA  (1ULL << 10)
#define TCR_SH0_INNER   (3ULL << 12)
#define TCR_TG0_4K      (0ULL << 14)
#define TCR_EPD1        (1ULL << 23)   /* no TTBR1 walks */
#define TCR_IPS_SHIFT   32

#endif
