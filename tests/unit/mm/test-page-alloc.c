// SPDX-License-Identifier: GPL-2.0-or-later
#include "test-helpers.h"
#include <partita/mm/page-alloc.h>

#define POOL_PAGES 64
static unsigned char pool_mem[(POOL_PAGES + 1) * 4096];

static void test_orders_are_aligned_and_zeroed(void **state)
{
	struct page_pool pool;
	/* A physical base that is 4K- but not 64K-aligned, to prove the
	 * alignment follows physical addresses. */
	uint64_t phys = 0x80003000;
	void *p1, *p4, *p0;

	assert_true(page_pool_init(&pool, pool_mem, phys, sizeof(pool_mem),
				   &error_abort));
	assert_true(pool.npages >= POOL_PAGES);
	assert_int_equal(page_to_phys(&pool, pool.base) % 4096, 0);

	p4 = page_alloc(&pool, 4);
	assert_non_null(p4);
	assert_int_equal(page_to_phys(&pool, p4) % (16 * 4096), 0);
	p1 = page_alloc(&pool, 1);
	assert_int_equal(page_to_phys(&pool, p1) % (2 * 4096), 0);
	p0 = page_alloc(&pool, 0);
	for (size_t i = 0; i < 16 * 4096; i++)
		assert_int_equal(((unsigned char *)p4)[i], 0);
	memset(p0, 0xff, 4096);
	assert_ptr_equal(phys_to_page(&pool, page_to_phys(&pool, p0)), p0);
	assert_null(phys_to_page(&pool, phys - 1));
	assert_null(phys_to_page(&pool, pool.phys_base + pool.npages * 4096));

	page_free(&pool, p0, 0);
	/* A freed page comes back zeroed. */
	p0 = page_alloc(&pool, 0);
	for (size_t i = 0; i < 4096; i++)
		assert_int_equal(((unsigned char *)p0)[i], 0);
	page_free(&pool, p0, 0);
	page_free(&pool, p1, 1);
	page_free(&pool, p4, 4);
	assert_int_equal(page_pool_free_pages(&pool), pool.npages);
	page_pool_destroy(&pool);
}

static void test_exhaustion_and_reuse(void **state)
{
	struct page_pool pool;
	void *pages[POOL_PAGES + 2];
	size_t n = 0;

	assert_true(page_pool_init(&pool, pool_mem, 0x1000, sizeof(pool_mem),
				   &error_abort));
	while ((pages[n] = page_alloc(&pool, 0)))
		n++;
	assert_int_equal(n, pool.npages);
	assert_int_equal(page_pool_free_pages(&pool), 0);
	page_free(&pool, pages[10], 0);
	assert_ptr_equal(page_alloc(&pool, 0), pages[10]);
	assert_null(page_alloc(&pool, 0));
	for (size_t i = 0; i < n; i++)
		page_free(&pool, pages[i], 0);
	/* Too large an order fails cleanly. */
	assert_null(page_alloc(&pool, 20));
	page_pool_destroy(&pool);
}

/* Random orders against a naive first-fit reference over the same bits:
 * same block every time, aligned, never overlapping. */
static void test_random_first_fit(void **state)
{
	struct page_pool pool;
	struct { void *p; unsigned order; } live[64];
	bool used[POOL_PAGES + 1] = { false };
	size_t nlive = 0;
	uint64_t seed = 77;
	/* Physically misaligned by 3 pages so the grid is not the index. */
	uint64_t phys = 0x100003000;

	assert_true(page_pool_init(&pool, pool_mem, phys, sizeof(pool_mem),
				   &error_abort));
	for (int step = 0; step < 20000; step++) {
		if (nlive && (nlive == 64 || test_rand_below(&seed, 2))) {
			size_t k = test_rand_below(&seed, nlive);
			size_t first = (size_t)(((uint8_t *)live[k].p - pool.base) / 4096);

			for (size_t i = 0; i < (1u << live[k].order); i++)
				used[first + i] = false;
			page_free(&pool, live[k].p, live[k].order);
			live[k] = live[--nlive];
		} else {
			unsigned order = (unsigned)test_rand_below(&seed, 4);
			size_t n = (size_t)1 << order, want = SIZE_MAX;
			void *p;

			/* The reference: lowest index with an aligned free block. */
			for (size_t f = 0; f + n <= pool.npages && want == SIZE_MAX; f++) {
				bool ok = ((pool.phys_base / 4096 + f) % n) == 0;

				for (size_t i = 0; ok && i < n; i++)
					ok = !used[f + i];
				if (ok)
					want = f;
			}
			p = page_alloc(&pool, order);
			if (want == SIZE_MAX) {
				assert_null(p);
				continue;
			}
			assert_non_null(p);
			assert_int_equal(((uint8_t *)p - pool.base) / 4096, want);
			assert_int_equal(page_to_phys(&pool, p) % (n * 4096), 0);
			for (size_t i = 0; i < n; i++)
				used[want + i] = true;
			live[nlive].p = p;
			live[nlive++].order = order;
		}
	}
	while (nlive--)
		page_free(&pool, live[nlive].p, live[nlive].order);
	assert_int_equal(page_pool_free_pages(&pool), pool.npages);
	page_pool_destroy(&pool);
}

static void test_fault_injection_and_bad_pool(void **state)
{
	struct page_pool pool;
	Error *err = NULL;

	assert_true(page_pool_init(&pool, pool_mem, 0, sizeof(pool_mem),
				   &error_abort));
	alloc_fault_fail_nth(1);
	assert_null(page_alloc(&pool, 0));
	assert_int_equal(page_pool_free_pages(&pool), pool.npages);
	page_pool_destroy(&pool);

	/* Physically [0x1001, 0x2001): no whole page. */
	assert_false(page_pool_init(&pool, pool_mem, 0x1001, 4096, &err));
	assert_non_null(strstr(error_get_pretty(err), "holds no whole page"));
	error_free(err);
	err = NULL;
	/* A range that wraps the physical address space. */
	assert_false(page_pool_init(&pool, pool_mem, UINT64_MAX - 4095,
				    2 * 4096, &err));
	error_free(err);
	err = NULL;
	alloc_fault_fail_nth(1); /* the bitmap */
	assert_false(page_pool_init(&pool, pool_mem, 0, sizeof(pool_mem), &err));
	assert_non_null(err);
	error_free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orders_are_aligned_and_zeroed),
		cmocka_unit_test(test_exhaustion_and_reuse),
		cmocka_unit_test(test_random_first_fit),
		cmocka_unit_test(test_fault_injection_and_bad_pool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
