/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Exception vectors, for EL2 or EL1 (whichever Partita runs at). It runs
 * with interrupts masked and expects no exceptions of its own; any that
 * arrives is reported and ends the run (see exceptions.c), which beats a
 * silent hang under QEMU. Exceptions from a guest (EL1 under our EL2)
 * are its exits: guest-entry.S.
 */
	.macro	vector kind
	.balign	0x80
	mov	x0, #\kind
	mrs	x4, CurrentEL
	cmp	x4, #8                  /* EL2: its own syndrome registers */
	b.eq	1f
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	mov	x4, #1
	b	arm64_unexpected_exception
1:	mrs	x1, esr_el2
	mrs	x2, elr_el2
	mrs	x3, far_el2
	mov	x4, #2
	b	arm64_unexpected_exception
	.endm

	/* From a guest (lower EL, AArch64): guest-entry.S saves it. */
	.macro	guest_vector kind
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\kind
	b	arm64_guest_exit
	.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.global	arm64_vectors
arm64_vectors:
	/* current EL with SP_EL0, current EL with SP_ELx */
	.irp	kind, 0, 1, 2, 3, 4, 5, 6, 7
	vector	\kind
	.endr
	/* lower EL, AArch64: a guest's exits (only a guest runs below EL2) */
	.irp	kind, 8, 9, 10, 11
	guest_vector \kind
	.endr
	/* lower EL, AArch32: HCR_EL2.RW keeps guests in AArch64 at EL1; an
	 * AArch32 EL0 of a guest is not supported */
	.irp	kind, 12, 13, 14, 15
	vector	\kind
	.endr

	/* No executable stack. */
	.section .note.GNU-stack, "", %progbits
