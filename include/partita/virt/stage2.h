/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A partition's stage 2 (virt/stage2.c): the CPU's translation of a
 * guest's intermediate physical addresses, derived from the partition's
 * AddressSpace by a MemoryListener beside the VFIO one, so that every
 * region reaches both translations in one transaction. Arm LPAE stage-2
 * tables from the page-table layer (the format the SMMU driver uses),
 * blocks wherever alignment allows:
 *
 *  - RAM              -> normal write-back memory, executable (read-only
 *                        sections without write permission);
 *  - ram-device (an assigned BAR the CPU may reach directly)
 *                     -> device memory (nGnRE), never executable;
 *  - MMIO with callbacks, and protected memory
 *                     -> not mapped: the guest's access traps, and the
 *                        MMIO exit answers it through the AddressSpace.
 *
 * Nothing else is ever mapped: what the partition's AddressSpace does
 * not hold (the manager's memory, the IOMMU tables, the GIC, the SMMU,
 * another partition) has no entry.
 *
 * Errors: a mapping that fails while attaching fails the attach with
 * no entry left (tables it emptied are kept until stage2_fini); one
 * that fails later (a region added to a running
 * partition) stops the partition (stage2_stopped), as the VFIO listener
 * does, never the machine.
 */
#ifndef PARTITA_VIRT_STAGE2_H
#define PARTITA_VIRT_STAGE2_H

#include <partita/error.h>
#include <partita/mm/memory.h>
#include <partita/mm/pgtable/io-pgtable.h>
#include <stdbool.h>
#include <stdint.h>

struct page_pool;
struct umem;

struct stage2_config {
	unsigned ipa_bits;           /* the guest's IPA size (32..48) */
	unsigned pa_bits;            /* the CPU's PARange, for VTCR.PS */
	struct page_pool *pool;      /* the manager's pages for tables */
	struct umem *um;             /* host pointers -> physical addresses */
	/* TLB maintenance of this stage 2 after entries were removed
	 * (arm64: TLBI VMALLS12E1IS for its VMID); NULL: none needed. */
	void (*flush)(void *opaque);
	void *opaque;
};

struct stage2 {
	MemoryListener listener;
	struct stage2_config cfg;
	struct io_pgtable_cfg pgcfg;
	struct io_pgtable_ops *pgtbl;
	bool attached;
	Error *err;                  /* the first failure while attaching */
	char *stop_reason;           /* a failure after: the partition stops */
	bool removed;                /* entries removed since the last flush */
	unsigned long flushes;
};

/* Empty tables; false (errp set, nothing left) for an IPA size outside
 * 32..48 bits or out of memory. */
bool stage2_init(struct stage2 *s2, const struct stage2_config *cfg,
		 Error **errp);
/* Follow as from now on (its current map replayed). */
bool stage2_attach(struct stage2 *s2, AddressSpace *as, Error **errp);
/* Stop following: every entry removed (and flushed). */
void stage2_detach(struct stage2 *s2);
/* Every table page back to the pool. */
void stage2_fini(struct stage2 *s2);

/* Why the partition must stop, or NULL. */
const char *stage2_stopped(const struct stage2 *s2);
/* VTTBR_EL2 for vmid, and VTCR_EL2 (T0SZ, SL0, 4 KiB granule, inner
 * shareable write-back walks, PS). */
/* A device range of the machine's own mapped for the guest's CPU alone
 * (the GIC's virtual CPU interface), beside what the AddressSpace holds:
 * it is not in the AddressSpace, so no listener, and no device's DMA,
 * ever sees it. ipa, pa and size page aligned, clear of the
 * AddressSpace's mapped regions (the caller's guarantee). */
bool stage2_map_cpu_device(struct stage2 *s2, uint64_t ipa, uint64_t pa,
			   uint64_t size, Error **errp);
void stage2_unmap_cpu_device(struct stage2 *s2, uint64_t ipa, uint64_t size);

uint64_t stage2_vttbr(const struct stage2 *s2, uint16_t vmid);
uint64_t stage2_vtcr(const struct stage2 *s2);
/* The physical address ipa translates to, or 0. */
uint64_t stage2_ipa_to_pa(const struct stage2 *s2, uint64_t ipa);
/* Entries written so far and table pages in use (benchmarks, tests). */
uint64_t stage2_entries_written(const struct stage2 *s2);
size_t stage2_table_pages(const struct stage2 *s2);

#endif
