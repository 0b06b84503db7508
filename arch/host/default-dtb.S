/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The built-in board: arch/host/sim/default-board.dts, compiled by dtc. */
	.section .rodata
	.balign 8
	.globl partita_default_dtb
partita_default_dtb:
	.incbin DEFAULT_DTB
	.section .note.GNU-stack,"",%progbits
