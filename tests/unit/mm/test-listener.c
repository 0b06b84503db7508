// SPDX-License-Identifier: GPL-2.0-or-later
/* Listener deltas and transactions. */
#include "memory-fixture.h"

struct fixture {
	MemoryContext ctx;
	MemoryRegion root, ram, dev;
	AddressSpace as;
	struct recorder rec;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	memory_context_init(&f->ctx);
	memory_region_init(&f->root, &f->ctx, "root", UINT64_MAX, &error_abort);
	memory_region_init_ram(&f->ram, &f->ctx, "ram", 0x10000, &error_abort);
	memory_region_init_ram_device_ptr(&f->dev, &f->ctx, "bar0", 0x1000,
					  f->ram.ram_ptr, &error_abort);
	address_space_init(&f->as, &f->root, "test", &error_abort);
	recorder_init(&f->rec, "rec", 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f->rec.l.as)
		memory_listener_unregister(&f->rec.l);
	if (f->ram.container)
		memory_region_del_subregion(f->ram.container, &f->ram, &error_abort);
	if (f->dev.container)
		memory_region_del_subregion(f->dev.container, &f->dev, &error_abort);
	address_space_destroy(&f->as);
	memory_region_finalize(&f->dev);
	memory_region_finalize(&f->ram);
	memory_region_finalize(&f->root);
	memory_context_destroy(&f->ctx);
	free(f);
	return 0;
}

static void test_register_replays_and_unregister_removes(void **state)
{
	struct fixture *f = *state;

	memory_region_add_subregion(&f->root, 0x40000000, &f->ram, &error_abort);
	memory_listener_register(&f->rec.l, &f->as);
	assert_log(&f->rec, "begin; add 0x40000000+0x10000 ram@0x0; commit");
	memory_listener_unregister(&f->rec.l);
	assert_log(&f->rec, "begin; del 0x40000000+0x10000 ram@0x0; commit");
	/* Once unregistered, nothing more is heard. */
	memory_region_set_address(&f->ram, 0, &error_abort);
	assert_log(&f->rec, "");
}

static void test_add_remove(void **state)
{
	struct fixture *f = *state;

	memory_listener_register(&f->rec.l, &f->as);
	assert_log(&f->rec, "begin; commit");
	memory_region_add_subregion(&f->root, 0x1000, &f->ram, &error_abort);
	assert_log(&f->rec, "begin; add 0x1000+0x10000 ram@0x0; commit");
	memory_region_del_subregion(&f->root, &f->ram, &error_abort);
	assert_log(&f->rec, "begin; del 0x1000+0x10000 ram@0x0; commit");
}

static void test_resize_is_del_then_add(void **state)
{
	struct fixture *f = *state;

	memory_region_add_subregion(&f->root, 0, &f->ram, &error_abort);
	memory_listener_register(&f->rec.l, &f->as);
	recorder_clear(&f->rec);
	memory_region_set_size(&f->ram, 0x8000, &error_abort);
	assert_log(&f->rec, "begin; del 0x0+0x10000 ram@0x0; "
			    "add 0x0+0x8000 ram@0x0; commit");
}

static void test_priority_change_delta(void **state)
{
	struct fixture *f = *state;

	/* bar0 overlaps the middle of ram. Unchanged ranges are not
	 * reported: only the pieces that differ. */
	memory_region_add_subregion_overlap(&f->root, 0, &f->ram, 1, &error_abort);
	memory_region_add_subregion_overlap(&f->root, 0x4000, &f->dev, 0,
					    &error_abort);
	memory_listener_register(&f->rec.l, &f->as);
	assert_log(&f->rec, "begin; add 0x0+0x10000 ram@0x0; commit");
	memory_region_set_priority(&f->dev, 2, &error_abort);
	assert_log(&f->rec, "begin; del 0x0+0x10000 ram@0x0; "
			    "add 0x0+0x4000 ram@0x0; add 0x4000+0x1000 bar0@0x0; "
			    "add 0x5000+0xb000 ram@0x5000; commit");
	memory_region_set_priority(&f->dev, 0, &error_abort);
	assert_log(&f->rec, "begin; del 0x0+0x4000 ram@0x0; "
			    "del 0x4000+0x1000 bar0@0x0; del 0x5000+0xb000 ram@0x5000; "
			    "add 0x0+0x10000 ram@0x0; commit");
}

static void test_unchanged_ranges_are_silent(void **state)
{
	struct fixture *f = *state;

	memory_region_add_subregion(&f->root, 0, &f->ram, &error_abort);
	memory_listener_register(&f->rec.l, &f->as);
	recorder_clear(&f->rec);
	memory_region_add_subregion(&f->root, 0x100000, &f->dev, &error_abort);
	assert_log(&f->rec, "begin; add 0x100000+0x1000 bar0@0x0; commit");
	/* A no-op change: nothing at all. */
	memory_region_set_enabled(&f->ram, true, &error_abort);
	assert_log(&f->rec, "");
	/* Read-only flips are a change of the range. */
	memory_region_set_readonly(&f->dev, true, &error_abort);
	assert_log(&f->rec, "begin; del 0x100000+0x1000 bar0@0x0; "
			    "add 0x100000+0x1000 bar0@0x0 ro; commit");
}

static void test_transaction_batches(void **state)
{
	struct fixture *f = *state;

	memory_listener_register(&f->rec.l, &f->as);
	recorder_clear(&f->rec);
	memory_region_transaction_begin(&f->ctx);
	memory_region_add_subregion(&f->root, 0x1000, &f->ram, &error_abort);
	memory_region_set_address(&f->ram, 0x2000, &error_abort);
	memory_region_add_subregion(&f->root, 0x100000, &f->dev, &error_abort);
	memory_region_transaction_begin(&f->ctx); /* nested */
	memory_region_set_size(&f->ram, 0x3000, &error_abort);
	assert_true(memory_region_transaction_commit(&f->ctx, &error_abort));
	/* Nothing heard until the outermost commit. */
	assert_log(&f->rec, "");
	assert_view(&f->as, "");
	assert_true(memory_region_transaction_commit(&f->ctx, &error_abort));
	assert_int_equal(f->rec.begins, 1);
	assert_int_equal(f->rec.commits, 1);
	/* Only the net result: the intermediate positions never appear. */
	assert_log(&f->rec, "begin; add 0x2000+0x3000 ram@0x0; "
			    "add 0x100000+0x1000 bar0@0x0; commit");
	/* A transaction that changes nothing tells nothing. */
	memory_region_transaction_begin(&f->ctx);
	memory_region_transaction_commit(&f->ctx, &error_abort);
	assert_log(&f->rec, "");
	/* Changes that cancel out inside a transaction: begin/commit only. */
	memory_region_transaction_begin(&f->ctx);
	memory_region_set_enabled(&f->ram, false, &error_abort);
	memory_region_set_enabled(&f->ram, true, &error_abort);
	memory_region_transaction_commit(&f->ctx, &error_abort);
	assert_log(&f->rec, "begin; commit");
}

static void test_listener_order(void **state)
{
	struct fixture *f = *state;
	struct recorder early;

	recorder_init(&early, "early", -10);
	memory_listener_register(&f->rec.l, &f->as);
	memory_listener_register(&early.l, &f->as);
	assert_ptr_equal(f->as.listeners, &early.l);
	assert_ptr_equal(early.l.next, &f->rec.l);
	recorder_clear(&f->rec);
	recorder_clear(&early);
	memory_region_add_subregion(&f->root, 0, &f->ram, &error_abort);
	assert_log(&early, "begin; add 0x0+0x10000 ram@0x0; commit");
	assert_log(&f->rec, "begin; add 0x0+0x10000 ram@0x0; commit");
	memory_listener_unregister(&early.l);
}

static void test_two_spaces_share_regions(void **state)
{
	struct fixture *f = *state;
	MemoryRegion root2, alias;
	AddressSpace as2;
	struct recorder rec2;

	/* A second address space (another partition's DMA view) aliases the
	 * same RAM: a change to the RAM region reaches both. */
	memory_region_init(&root2, &f->ctx, "root2", UINT64_MAX, &error_abort);
	memory_region_init_alias(&alias, &f->ctx, "alias", &f->ram, 0, 0x10000,
				 &error_abort);
	memory_region_add_subregion(&root2, 0x80000000, &alias, &error_abort);
	address_space_init(&as2, &root2, "two", &error_abort);
	recorder_init(&rec2, "rec2", 0);
	memory_listener_register(&rec2.l, &as2);
	memory_listener_register(&f->rec.l, &f->as);
	memory_region_add_subregion(&f->root, 0, &f->ram, &error_abort);
	recorder_clear(&f->rec);
	recorder_clear(&rec2);
	memory_region_set_size(&f->ram, 0x1000, &error_abort);
	assert_log(&f->rec, "begin; del 0x0+0x10000 ram@0x0; add 0x0+0x1000 ram@0x0; commit");
	assert_log(&rec2, "begin; del 0x80000000+0x10000 ram@0x0; "
			  "add 0x80000000+0x1000 ram@0x0; commit");
	memory_listener_unregister(&rec2.l);
	address_space_destroy(&as2);
	memory_region_del_subregion(&root2, &alias, &error_abort);
	memory_region_finalize(&alias);
	memory_region_finalize(&root2);
}

static void test_render_failure_changes_nothing(void **state)
{
	struct fixture *f = *state;
	unsigned long calls;
	Error *err = NULL;

	memory_region_add_subregion(&f->root, 0, &f->ram, &error_abort);
	memory_listener_register(&f->rec.l, &f->as);
	recorder_clear(&f->rec);

	/* Learn how many allocations one add makes, then fail each. */
	alloc_fault_fail_nth(0);
	memory_region_add_subregion(&f->root, 0x100000, &f->dev, &error_abort);
	calls = alloc_fault_calls();
	assert_true(calls >= 1);
	memory_region_del_subregion(&f->root, &f->dev, &error_abort);
	recorder_clear(&f->rec);

	for (unsigned long n = 1; n <= calls; n++) {
		LEAK_CHECK_BEGIN();
		alloc_fault_fail_nth(n);
		assert_false(memory_region_add_subregion(&f->root, 0x100000,
							 &f->dev, &err));
		alloc_fault_fail_nth(0);
		assert_non_null(strstr(error_get_pretty(err), "out of memory"));
		error_free(err);
		err = NULL;
		/* As it was: not placed, view and listeners untouched. */
		assert_null(f->dev.container);
		assert_false(f->ctx.txn_pending);
		assert_view(&f->as, "[0x0-0xffff ram@0x0]");
		assert_log(&f->rec, "");
		LEAK_CHECK_END();
	}
	/* Same for a removal and a setter. */
	alloc_fault_fail_nth(1);
	assert_false(memory_region_del_subregion(&f->root, &f->ram, &err));
	error_free(err);
	err = NULL;
	assert_ptr_equal(f->ram.container, &f->root);
	alloc_fault_fail_nth(1);
	assert_false(memory_region_set_address(&f->ram, 0x5000, &err));
	error_free(err);
	err = NULL;
	assert_int_equal(f->ram.addr, 0);
	assert_view(&f->as, "[0x0-0xffff ram@0x0]");
	assert_log(&f->rec, "");

	/* An explicit commit that fails stays pending and can be retried. */
	memory_region_transaction_begin(&f->ctx);
	memory_region_set_address(&f->ram, 0x5000, &error_abort);
	alloc_fault_fail_nth(1);
	assert_false(memory_region_transaction_commit(&f->ctx, &err));
	error_free(err);
	assert_true(f->ctx.txn_pending);
	assert_view(&f->as, "[0x0-0xffff ram@0x0]");
	assert_log(&f->rec, "");
	memory_region_transaction_begin(&f->ctx);
	assert_true(memory_region_transaction_commit(&f->ctx, &error_abort));
	assert_view(&f->as, "[0x5000-0x14fff ram@0x0]");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_register_replays_and_unregister_removes),
		T(test_add_remove),
		T(test_resize_is_del_then_add),
		T(test_priority_change_delta),
		T(test_unchanged_ranges_are_silent),
		T(test_transaction_batches),
		T(test_listener_order),
		T(test_two_spaces_share_regions),
		T(test_render_failure_changes_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
