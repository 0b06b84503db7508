/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Entering a guest and coming back (<partita/arch/arm64/vcpu.h>).
 *
 * arm64_vcpu_enter(r) keeps the C caller's callee-saved registers on
 * this CPU's EL2 stack, records that stack in r, loads the guest's
 * registers and ERETs. An exception from the guest lands in the
 * lower-EL vectors (vectors.S), which push x0/x1 and branch to
 * arm64_guest_exit with the vector number in x1: it saves the guest's
 * registers into r (found through TPIDR_EL2), restores the caller's
 * stack and registers and returns the vector number from
 * arm64_vcpu_enter. Everything else about the exit (ESR_EL2, FAR_EL2,
 * HPFAR_EL2) is still in the system registers for C to read.
 */
#include <partita/arch/arm64/vcpu.h>

#define HOST_FRAME 160                  /* x19..x30, d8..d15 */

	.section .text.guest, "ax"
	.global	arm64_vcpu_enter
arm64_vcpu_enter:
	sub	sp, sp, #HOST_FRAME
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	stp	d8, d9, [sp, #96]
	stp	d10, d11, [sp, #112]
	stp	d12, d13, [sp, #128]
	stp	d14, d15, [sp, #144]
	mov	x1, sp
	str	x1, [x0, #ARM64_VCPU_HOST_SP]
	msr	tpidr_el2, x0

	mrs	x1, tpidr_el0
	str	x1, [x0, #ARM64_VCPU_HOST_TPIDR]
	ldr	x1, [x0, #ARM64_VCPU_TPIDR]
	msr	tpidr_el0, x1
	ldp	x1, x2, [x0, #ARM64_VCPU_ELR]   /* elr, spsr */
	msr	elr_el2, x1
	msr	spsr_el2, x2

	add	x1, x0, #ARM64_VCPU_V
	ldp	q0, q1, [x1], #32
	ldp	q2, q3, [x1], #32
	ldp	q4, q5, [x1], #32
	ldp	q6, q7, [x1], #32
	ldp	q8, q9, [x1], #32
	ldp	q10, q11, [x1], #32
	ldp	q12, q13, [x1], #32
	ldp	q14, q15, [x1], #32
	ldp	q16, q17, [x1], #32
	ldp	q18, q19, [x1], #32
	ldp	q20, q21, [x1], #32
	ldp	q22, q23, [x1], #32
	ldp	q24, q25, [x1], #32
	ldp	q26, q27, [x1], #32
	ldp	q28, q29, [x1], #32
	ldp	q30, q31, [x1], #32
	ldp	x2, x3, [x1]                    /* fpsr, fpcr follow v[] */
	msr	fpsr, x2
	msr	fpcr, x3

	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0]
	eret
	dsb	nsh                             /* no speculation past ERET */
	isb

	/* From vectors.S: guest x0/x1 on the stack, the vector in x1. */
	.global	arm64_guest_exit
arm64_guest_exit:
	mrs	x0, tpidr_el2
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	str	x30, [x0, #240]
	mov	x19, x1                         /* the vector */
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #ARM64_VCPU_ELR]
	mrs	x2, tpidr_el0
	str	x2, [x0, #ARM64_VCPU_TPIDR]
	ldr	x2, [x0, #ARM64_VCPU_HOST_TPIDR]
	msr	tpidr_el0, x2

	add	x1, x0, #ARM64_VCPU_V
	stp	q0, q1, [x1], #32
	stp	q2, q3, [x1], #32
	stp	q4, q5, [x1], #32
	stp	q6, q7, [x1], #32
	stp	q8, q9, [x1], #32
	stp	q10, q11, [x1], #32
	stp	q12, q13, [x1], #32
	stp	q14, q15, [x1], #32
	stp	q16, q17, [x1], #32
	stp	q18, q19, [x1], #32
	stp	q20, q21, [x1], #32
	stp	q22, q23, [x1], #32
	stp	q24, q25, [x1], #32
	stp	q26, q27, [x1], #32
	stp	q28, q29, [x1], #32
	stp	q30, q31, [x1], #32
	mrs	x2, fpsr
	mrs	x3, fpcr
	stp	x2, x3, [x1]

	mov	x1, x19
	ldr	x2, [x0, #ARM64_VCPU_HOST_SP]
	mov	sp, x2
	mov	x0, x1
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	ldp	d8, d9, [sp, #96]
	ldp	d10, d11, [sp, #112]
	ldp	d12, d13, [sp, #128]
	ldp	d14, d15, [sp, #144]
	add	sp, sp, #HOST_FRAME
	ret

	/* No executable stack. */
	.section .note.GNU-stack, "", %progbits
