/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The caller's memory map, as the "kernel" side sees a process's: which
 * virtual ranges are RAM (and at which physical addresses) and which are
 * device mappings (an mmap of a PCI BAR). DMA mapping pins through it:
 * iommufd refuses device memory (-EFAULT, as pin_user_pages does), type1
 * accepts it (peer-to-peer). In firmware the map is the identity; on the
 * host board, host pointers map to the board's physical addresses.
 */
#ifndef PARTITA_MM_USER_MEM_H
#define PARTITA_MM_USER_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RAM_RO: memory the caller may only read (a read-only mapping): pinned
 * for a device to read it, refused (-EFAULT) to let a device write it, as
 * Linux's pin_user_pages with FOLL_WRITE refuses. */
enum umem_kind { UMEM_RAM, UMEM_RAM_RO, UMEM_IO };

/* What a walk or a pin accepts, or'ed together. */
#define UMEM_ALLOW_IO  (1u << 0)   /* device memory too (peer-to-peer) */
#define UMEM_WRITE     (1u << 1)   /* for a device to write: no RAM_RO */

struct umem;

struct umem *umem_create(void);
/* Every pin must have been dropped. */
void umem_destroy(struct umem *um);

/* Declare [va, va + len) as kind at physical pa. -EINVAL for len 0 or a
 * range that wraps, -EEXIST over another range, -ENOMEM. */
int umem_add(struct umem *um, uint64_t va, uint64_t len, uint64_t pa,
	     enum umem_kind kind);
/* Forget the range starting at va: -ENOENT, -EBUSY while pinned. */
int umem_remove(struct umem *um, uint64_t va);

typedef int (*umem_piece_fn)(void *opaque, uint64_t va, uint64_t pa,
			     uint64_t len, enum umem_kind kind);

/* Check that every byte of [va, va + len) is declared, of a kind access
 * accepts (RAM always; RAM_RO unless UMEM_WRITE; IO with UMEM_ALLOW_IO),
 * then call fn for each physically contiguous piece in order;
 * a non-zero return from fn stops the walk and is returned. -EFAULT (and
 * no call) when the check fails. */
int umem_walk(struct umem *um, uint64_t va, uint64_t len, unsigned access,
	      umem_piece_fn fn, void *opaque);

/* Pin [va, va + len) (same check as umem_walk): its ranges cannot be
 * removed until unpinned. */
int umem_pin(struct umem *um, uint64_t va, uint64_t len, unsigned access);
void umem_unpin(struct umem *um, uint64_t va, uint64_t len);

/* For drivers of mediated devices. Pin npage pages of RAM from va (page
 * aligned: -EINVAL) and give each one's physical address in pa[];
 * -EFAULT when a byte is not RAM. Undo with umem_unpin. */
int umem_pin_pages(struct umem *um, uint64_t va, size_t npage, uint64_t *pa);
/* Every byte of [va, va + len) is RAM, read-only or not (len > 0). */
bool umem_is_ram(struct umem *um, uint64_t va, uint64_t len);
/* Copy between buf and RAM at [va, va + len) (copy_{to,from}_user):
 * -EFAULT when a byte is not RAM (or, writing into the user's memory,
 * is read-only). */
int umem_copy(struct umem *um, uint64_t va, void *buf, uint64_t len,
	      bool write);

/* Bytes whose physical address umem_walk has looked up so far (the
 * "kernel's" walks of the caller's page tables: what pinning user memory
 * costs, and what IOMMU_IOAS_COPY saves by reusing pages already pinned). */
uint64_t umem_translated_bytes(const struct umem *um);

#endif
