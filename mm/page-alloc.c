// SPDX-License-Identifier: GPL-2.0-or-later
#include <partita/bitmap.h>
#include <partita/compiler.h>
#include <partita/heap.h>
#include <partita/mm/page-alloc.h>
#include <assert.h>
#include <string.h>

bool page_pool_init(struct page_pool *pool, void *mem, uint64_t phys,
		    size_t size, Error **errp)
{
	/* Pages are aligned in the physical address space, which is what
	 * the IOMMU sees; on the host board the backing's virtual alignment
	 * may differ and does not matter. */
	uint64_t phys_start = PT_ALIGN_UP(phys, PAGE_SIZE);
	uint64_t phys_end = PT_ALIGN_DOWN(phys + size, PAGE_SIZE);
	uintptr_t start = (uintptr_t)mem + (uintptr_t)(phys_start - phys);
	uintptr_t end = start + (uintptr_t)(phys_end - phys_start);

	memset(pool, 0, sizeof(*pool));
	if (phys + size < phys || phys_end <= phys_start) {
		error_setg(errp, "page pool of 0x%zx bytes at %p holds no whole "
			   "page", size, mem);
		return false;
	}
	pool->npages = (end - start) / PAGE_SIZE;
	pool->used = heap_calloc(BITS_TO_LONGS(pool->npages),
				 sizeof(unsigned long));
	if (!pool->used) {
		error_setg(errp, "out of memory for the bitmap of a %zu-page "
			   "pool", pool->npages);
		return false;
	}
	pool->base = (uint8_t *)start;
	pool->phys_base = phys_start;
	pool->free_pages = pool->npages;
	return true;
}

void page_pool_destroy(struct page_pool *pool)
{
	assert(pool->free_pages == pool->npages && "pages still allocated");
	heap_free(pool->used);
	memset(pool, 0, sizeof(*pool));
}

void *page_alloc(struct page_pool *pool, unsigned order)
{
	size_t n = (size_t)1 << order, first;
	/* Alignment is physical: hardware sees physical addresses. The
	 * grid is the set of indexes whose physical page is n-aligned. */
	size_t skew = (size_t)((pool->phys_base / PAGE_SIZE) & (n - 1));
	size_t adjust = skew ? n - skew : 0;
	void *page;

	if (alloc_fault_check())
		return NULL;
	if (adjust >= pool->npages)
		return NULL;
	/* Everything below first_free is in use: start there, jump to the
	 * next free page, round up to the grid, and skip past any used page
	 * inside the candidate block. First fit, in O(used blocks). */
	first = pool->first_free > adjust ? pool->first_free : adjust;
	for (;;) {
		size_t set;

		first = bitmap_find_next_zero_bit(pool->used, pool->npages, first);
		if (first >= pool->npages)
			return NULL;
		first = adjust + PT_ALIGN_UP(first - adjust, n);
		if (first + n > pool->npages)
			return NULL;
		set = bitmap_find_next_bit(pool->used, first + n, first);
		if (set >= first + n)
			break;
		first = set + 1;
	}
	bitmap_set_range(pool->used, first, n);
	pool->free_pages -= n;
	if (first == pool->first_free)
		pool->first_free = first + n;
	page = pool->base + first * PAGE_SIZE;
	memset(page, 0, n * PAGE_SIZE);
	return page;
}

void page_free(struct page_pool *pool, void *page, unsigned order)
{
	size_t n = (size_t)1 << order;
	size_t first;

	if (!page)
		return;
	first = (size_t)((uint8_t *)page - pool->base) / PAGE_SIZE;
	assert((uint8_t *)page >= pool->base && first + n <= pool->npages);
	for (size_t i = first; i < first + n; i++)
		assert(bitmap_test_bit(pool->used, i) && "freeing a free page");
	bitmap_clear_range(pool->used, first, n);
	pool->free_pages += n;
	if (first < pool->first_free)
		pool->first_free = first;
}

uint64_t page_to_phys(const struct page_pool *pool, const void *page)
{
	return pool->phys_base + (uint64_t)((const uint8_t *)page - pool->base);
}

void *phys_to_page(const struct page_pool *pool, uint64_t phys)
{
	if (phys < pool->phys_base ||
	    phys - pool->phys_base >= (uint64_t)pool->npages * PAGE_SIZE)
		return NULL;
	return pool->base + (phys - pool->phys_base);
}
