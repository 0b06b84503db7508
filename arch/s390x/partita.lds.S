/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * s390x firmware layout: an ELF whose entry is 0x10000, where QEMU's IPL
 * of -kernel starts a Linux-style image. Lowcore (0..0x2000) stays free
 * for the CPU's interrupt PSWs. Preprocessed with autoconf.h.
 */
OUTPUT_FORMAT("elf64-s390")
OUTPUT_ARCH(s390:64-bit)
ENTRY(_start)

PHDRS
{
	text PT_LOAD FLAGS(5);
	data PT_LOAD FLAGS(6);
}

SECTIONS
{
	. = 0x10000;
	.head : {
		KEEP(*(.head.text))
	} :text
	.text : {
		*(.text .text.*)
	} :text
	.rodata : ALIGN(16) {
		*(.rodata .rodata.*)
	} :text

	. = ALIGN(4096);
	.data : {
		*(.data .data.*)
		*(.got .got.*)
	} :data

	.bss (NOLOAD) : ALIGN(16) {
		_bss_start = .;
		*(.bss .bss.* COMMON)
		. = ALIGN(16);
		_bss_end = .;
	} :data

	.stack (NOLOAD) : ALIGN(16) {
		. = . + CONFIG_S390X_STACK_SIZE;
		_stack_top = .;
	} :data
	/* Everything the image holds ends here: the board carves what
	 * follows (arch/s390x/board.c). */
	_image_end = .;

	/DISCARD/ : {
		*(.comment) *(.note .note.*) *(.eh_frame .eh_frame_hdr)
		*(.interp) *(.dynamic) *(.dynsym) *(.dynstr) *(.hash)
		*(.gnu.hash)
	}
}

ASSERT(_start == 0x10000, "the entry must be at 0x10000")
