/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Entry from a Linux-style loader (QEMU virt -kernel): x0 holds the DTB's
 * physical address, the MMU is off, we are at EL2 or EL1.
 *
 * The Image header (Documentation/arch/arm64/booting.rst) tells the
 * loader where to place us: text_offset from a 2 MiB boundary and the
 * whole size including BSS. We link at a fixed address and check that
 * the loader honoured it, since the image is not position independent.
 */
#include "sysreg.h"

	/* EL2: AArch64 below, no traps of FP/SIMD, our vectors, the MMU
	 * and caches off until mmu.c turns them on. Clobbers x1. */
	.macro	el2_setup
	mov	x1, #HCR_RW
	msr	hcr_el2, x1
	ldr	x1, =CPTR_EL2_RES1
	msr	cptr_el2, x1
	mov	x1, #CNTHCTL_EL1PCEN_PCTEN
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	msr	cnthp_ctl_el2, xzr
	ldr	x1, =SCTLR_EL2_RES1
	msr	sctlr_el2, x1
	ldr	x1, =arm64_vectors
	msr	vbar_el2, x1
	isb
	.endm

	.section .head.text, "ax"
	.global _head
_head:
	b	primary_entry           /* code0 */
	.long	0                       /* code1 */
	.quad	CONFIG_ARM64_LOAD_OFFSET        /* text_offset */
	.quad	_image_end - _head      /* image_size, BSS included */
	.quad	0xa                     /* flags: LE, 4K pages, anywhere */
	.quad	0, 0, 0                 /* res2..res4 */
	.ascii	"ARM\x64"               /* magic */
	.long	0                       /* res5 (PE header offset) */

primary_entry:
	mov	x19, x0                 /* keep the DTB across setup */

	/* Loaded where we were linked? Otherwise absolute pointers lie. */
	adr	x1, _head
	ldr	x2, =_head
	cmp	x1, x2
	b.ne	.Lwrong_place

	mrs	x1, CurrentEL
	lsr	x1, x1, #2
	cmp	x1, #2
	b.ne	.Lat_el1

	/* EL2 (virtualization=on): stay there, where a partition manager
	 * belongs. */
	el2_setup
	b	.Lstack

.Lat_el1:
	ldr	x1, =SCTLR_EL1_RES1     /* MMU and caches off, known state */
	msr	sctlr_el1, x1
	isb
	mov	x1, #CPACR_FPEN
	msr	cpacr_el1, x1
	ldr	x1, =arm64_vectors
	msr	vbar_el1, x1
	isb

.Lstack:
	ldr	x1, =_stack_top
	mov	sp, x1

	/* Zero BSS (and the TLS BSS before it). 16-byte aligned by the
	 * linker script; the MMU is off so stores must be aligned. */
	ldr	x1, =_bss_start
	ldr	x2, =_bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
	bl	arm64_mmu_enable
	mov	x0, x19
	bl	arm64_start             /* does not return */

	/* A CPU started for guests (smp.c, PSCI CPU_ON from EL2, so at
	 * EL2): x0 is its struct arm64_cpu, whose first word is its stack
	 * top. The boot CPU built the tables and cleaned the struct to
	 * memory; this CPU reads both with its MMU off. */
	.global	arm64_secondary_entry
arm64_secondary_entry:
	mov	x19, x0
	el2_setup
	ldr	x1, [x19]
	mov	sp, x1
	bl	arm64_mmu_enable_this_cpu
	mov	x0, x19
	bl	arm64_secondary_start   /* does not return */

	/* No console yet: tell QEMU virt's UART0 directly (position
	 * independent, MMU off, aligned word stores), then stop. */
.Lwrong_place:
	ldr	x1, =0x09000000
	adr	x2, .Lwrong_msg
1:	ldrb	w3, [x2], #1
	cbz	w3, .Lhang
	str	w3, [x1]
	b	1b
.Lhang:
	wfe
	b	.Lhang

.Lwrong_msg:
	.asciz	"partita: loaded at the wrong address; check CONFIG_ARM64_RAM_BASE and CONFIG_ARM64_LOAD_OFFSET\r\n"
	.balign	4

	/* No executable stack. */
	.section .note.GNU-stack, "", %progbits
