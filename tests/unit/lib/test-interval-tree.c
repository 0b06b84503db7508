// SPDX-License-Identifier: GPL-2.0-or-later
#include "test-helpers.h"
#include <partita/interval-tree.h>

#define NODES 512
#define SPACE 4096

struct item {
	struct interval_node node;
	bool in_tree;
};

static void check_query(struct interval_tree *t, struct item *items,
			uint64_t start, uint64_t last)
{
	bool seen[NODES] = { false };
	uint64_t prev_start = 0;
	size_t found = 0, expect = 0;

	for (struct interval_node *n = interval_tree_iter_first(t, start, last);
	     n; n = interval_tree_iter_next(n, start, last)) {
		struct item *it = (struct item *)n;
		size_t idx = (size_t)(it - items);

		assert_true(n->start <= last && n->last >= start);
		assert_true(n->start >= prev_start); /* start order */
		assert_false(seen[idx]);
		seen[idx] = true;
		prev_start = n->start;
		found++;
	}
	for (size_t i = 0; i < NODES; i++) {
		struct interval_node *n = &items[i].node;

		if (items[i].in_tree && n->start <= last && n->last >= start) {
			assert_true(seen[i]);
			expect++;
		}
	}
	assert_int_equal(found, expect);
}

static void test_random_against_reference(void **state)
{
	static struct item items[NODES];
	struct interval_tree t = INTERVAL_TREE_INIT;
	uint64_t seed = 42;

	memset(items, 0, sizeof(items));
	for (int op = 0; op < 20000; op++) {
		size_t i = test_rand_below(&seed, NODES);
		struct item *it = &items[i];

		if (it->in_tree) {
			interval_tree_remove(&t, &it->node);
			it->in_tree = false;
		} else {
			uint64_t s = test_rand_below(&seed, SPACE);

			it->node.start = s;
			it->node.last = s + test_rand_below(&seed, 64);
			interval_tree_insert(&t, &it->node);
			it->in_tree = true;
		}
		if (op % 97 == 0) {
			uint64_t qs = test_rand_below(&seed, SPACE);

			assert_int_equal(interval_tree_verify(&t), 0);
			check_query(&t, items, qs, qs + test_rand_below(&seed, 200));
		}
	}
	assert_int_equal(interval_tree_verify(&t), 0);
	/* In-order walk visits every node once, sorted by start. */
	{
		size_t n = 0;
		uint64_t prev = 0;

		for (struct interval_node *x = interval_tree_first(&t); x;
		     x = interval_tree_next(x)) {
			assert_true(x->start >= prev);
			prev = x->start;
			n++;
		}
		assert_int_equal(n, t.count);
	}
	check_query(&t, items, 0, UINT64_MAX);
}

static void test_extremes_and_empty(void **state)
{
	struct interval_tree t = INTERVAL_TREE_INIT;
	struct interval_node a = { .start = 0, .last = 0 };
	struct interval_node b = { .start = UINT64_MAX - 1, .last = UINT64_MAX };

	assert_null(interval_tree_iter_first(&t, 0, UINT64_MAX));
	interval_tree_insert(&t, &a);
	interval_tree_insert(&t, &b);
	assert_ptr_equal(interval_tree_iter_first(&t, 0, 0), &a);
	assert_ptr_equal(interval_tree_iter_first(&t, UINT64_MAX, UINT64_MAX), &b);
	assert_null(interval_tree_iter_first(&t, 1, UINT64_MAX - 2));
	interval_tree_remove(&t, &a);
	interval_tree_remove(&t, &b);
	assert_int_equal(t.count, 0);
	assert_null(t.root);
}

static void test_sequential_stays_balanced(void **state)
{
	static struct interval_node nodes[4096];
	struct interval_tree t = INTERVAL_TREE_INIT;

	for (int i = 0; i < 4096; i++) {
		nodes[i].start = (uint64_t)i * 10;
		nodes[i].last = (uint64_t)i * 10 + 5;
		interval_tree_insert(&t, &nodes[i]);
	}
	assert_int_equal(interval_tree_verify(&t), 0);
	/* AVL height bound: 1.44 log2(n + 2) = about 17.3 for 4096. */
	assert_true(t.root->height <= 18);
	assert_ptr_equal(interval_tree_iter_first(&t, 12343, 12343), &nodes[1234]);
	assert_null(interval_tree_iter_first(&t, 12346, 12349));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_against_reference),
		cmocka_unit_test(test_extremes_and_empty),
		cmocka_unit_test(test_sequential_stays_balanced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
