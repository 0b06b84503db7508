/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PL011 a guest sees (virt/devices/pl011.c): an MMIO region with
 * the registers of Arm's PrimeCell UART (PL011 TRM, DDI 0183) that an
 * `arm,pl011` driver needs to transmit: DR, FR (the transmit FIFO always
 * empty and never full, nothing to receive), the baud, line and control
 * registers kept as written, the interrupt mask, and the PrimeCell ID
 * registers (so Linux's AMBA bus matches it). Transmit only.
 *
 * What the guest writes is gathered into lines and each complete line
 * emitted whole, prefixed with the partition's id ("[p0] hello"), so
 * lines of different partitions never interleave; a line longer than
 * PL011_LINE_MAX is emitted in pieces of that size. The last
 * "EXIT: STATUS=<n>" line a guest printed is kept as its exit status
 * (the kvm-unit-tests convention).
 */
#ifndef PARTITA_VIRT_DEVICES_PL011_H
#define PARTITA_VIRT_DEVICES_PL011_H

#include <partita/error.h>
#include <partita/mm/memory.h>
#include <stdbool.h>

#define PL011_MMIO_SIZE  0x1000
#define PL011_LINE_MAX   256

struct pl011 {
	MemoryRegion mmio;
	const char *id;                          /* the partition's */
	void (*emit)(void *opaque, const char *line);
	void *opaque;
	char line[PL011_LINE_MAX + 1];
	unsigned len;
	uint32_t ibrd, fbrd, lcr_h, cr, imsc, ifls;
	bool has_status;
	int status;                              /* the last EXIT: STATUS */
	unsigned long writes;                    /* DR writes (exits) */
};

/* The device as an MMIO region of ctx (not placed); lines go to
 * emit(opaque, "[id] text"). */
bool pl011_init(struct pl011 *u, MemoryContext *ctx, const char *id,
		void (*emit)(void *opaque, const char *line), void *opaque,
		Error **errp);
/* Emits what is left of a line, then finalises the region (unplaced). */
void pl011_fini(struct pl011 *u);
/* The guest's last "EXIT: STATUS=<n>": true with *status, or false. */
bool pl011_exit_status(const struct pl011 *u, int *status);

#endif
