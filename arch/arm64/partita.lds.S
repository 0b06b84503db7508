/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arm64 firmware layout. Preprocessed with autoconf.h. The image is linked
 * where QEMU virt's -kernel loads an Image whose text_offset is
 * CONFIG_ARM64_LOAD_OFFSET; head.S checks that it got there.
 *
 * TLS: picolibc keeps errno in thread-local storage. The single CPU uses
 * the image's own .tdata in place and a .tbss that head.S zeroes with the
 * rest of BSS; __tls_base and __arm64_tls_tcb_offset are what picolibc's
 * _set_tls() expects.
 */
OUTPUT_FORMAT("elf64-littleaarch64")
OUTPUT_ARCH(aarch64)
ENTRY(_head)

PHDRS
{
	text PT_LOAD FLAGS(5);
	data PT_LOAD FLAGS(6);
	tls PT_TLS;
}

SECTIONS
{
	. = CONFIG_ARM64_RAM_BASE + CONFIG_ARM64_LOAD_OFFSET;

	.text : {
		KEEP(*(.head.text))
		KEEP(*(.text.vectors))
		*(.text .text.*)
	} :text

	.rodata : ALIGN(16) {
		*(.rodata .rodata.*)
	} :text

	. = ALIGN(4096);
	.data : {
		*(.data .data.*)
		*(.got .got.plt)
	} :data

	.tdata : ALIGN(16) {
		__tls_base = .;
		*(.tdata .tdata.*)
		. = ALIGN(16);
	} :data :tls
	_bss_start = .;
	.tbss : {
		*(.tbss .tbss.*)
	} :data :tls
	__arm64_tls_tcb_offset = MAX(16, MAX(ALIGNOF(.tdata), ALIGNOF(.tbss)));

	/* The linker gives .tbss no room of its own; reserve it. */
	.tbss_space (NOLOAD) : {
		. = ADDR(.tbss) + SIZEOF(.tbss);
	} :data

	.bss (NOLOAD) : ALIGN(16) {
		*(.bss .bss.* COMMON)
		. = ALIGN(16);
		_bss_end = .;
	} :data

	.stack (NOLOAD) : ALIGN(16) {
		. = . + CONFIG_ARM64_STACK_SIZE;
		_stack_top = .;
	} :data

	_image_end = .;

	/DISCARD/ : {
		*(.comment) *(.note .note.*) *(.eh_frame .eh_frame_hdr)
		*(.interp) *(.dynamic) *(.dynsym) *(.dynstr) *(.hash)
		*(.gnu.hash)
	}
}

ASSERT(_head == CONFIG_ARM64_RAM_BASE + CONFIG_ARM64_LOAD_OFFSET,
       "the Image header must come first")
