// SPDX-License-Identifier: GPL-2.0-or-later
#include "test-helpers.h"
#include <partita/heap-arena.h>

static unsigned char arena_mem[64 * 1024];

static void test_arena_alloc_free_merges(void **state)
{
	struct heap_arena a;
	void *p[64];
	size_t total;
	uint64_t seed = 7;

	arena_init(&a, arena_mem + 3, sizeof(arena_mem) - 3); /* unaligned */
	total = arena_free_bytes(&a);
	assert_true(total > 60 * 1024);
	assert_int_equal(arena_free_blocks(&a), 1);

	for (int round = 0; round < 50; round++) {
		for (int i = 0; i < 64; i++) {
			size_t n = 1 + test_rand_below(&seed, 700);

			p[i] = arena_alloc(&a, n);
			assert_non_null(p[i]);
			assert_true(((uintptr_t)p[i] % ARENA_ALIGN) == 0);
			assert_true(arena_usable_size(&a, p[i]) >= n);
			memset(p[i], i, n);
		}
		/* Free in a shuffled order. */
		for (int i = 0; i < 64; i++) {
			int j = (int)test_rand_below(&seed, 64);
			void *t = p[i];

			p[i] = p[j];
			p[j] = t;
		}
		for (int i = 0; i < 64; i++)
			arena_free(&a, p[i]);
		assert_int_equal(arena_free_bytes(&a), total);
		assert_int_equal(arena_free_blocks(&a), 1);
	}
}

static void test_arena_exhaustion(void **state)
{
	struct heap_arena a;
	void *blocks[1024];
	int n = 0;

	arena_init(&a, arena_mem, 8192);
	while (n < 1024 && (blocks[n] = arena_alloc(&a, 100)))
		n++;
	assert_true(n > 10 && n < 1024);
	assert_null(arena_alloc(&a, 100));
	assert_null(arena_alloc(&a, SIZE_MAX));
	arena_free(&a, blocks[n / 2]);
	assert_non_null(arena_alloc(&a, 100)); /* the hole is reused */
	/* A too-small arena holds nothing, and says so without crashing. */
	arena_init(&a, arena_mem, 8);
	assert_null(arena_alloc(&a, 1));
}

static void test_heap_api_counts_and_injects(void **state)
{
	size_t base = heap_live_blocks();
	void *a, *b, *c;
	char *s;

	a = heap_alloc(10);
	b = heap_zalloc(100);
	assert_non_null(a);
	assert_non_null(b);
	for (int i = 0; i < 100; i++)
		assert_int_equal(((unsigned char *)b)[i], 0);
	assert_int_equal(heap_live_blocks(), base + 2);

	alloc_fault_fail_nth(2);
	c = heap_alloc(1);
	assert_non_null(c);           /* first: fine */
	assert_null(heap_alloc(1));   /* second: injected failure */
	assert_non_null(s = heap_strdup("partita")); /* disarmed again */
	assert_string_equal(s, "partita");
	assert_int_equal(alloc_fault_calls(), 3);

	/* realloc failure keeps the old block. */
	alloc_fault_fail_nth(1);
	assert_null(heap_realloc(a, 1000));
	a = heap_realloc(a, 1000);
	assert_non_null(a);

	assert_null(heap_calloc(SIZE_MAX / 2, 4)); /* overflow */
	heap_free(NULL);
	heap_free(a);
	heap_free(b);
	heap_free(c);
	heap_free(s);
	assert_int_equal(heap_live_blocks(), base);
}

static void test_strndup(void **state)
{
	char *s = heap_strndup("abcdef", 3);

	assert_string_equal(s, "abc");
	heap_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_alloc_free_merges),
		cmocka_unit_test(test_arena_exhaustion),
		cmocka_unit_test(test_heap_api_counts_and_injects),
		cmocka_unit_test(test_strndup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
