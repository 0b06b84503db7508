/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The machine the partition manager runs on, as each target brings it
 * up from its device tree (arch/<arch>/board.c): RAM, the IOMMU drivers,
 * and every assignable device discovered (drivers/bus) and published in
 * the device namespace behind the system-call line.
 */
#ifndef PARTITA_ARCH_BOARD_H
#define PARTITA_ARCH_BOARD_H

#include <partita/error.h>
#include <stdbool.h>
#include <stdint.h>

struct sys;
struct umem;
struct page_pool;
struct bus_devices;

struct board {
	const char *model;
	const void *fdt;
	struct sys *sys;                /* the device namespace */
	struct bus_devices *devices;    /* what discovery found */
	/* All RAM, and the part partitions are carved from (the rest holds
	 * the manager's own data: IOMMU tables, translated programs). */
	uint64_t ram_base, ram_size;
	uint64_t pool_base, pool_size;
	void *arch;                     /* the target's own state */
	/* The IOMMU's fault records may be lost or come late (Linux: the
	 * kernel log, printed after the fact; QEMU's VT-d keeps one fault
	 * until the kernel has read it, "compression of faults"). The
	 * self-test then matches a record to a copy by its address, and
	 * a copy that did not land counts as blocked without one. */
	bool faults_lossy;
};

/* Bring the machine up from fdt (which must outlive it; NULL on targets
 * that have no device tree: s390x asks the machine itself). */
bool board_init(struct board *b, const void *fdt, Error **errp);
void board_fini(struct board *b);

/* The CPU's pointer to RAM at pa for len bytes; NULL outside RAM. */
void *board_ram_ptr(struct board *b, uint64_t pa, uint64_t len);

/* Pages of the manager's own pool not in use (IOMMU tables, translated
 * channel programs): tearing the partitions down gives every one back. */
unsigned long board_free_table_pages(const struct board *b);

/* Targets that run guests (arm64; the host, to check them): the pages
 * stage-2 tables come from, and the map from the manager's pointers to
 * physical addresses they are written with. */
struct page_pool *board_table_pool(struct board *b);
struct umem *board_umem(struct board *b);

/* A DMA fault the board's IOMMU recorded. */
struct board_fault {
	uint32_t stream_id;
	uint64_t addr;               /* the DMA address that faulted */
	const char *what;            /* "F_TRANSLATION", ... */
};

/* The faults recorded since the last call (at most max, oldest first).
 * Boards whose IOMMU reports faults to the device instead (the host's
 * simulated engines latch them) return 0. */
unsigned board_read_faults(struct board *b, struct board_fault *out,
			   unsigned max);

/* The built-in device tree of targets that carry one (the host's
 * simulated board); NULL elsewhere. */
const void *board_default_fdt(void);

#endif
