/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Exception vectors, for EL2 or EL1 (whichever Partita runs at). It runs
 * with interrupts masked and expects
 * no exceptions; any that arrives is reported and ends the run (see
 * exceptions.c), which beats a silent hang under QEMU.
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

	.section .text.vectors, "ax"
	.balign	0x800
	.global	arm64_vectors
arm64_vectors:
	/* current EL with SP_EL0, current EL with SP_ELx, lower EL 64, 32 */
	.irp	kind, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vector	\kind
	.endr

	/* No executable stack. */
	.section .note.GNU-stack, "", %progbits
