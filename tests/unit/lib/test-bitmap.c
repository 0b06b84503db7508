// SPDX-License-Identifier: GPL-2.0-or-later
#include "test-helpers.h"
#include <partita/bitmap.h>
#include <stdbool.h>

#define NBITS 1000

static void check_against(const unsigned long *map, const bool *ref)
{
	size_t weight = 0;

	for (size_t i = 0; i < NBITS; i++) {
		assert_int_equal(bitmap_test_bit(map, i), ref[i]);
		weight += ref[i];
	}
	assert_int_equal(bitmap_weight(map, NBITS), weight);
	for (size_t start = 0; start < NBITS; start += 37) {
		size_t set = start, clr = start;

		while (set < NBITS && !ref[set])
			set++;
		while (clr < NBITS && ref[clr])
			clr++;
		assert_int_equal(bitmap_find_next_bit(map, NBITS, start), set);
		assert_int_equal(bitmap_find_next_zero_bit(map, NBITS, start), clr);
	}
}

static void test_random_ranges(void **state)
{
	unsigned long map[BITS_TO_LONGS(NBITS)];
	bool ref[NBITS] = { false };
	uint64_t seed = 0x1234;

	bitmap_zero(map, NBITS);
	assert_true(bitmap_empty(map, NBITS));
	for (int op = 0; op < 3000; op++) {
		size_t start = test_rand_below(&seed, NBITS);
		size_t len = test_rand_below(&seed, NBITS - start + 1);
		bool set = test_rand(&seed) & 1;

		if (set)
			bitmap_set_range(map, start, len);
		else
			bitmap_clear_range(map, start, len);
		for (size_t i = start; i < start + len; i++)
			ref[i] = set;
		if (op % 100 == 0)
			check_against(map, ref);
	}
	check_against(map, ref);
}

static void test_single_bits_and_edges(void **state)
{
	unsigned long map[BITS_TO_LONGS(130)];

	bitmap_zero(map, 130);
	bitmap_set_bit(map, 0);
	bitmap_set_bit(map, 63);
	bitmap_set_bit(map, 64);
	bitmap_set_bit(map, 129);
	assert_int_equal(bitmap_weight(map, 130), 4);
	assert_int_equal(bitmap_find_next_bit(map, 130, 1), 63);
	assert_int_equal(bitmap_find_next_bit(map, 130, 65), 129);
	assert_int_equal(bitmap_find_next_bit(map, 129, 65), 129); /* nbits */
	bitmap_clear_bit(map, 63);
	assert_false(bitmap_test_bit(map, 63));
	assert_int_equal(bitmap_find_next_zero_bit(map, 130, 0), 1);
	/* A range across the word boundary. */
	bitmap_set_range(map, 60, 10);
	assert_int_equal(bitmap_find_next_zero_bit(map, 130, 60), 70);
	/* {0, 60..69, 129}: bit 64 falls inside the range. */
	assert_int_equal(bitmap_weight(map, 130), 12);
}

static void test_find_zero_area(void **state)
{
	unsigned long map[BITS_TO_LONGS(64)];

	bitmap_zero(map, 64);
	bitmap_set_range(map, 0, 3);
	assert_int_equal(bitmap_find_zero_area(map, 64, 4, 4), 4);
	assert_int_equal(bitmap_find_zero_area(map, 64, 4, 1), 3);
	bitmap_set_bit(map, 5);
	assert_int_equal(bitmap_find_zero_area(map, 64, 4, 4), 8);
	assert_int_equal(bitmap_find_zero_area(map, 64, 64, 1), 64); /* none */
	bitmap_set_range(map, 0, 64);
	assert_int_equal(bitmap_find_zero_area(map, 64, 1, 1), 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_ranges),
		cmocka_unit_test(test_single_bits_and_edges),
		cmocka_unit_test(test_find_zero_area),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
