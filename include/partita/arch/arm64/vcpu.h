/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A hook arch/arm64 gives virt/ (at EL2): entering a guest on this CPU
 * and coming back from it.
 *
 * Each physical CPU runs one vCPU for good, so the guest owns the CPU's
 * EL1 system registers and they are never switched: only what EL2 code
 * itself uses is saved and restored around a run (the general and
 * FP/SIMD registers, TPIDR_EL0, which the C library's TLS uses).
 */
#ifndef PARTITA_ARCH_ARM64_VCPU_H
#define PARTITA_ARCH_ARM64_VCPU_H

#define ARM64_VCPU_ELR        248
#define ARM64_VCPU_TPIDR      264
#define ARM64_VCPU_V          272
#define ARM64_VCPU_FPSR       784
#define ARM64_VCPU_HOST_SP    800
#define ARM64_VCPU_HOST_TPIDR 808

#define ARM64_EXIT_SYNC   8
#define ARM64_EXIT_IRQ    9
#define ARM64_EXIT_FIQ   10
#define ARM64_EXIT_SERROR 11

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

/* Saved by guest-entry.S: the layout is fixed (offsets below). */
struct arm64_vcpu_regs {
	uint64_t x[31];              /* guest x0..x30 */
	uint64_t elr, spsr;          /* where and how it resumes */
	uint64_t tpidr_el0;
	__uint128_t v[32];           /* guest q0..q31 */
	uint64_t fpsr, fpcr;
	uint64_t host_sp, host_tpidr_el0;
};

_Static_assert(offsetof(struct arm64_vcpu_regs, elr) == ARM64_VCPU_ELR, "");
_Static_assert(offsetof(struct arm64_vcpu_regs, tpidr_el0) == ARM64_VCPU_TPIDR, "");
_Static_assert(offsetof(struct arm64_vcpu_regs, v) == ARM64_VCPU_V, "");
_Static_assert(offsetof(struct arm64_vcpu_regs, fpsr) == ARM64_VCPU_FPSR, "");
_Static_assert(offsetof(struct arm64_vcpu_regs, host_sp) == ARM64_VCPU_HOST_SP, "");
_Static_assert(offsetof(struct arm64_vcpu_regs, host_tpidr_el0) ==
	       ARM64_VCPU_HOST_TPIDR, "");

/* SPSR for a guest's first instruction: EL1h, interrupts masked. */
#define ARM64_SPSR_EL1H_MASKED 0x3c5

/* What a vCPU is, programmed into this CPU's EL2 registers. */
struct arm64_vcpu_config {
	uint64_t vttbr, vtcr;        /* its stage 2 (virt/stage2.h) */
	uint16_t vmid;
	unsigned vcpu_id;            /* what its MPIDR says (Aff0) */
	uint64_t cntvoff;            /* physical count its virtual one starts at */
};

/* Program this CPU for the vCPU: HCR_EL2 (stage 2 on, SMC trapped,
 * physical interrupts to EL2), VTTBR/VTCR, VMPIDR/VPIDR, CNTVOFF,
 * CNTHCTL (physical counter readable, physical timer trapped), and EL1
 * as the Linux boot protocol wants it (MMU and caches off); its stage-2
 * TLB entries invalidated. */
void arm64_vcpu_load(const struct arm64_vcpu_config *c);

/* Run the guest from r until it exits; returns the vector it exited
 * through (ARM64_EXIT_*), its registers saved in r. */
unsigned arm64_vcpu_enter(struct arm64_vcpu_regs *r);

/* The syndrome of the last synchronous exit on this CPU. */
struct arm64_exit {
	uint64_t esr, far, hpfar;
};
void arm64_vcpu_exit_info(struct arm64_exit *e);

/* The GIC's virtualisation extensions (GICv2): the physical address of
 * the virtual CPU interface (GICV, 0 when the GIC has none), this CPU's
 * list registers (GICH_LRn) and GICH_HCR. */
#define ARM64_GICH_HCR_EN   (1u << 0)
#define ARM64_GICH_HCR_UIE  (1u << 1)   /* maintenance when <= 1 LR valid */
uint64_t arm64_gicv_base(void);
unsigned arm64_gich_nr_lrs(void);
void arm64_gich_load(const uint32_t *lrs, unsigned n, uint32_t hcr);
void arm64_gich_save(uint32_t *lrs, unsigned n);
void arm64_gich_reset(void);

/* The CPU's physical address size in bits (ID_AA64MMFR0_EL1.PARange). */
unsigned arm64_pa_bits(void);

/* The physical counter now. */
uint64_t arm64_counter(void);

/* Stage-2 TLB entries of VMID vmid (VTTBR value vttbr) invalidated on
 * every CPU, from a CPU that runs no guest. */
void arm64_stage2_flush(uint64_t vttbr);

/* Memory the CPU wrote with caches on, made visible to a CPU that reads
 * it with its MMU off (cleaned to the point of coherency), and the
 * instruction caches invalidated. */
void arm64_sync_for_guest(const void *p, size_t len);

#endif /* __ASSEMBLER__ */
#endif
