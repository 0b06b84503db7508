/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Entry from QEMU's IPL of a -kernel ELF: 64-bit addressing, DAT off,
 * interrupts disabled, prefix 0. The entry sits at 0x10000, where QEMU
 * starts a Linux-style image; QEMU then writes the -append command line
 * at 0x10480, so the first 4 KiB of the image keep that area free.
 */
#include "lowcore.h"

	.section .head.text, "ax"
	.global	_start
_start:
	j	boot
	.org	0x400
	/* 0x10400..0x11000: QEMU's initrd and command-line parameter area
	 * (KERN_PARM_AREA = 0x10480); read by s390x_command_line(). */
	.global	s390x_parm_area
	.org	0x480
s390x_parm_area:
	.org	0x1000

	.text
boot:
	/* Enable the additional FP registers: GCC may use all 16. */
	larl	%r1, cr0_scratch
	stctg	%c0, %c0, 0(%r1)
	oi	5(%r1), 0x04            /* CR0_AFP: bit 45 */
	lctlg	%c0, %c0, 0(%r1)

	/* A program check reports and stops instead of looping. */
	larl	%r1, pgm_new_psw
	mvc	LC_PGM_NEW_PSW(16, %r0), 0(%r1)

	larl	%r2, _bss_start
	larl	%r3, _bss_end
1:	clgr	%r2, %r3
	jhe	2f
	xc	0(8, %r2), 0(%r2)
	aghi	%r2, 8
	j	1b
2:
	larl	%r15, _stack_top
	aghi	%r15, -160              /* the ABI's register save area */
	brasl	%r14, s390x_start       /* does not return */
	j	.

/*
 * Wait for the service-signal external interrupt that ends an SCLP
 * command: enable only that subclass, load an enabled wait PSW, and
 * resume (disabled again) where the interrupt's new PSW points.
 */
	.global	sclp_wait_interrupt
sclp_wait_interrupt:
	larl	%r1, cr0_scratch
	stctg	%c0, %c0, 0(%r1)
	lg	%r2, 0(%r1)
	oill	%r2, CR0_SERVICE_SIGNAL
	stg	%r2, 8(%r1)
	lctlg	%c0, %c0, 8(%r1)
	larl	%r3, ext_new_psw
	mvc	LC_EXT_NEW_PSW(16, %r0), 0(%r3)
	larl	%r3, ext_wait_psw
	lpswe	0(%r3)
sclp_resume:
	lctlg	%c0, %c0, 0(%r1)        /* %r1 survives the interrupt */
	br	%r14

pgm_check:
	larl	%r15, _pgm_stack_top
	aghi	%r15, -160
	llgh	%r2, LC_PGM_INT_CODE(%r0)
	lg	%r3, LC_PGM_OLD_PSW + 8(%r0)
	lg	%r4, LC_TRANS_EXC_CODE(%r0)
	brasl	%r14, s390x_program_check       /* does not return */
	j	.

/* End the run: QEMU shuts down on a disabled wait at 0xfff. */
	.global	s390x_power_off
s390x_power_off:
	larl	%r1, off_psw
	lpswe	0(%r1)

	.section .rodata
	.balign	8
pgm_new_psw:
	.quad	PSW_MASK_64, pgm_check
ext_new_psw:
	.quad	PSW_MASK_64, sclp_resume
ext_wait_psw:
	.quad	PSW_MASK_64 | PSW_MASK_EXT | PSW_MASK_WAIT, sclp_resume
off_psw:
	.quad	PSW_MASK_64 | PSW_MASK_WAIT, QEMU_SHUTDOWN_WAIT_ADDR

	.section .bss
	.balign	8
cr0_scratch:
	.quad	0, 0
	.balign	16
	.space	4096
_pgm_stack_top:

	/* No executable stack. */
	.section .note.GNU-stack, "", %progbits
