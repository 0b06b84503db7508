/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A guest's entry: the Linux boot protocol (EL1, MMU and caches off,
 * x0 = the device tree), linked where the FIT's load address says.
 * With the MMU off every data access is Device memory, so only aligned
 * stores run until mmu.c has turned the identity map on.
 */
	.section .text.head, "ax"
	.global	_start
_start:
	mov	x19, x0
	ldr	x1, =_stack_top
	mov	sp, x1
	ldr	x1, =_bss_start
	ldr	x2, =_bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:	bl	rt_mmu_init
	mov	x0, x19
	bl	rt_start
3:	wfi
	b	3b

	/* A vCPU started by PSCI CPU_ON: x0 is its struct rt_cpu, whose
	 * first word is its stack top. */
	.global	rt_secondary_entry
rt_secondary_entry:
	mov	x19, x0
	ldr	x1, [x19]
	mov	sp, x1
	bl	rt_mmu_enable
	mov	x0, x19
	bl	rt_secondary_start
4:	wfi
	b	4b

	.section .note.GNU-stack, "", %progbits
