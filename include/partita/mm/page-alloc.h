/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Physical page allocator: a pool of 4 KiB pages over one contiguous range,
 * handing out naturally aligned blocks of 2^order pages, zeroed (page
 * tables need both). One bit per page; allocation is first fit, starting
 * from the lowest page that may be free, so filling a pool is linear.
 *
 * The pool knows the physical address of its first page, so firmware can
 * give hardware (an IOMMU walking page tables) physical addresses while
 * code uses pointers; on host builds the two are the same numbers.
 */
#ifndef PARTITA_MM_PAGE_ALLOC_H
#define PARTITA_MM_PAGE_ALLOC_H

#include <partita/error.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SHIFT CONFIG_PAGE_SHIFT
#define PAGE_SIZE (1UL << PAGE_SHIFT)

struct page_pool {
	uint8_t *base;          /* first page, page aligned */
	uint64_t phys_base;     /* its physical address */
	size_t npages;
	size_t free_pages;
	unsigned long *used;    /* bit per page */
	size_t first_free;      /* no free page below this index */
};

/* Manage [mem, mem + size): the range is trimmed to whole pages aligned
 * in the physical address space.
 * phys is the physical address of mem. Fails if no page remains or the
 * bitmap cannot be allocated. */
bool page_pool_init(struct page_pool *pool, void *mem, uint64_t phys,
		    size_t size, Error **errp);
/* Every page must have been freed. */
void page_pool_destroy(struct page_pool *pool);

/* 2^order zeroed pages aligned to their size, or NULL (out of pages, or
 * fault injection: this counts as an allocation). */
void *page_alloc(struct page_pool *pool, unsigned order);
void page_free(struct page_pool *pool, void *page, unsigned order);

uint64_t page_to_phys(const struct page_pool *pool, const void *page);
/* NULL when phys is outside the pool. */
void *phys_to_page(const struct page_pool *pool, uint64_t phys);

static inline size_t page_pool_free_pages(const struct page_pool *pool)
{
	return pool->free_pages;
}

#endif
