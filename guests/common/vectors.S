/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A guest's EL1 exception vectors (irq.c). IRQs taken at EL1 with SP_EL1
 * call rt_irq_entry() with the caller-saved registers kept; any other
 * exception is reported by rt_exception() (and ends the guest).
 */
	.macro	save
	sub	sp, sp, #176
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	str	x30, [sp, #160]
	.endm

	.macro	restore
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x29, [sp, #144]
	ldr	x30, [sp, #160]
	add	sp, sp, #176
	.endm

	.macro	other kind
	.balign	0x80
	mov	x0, #\kind
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	b	rt_exception
	.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.global	rt_vectors
rt_vectors:
	.irp	kind, 0, 1, 2, 3, 4
	other	\kind
	.endr
	.balign	0x80                    /* 5: current EL, SP_ELx, IRQ */
	save
	bl	rt_irq_entry
	restore
	eret
	.irp	kind, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	other	\kind
	.endr

	.section .note.GNU-stack, "", %progbits
