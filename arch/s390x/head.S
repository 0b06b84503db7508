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
	/* The clock at the image's first instruction: "time from reset to
	 * report" counts from here (QEMU's IPL before it takes a few µs). */
	larl	%r1, s390x_ipl_tod
	stck	0(%r1)

	/* Enable the additional FP registers: GCC may use all 16. */
	larl	%r1, cr0_scratch
	stctg	%c0, %c0, 0(%r1)
	oi	5(%r1), 0x04            /* CR0_AFP: bit 45 */
	lctlg	%c0, %c0, 0(%r1)

	/* Every interruption class reports and stops instead of running
	 * whatever a zero new PSW points at. Waits that expect an
	 * interruption install their own new PSW and put this one back. */
	larl	%r1, unexpected_psws
	mvc	LC_RESTART_NEW_PSW(16, %r0), 0(%r1)
	mvc	LC_EXT_NEW_PSW(16, %r0), 16(%r1)
	mvc	LC_SVC_NEW_PSW(16, %r0), 32(%r1)
	mvc	LC_PGM_NEW_PSW(16, %r0), 48(%r1)
	mvc	LC_MCCK_NEW_PSW(16, %r0), 64(%r1)
	mvc	LC_IO_NEW_PSW(16, %r0), 80(%r1)

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
 * uint16_t s390x_wait_ext(uint64_t subclasses): wait for one external
 * interruption of the CR0 subclasses given (time.c sets the clock
 * comparator that bounds it): enable only those, load an enabled wait
 * PSW, resume (disabled again) where this wait's new PSW points, put the
 * reporting new PSW back, and return the interruption code. The
 * interruption saves only the PSW: every register is as it was.
 */
	.global	s390x_wait_ext
s390x_wait_ext:
	larl	%r1, cr0_scratch
	stctg	%c0, %c0, 0(%r1)
	lg	%r3, 0(%r1)
	ogr	%r3, %r2
	stg	%r3, 8(%r1)
	larl	%r3, wait_ext_new_psw
	mvc	LC_EXT_NEW_PSW(16, %r0), 0(%r3)
	lctlg	%c0, %c0, 8(%r1)
	larl	%r3, ext_wait_psw
	lpswe	0(%r3)
wait_ext_done:
	lctlg	%c0, %c0, 0(%r1)
	larl	%r3, unexpected_psws
	mvc	LC_EXT_NEW_PSW(16, %r0), 16(%r3)
	llgh	%r2, LC_EXT_INT_CODE(%r0)
	br	%r14

/*
 * The reporting handlers: on their own stack, s390x_unexpected(class,
 * old PSW mask, old PSW address, interruption code, detail) (traps.c).
 * Code and detail are loaded from lowcore by the instruction named
 * (`la` from offset 0 gives 0: the class has none).
 */
	.macro	UNEXPECTED name, class, old, code_op, code, detail_op, detail
\name:
	larl	%r15, _trap_stack_top
	aghi	%r15, -160
	lghi	%r2, \class
	lg	%r3, \old(%r0)
	lg	%r4, \old + 8(%r0)
	\code_op	%r5, \code(%r0)
	\detail_op	%r6, \detail(%r0)
	brasl	%r14, s390x_unexpected          /* does not return */
	j	.
	.endm

	UNEXPECTED restart_int, INT_RESTART, LC_RESTART_OLD_PSW, la, 0, la, 0
	UNEXPECTED ext_int, INT_EXTERNAL, LC_EXT_OLD_PSW, llgh, LC_EXT_INT_CODE, la, 0
	UNEXPECTED svc_int, INT_SVC, LC_SVC_OLD_PSW, llgh, LC_SVC_INT_CODE, la, 0
	UNEXPECTED pgm_int, INT_PROGRAM, LC_PGM_OLD_PSW, llgh, LC_PGM_INT_CODE, lg, LC_TRANS_EXC_CODE
	UNEXPECTED mcck_int, INT_MACHINE_CHECK, LC_MCCK_OLD_PSW, lg, LC_MCCK_CODE, la, 0
	UNEXPECTED io_int, INT_IO, LC_IO_OLD_PSW, llgf, LC_SUBCHANNEL_ID, lg, LC_IO_INT_PARM

/* End the run: QEMU shuts down on a disabled wait at 0xfff. */
	.global	s390x_power_off
s390x_power_off:
	larl	%r1, off_psw
	lpswe	0(%r1)

	.global	s390x_stop_crashed
s390x_stop_crashed:
	larl	%r1, crash_psw
	lpswe	0(%r1)

	.section .rodata
	.balign	8
unexpected_psws:
	.quad	PSW_MASK_64, restart_int
	.quad	PSW_MASK_64, ext_int
	.quad	PSW_MASK_64, svc_int
	.quad	PSW_MASK_64, pgm_int
	.quad	PSW_MASK_64, mcck_int
	.quad	PSW_MASK_64, io_int
wait_ext_new_psw:
	.quad	PSW_MASK_64, wait_ext_done
ext_wait_psw:
	.quad	PSW_MASK_64 | PSW_MASK_EXT | PSW_MASK_WAIT, wait_ext_done
off_psw:
	.quad	PSW_MASK_64 | PSW_MASK_WAIT, QEMU_SHUTDOWN_WAIT_ADDR
/* Any other disabled wait: QEMU reports the guest as crashed. */
crash_psw:
	.quad	PSW_MASK_64 | PSW_MASK_WAIT, 0xdead

	.data
	.balign	8
	.global	s390x_ipl_tod
s390x_ipl_tod:
	.quad	0

	.section .bss
	.balign	8
cr0_scratch:
	.quad	0, 0
	.balign	16
	.space	8192
_trap_stack_top:

	/* No executable stack. */
	.section .note.GNU-stack, "", %progbits
