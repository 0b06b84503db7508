/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An example guest's layout: linked at GUEST_LOAD (the partition address
 * the FIT's load and entry give), code first, then data, TLS, BSS and
 * the boot stack; _image_end is the first byte the guest does not use.
 */
OUTPUT_FORMAT("elf64-littleaarch64")
OUTPUT_ARCH(aarch64)
ENTRY(_start)

PHDRS
{
	text PT_LOAD FLAGS(5);
	data PT_LOAD FLAGS(6);
	tls PT_TLS;
}

SECTIONS
{
	. = GUEST_LOAD;
	_image_start = .;
	.text : {
		KEEP(*(.text.head))
		. = ALIGN(0x800);
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
	.tbss_space (NOLOAD) : {
		. = ADDR(.tbss) + SIZEOF(.tbss);
	} :data
	.bss (NOLOAD) : ALIGN(16) {
		*(.bss .bss.* COMMON)
		. = ALIGN(16);
		_bss_end = .;
	} :data
	.stack (NOLOAD) : ALIGN(16) {
		. = . + 16384;
		_stack_top = .;
	} :data
	_image_end = .;
	/DISCARD/ : {
		*(.comment) *(.note .note.*) *(.eh_frame .eh_frame_hdr)
		*(.interp) *(.dynamic) *(.dynsym) *(.dynstr) *(.hash)
		*(.gnu.hash)
	}
}
