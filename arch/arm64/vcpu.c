// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A vCPU's EL2 registers on this CPU (<partita/arch/arm64/vcpu.h>).
 *
 * HCR_EL2: VM (stage 2 on), SWIO (set/way invalidation is also a clean,
 * so a guest cannot discard another partition's dirty lines), FMO/IMO/
 * AMO (physical interrupts and SErrors come to EL2: the kick and the
 * timeout), FB and BSU=inner shareable (the guest's TLB and barrier
 * operations reach the other CPUs of the partition), TSC (its SMCs trap:
 * PSCI is ours to answer), RW (EL1 is AArch64), APK and API (pointer
 * authentication's keys and instructions are the guest's own: no CPU is
 * shared, so nothing needs switching; Linux uses them when the CPU has
 * them). HVC traps by itself.
 */
#include "sysreg.h"
#include <partita/arch/arm64/vcpu.h>

#define HCR_VM          (1ULL << 0)
#define HCR_SWIO        (1ULL << 1)
#define HCR_FMO         (1ULL << 3)
#define HCR_IMO         (1ULL << 4)
#define HCR_AMO         (1ULL << 5)
#define HCR_FB          (1ULL << 9)
#define HCR_BSU_IS      (1ULL << 10)
#define HCR_TSC         (1ULL << 19)
#define HCR_RW_64       (1ULL << 31)   /* sysreg.h's HCR_RW is an int, for asm */
#define HCR_APK         (1ULL << 40)
#define HCR_API         (1ULL << 41)
#define HCR_GUEST       (HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | \
			 HCR_FB | HCR_BSU_IS | HCR_TSC | HCR_RW_64 | HCR_APK | \
			 HCR_API)
#define CNTHCTL_EL1PCTEN 1ULL           /* physical counter readable */
#define MPIDR_RES1      (1ULL << 31)

#define write_sysreg(v, r) __asm__ volatile("msr " #r ", %0" :: "r"((uint64_t)(v)))
#define read_sysreg(r) ({ uint64_t __v; \
	__asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })

void arm64_vcpu_load(const struct arm64_vcpu_config *c)
{
	write_sysreg(c->vtcr, vtcr_el2);
	write_sysreg(c->vttbr, vttbr_el2);
	write_sysreg(read_sysreg(midr_el1), vpidr_el2);
	write_sysreg(MPIDR_RES1 | c->vcpu_id, vmpidr_el2);
	write_sysreg(c->cntvoff, cntvoff_el2);
	write_sysreg(CNTHCTL_EL1PCTEN, cnthctl_el2);
	/* Linux's boot protocol: MMU and caches off; FP/SIMD usable. */
	write_sysreg(SCTLR_EL1_RES1, sctlr_el1);
	write_sysreg(CPACR_FPEN, cpacr_el1);
	write_sysreg(0, vbar_el1);
	write_sysreg(HCR_GUEST, hcr_el2);
	__asm__ volatile("isb; tlbi vmalls12e1; dsb nsh; ic iallu; dsb nsh; isb"
			 ::: "memory");
}

void arm64_vcpu_exit_info(struct arm64_exit *e)
{
	e->esr = read_sysreg(esr_el2);
	e->far = read_sysreg(far_el2);
	e->hpfar = read_sysreg(hpfar_el2);
}

unsigned arm64_pa_bits(void)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	uint64_t r = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	return r < 7 ? bits[r] : 48;
}

uint64_t arm64_counter(void)
{
	uint64_t c;

	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(c));
	return c;
}

/* TLBI VMALLS12E1IS acts on the VMID in VTTBR_EL2: this CPU runs no
 * guest, so borrowing its VTTBR_EL2 for the operation is harmless. */
void arm64_stage2_flush(uint64_t vttbr)
{
	write_sysreg(vttbr, vttbr_el2);
	__asm__ volatile("isb; dsb ishst; tlbi vmalls12e1is; dsb ish; isb"
			 ::: "memory");
}

void arm64_sync_for_guest(const void *p, size_t len)
{
	uint64_t ctr = read_sysreg(ctr_el0);
	uintptr_t line = 4UL << ((ctr >> 16) & 0xf);   /* DminLine */
	uintptr_t a = (uintptr_t)p & ~(line - 1);

	for (; a < (uintptr_t)p + len; a += line)
		__asm__ volatile("dc cvac, %0" :: "r"(a) : "memory");
	__asm__ volatile("dsb ish; ic ialluis; dsb ish; isb" ::: "memory");
}
