// SPDX-License-Identifier: GPL-2.0-or-later
/* FlatView rendering: overlaps, nesting, aliases, attributes, merging. */
#include "memory-fixture.h"

struct fixture {
	MemoryContext ctx;
	MemoryRegion root;
	AddressSpace as;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	memory_context_init(&f->ctx);
	memory_region_init(&f->root, &f->ctx, "root", UINT64_MAX, &error_abort);
	address_space_init(&f->as, &f->root, "test", &error_abort);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	address_space_destroy(&f->as);
	memory_region_finalize(&f->root);
	memory_context_destroy(&f->ctx);
	free(f);
	return 0;
}

static void test_empty_and_single(void **state)
{
	struct fixture *f = *state;
	MemoryRegion ram;

	assert_view(&f->as, "");
	memory_region_init_ram(&ram, &f->ctx, "ram", 0x4000, &error_abort);
	memory_region_add_subregion(&f->root, 0x10000, &ram, &error_abort);
	assert_view(&f->as, "[0x10000-0x13fff ram@0x0]");
	memory_region_del_subregion(&f->root, &ram, &error_abort);
	assert_view(&f->as, "");
	memory_region_finalize(&ram);
}

static void test_priority_overlap(void **state)
{
	struct fixture *f = *state;
	MemoryRegion low, high;

	memory_region_init_ram(&low, &f->ctx, "low", 0x10000, &error_abort);
	memory_region_init_ram(&high, &f->ctx, "high", 0x2000, &error_abort);
	memory_region_add_subregion_overlap(&f->root, 0, &low, 0, &error_abort);
	memory_region_add_subregion_overlap(&f->root, 0x4000, &high, 1,
					    &error_abort);
	assert_view(&f->as, "[0x0-0x3fff low@0x0] [0x4000-0x5fff high@0x0] "
			    "[0x6000-0xffff low@0x6000]");
	/* Lower the priority below low: high disappears under it. */
	memory_region_set_priority(&high, -1, &error_abort);
	assert_view(&f->as, "[0x0-0xffff low@0x0]");
	/* Overhanging the end of low: only the visible part renders. */
	memory_region_set_address(&high, 0xf000, &error_abort);
	assert_view(&f->as, "[0x0-0xffff low@0x0] [0x10000-0x10fff high@0x1000]");
	memory_region_del_subregion(&f->root, &high, &error_abort);
	memory_region_del_subregion(&f->root, &low, &error_abort);
	memory_region_finalize(&high);
	memory_region_finalize(&low);
}

static void test_equal_priority_newest_wins(void **state)
{
	struct fixture *f = *state;
	MemoryRegion a, b;

	memory_region_init_ram(&a, &f->ctx, "a", 0x2000, &error_abort);
	memory_region_init_ram(&b, &f->ctx, "b", 0x2000, &error_abort);
	memory_region_add_subregion(&f->root, 0, &a, &error_abort);
	memory_region_add_subregion(&f->root, 0x1000, &b, &error_abort);
	assert_view(&f->as, "[0x0-0xfff a@0x0] [0x1000-0x2fff b@0x0]");
	memory_region_del_subregion(&f->root, &b, &error_abort);
	memory_region_del_subregion(&f->root, &a, &error_abort);
	memory_region_finalize(&a);
	memory_region_finalize(&b);
}

static void test_nested_containers_clip(void **state)
{
	struct fixture *f = *state;
	MemoryRegion bus, dev1, dev2;

	/* A 0x3000 window: the device that overhangs it is clipped. */
	memory_region_init(&bus, &f->ctx, "bus", 0x3000, &error_abort);
	memory_region_init_ram(&dev1, &f->ctx, "dev1", 0x1000, &error_abort);
	memory_region_init_ram(&dev2, &f->ctx, "dev2", 0x2000, &error_abort);
	memory_region_add_subregion(&bus, 0x0, &dev1, &error_abort);
	memory_region_add_subregion(&bus, 0x2000, &dev2, &error_abort);
	memory_region_add_subregion(&f->root, 0x100000, &bus, &error_abort);
	assert_view(&f->as, "[0x100000-0x100fff dev1@0x0] "
			    "[0x102000-0x102fff dev2@0x0]");
	/* Moving the container moves everything in it. */
	memory_region_set_address(&bus, 0x200000, &error_abort);
	assert_view(&f->as, "[0x200000-0x200fff dev1@0x0] "
			    "[0x202000-0x202fff dev2@0x0]");
	/* A disabled container hides its subtree. */
	memory_region_set_enabled(&bus, false, &error_abort);
	assert_view(&f->as, "");
	memory_region_set_enabled(&bus, true, &error_abort);
	memory_region_del_subregion(&f->root, &bus, &error_abort);
	memory_region_finalize(&bus);
	memory_region_finalize(&dev1);
	memory_region_finalize(&dev2);
}

static void test_alias_offsets(void **state)
{
	struct fixture *f = *state;
	MemoryRegion ram, lo, hi;

	/* The QEMU pattern: one RAM block aliased below and above a hole. */
	memory_region_init_ram(&ram, &f->ctx, "ram", 0x10000, &error_abort);
	memory_region_init_alias(&lo, &f->ctx, "ram-lo", &ram, 0, 0x8000,
				 &error_abort);
	memory_region_init_alias(&hi, &f->ctx, "ram-hi", &ram, 0x8000, 0x8000,
				 &error_abort);
	memory_region_add_subregion(&f->root, 0x0, &lo, &error_abort);
	memory_region_add_subregion(&f->root, 0x100000, &hi, &error_abort);
	/* Flat ranges name the terminal region and the offset inside it. */
	assert_view(&f->as, "[0x0-0x7fff ram@0x0] [0x100000-0x107fff ram@0x8000]");
	memory_region_set_alias_offset(&hi, 0x4000, &error_abort);
	assert_view(&f->as, "[0x0-0x7fff ram@0x0] [0x100000-0x107fff ram@0x4000]");
	/* Two aliases that end up contiguous merge into one range. */
	memory_region_set_address(&hi, 0x8000, &error_abort);
	memory_region_set_alias_offset(&hi, 0x8000, &error_abort);
	assert_view(&f->as, "[0x0-0xffff ram@0x0]");
	/* An alias window larger than its target is clipped by the target. */
	memory_region_set_size(&hi, 0x20000, &error_abort);
	assert_view(&f->as, "[0x0-0xffff ram@0x0]");
	memory_region_del_subregion(&f->root, &lo, &error_abort);
	memory_region_del_subregion(&f->root, &hi, &error_abort);
	memory_region_finalize(&lo);
	memory_region_finalize(&hi);
	memory_region_finalize(&ram);
}

static void test_alias_of_placed_region_and_disabled_target(void **state)
{
	struct fixture *f = *state;
	MemoryRegion ram, alias;

	/* The target's own placement does not move the alias. */
	memory_region_init_ram(&ram, &f->ctx, "ram", 0x2000, &error_abort);
	memory_region_add_subregion(&f->root, 0x40000, &ram, &error_abort);
	memory_region_init_alias(&alias, &f->ctx, "win", &ram, 0x1000, 0x1000,
				 &error_abort);
	memory_region_add_subregion(&f->root, 0x0, &alias, &error_abort);
	assert_view(&f->as, "[0x0-0xfff ram@0x1000] [0x40000-0x41fff ram@0x0]");
	memory_region_set_enabled(&ram, false, &error_abort);
	assert_view(&f->as, "");
	memory_region_set_enabled(&ram, true, &error_abort);
	memory_region_del_subregion(&f->root, &alias, &error_abort);
	memory_region_del_subregion(&f->root, &ram, &error_abort);
	memory_region_finalize(&alias);
	memory_region_finalize(&ram);
}

static void test_readonly_and_protected(void **state)
{
	struct fixture *f = *state;
	MemoryRegion bus, rom, ram;

	memory_region_init(&bus, &f->ctx, "bus", 0x10000, &error_abort);
	memory_region_init_ram(&rom, &f->ctx, "rom", 0x1000, &error_abort);
	memory_region_init_ram(&ram, &f->ctx, "ram", 0x1000, &error_abort);
	memory_region_add_subregion(&bus, 0, &rom, &error_abort);
	memory_region_add_subregion(&f->root, 0, &bus, &error_abort);
	memory_region_add_subregion(&f->root, 0x20000, &ram, &error_abort);
	memory_region_set_readonly(&rom, true, &error_abort);
	memory_region_set_protected(&ram, true, &error_abort);
	assert_view(&f->as, "[0x0-0xfff rom@0x0 ro] [0x20000-0x20fff ram@0x0 prot]");
	/* Read-only is inherited from a container. */
	memory_region_set_readonly(&rom, false, &error_abort);
	memory_region_set_readonly(&bus, true, &error_abort);
	assert_view(&f->as, "[0x0-0xfff rom@0x0 ro] [0x20000-0x20fff ram@0x0 prot]");
	memory_region_del_subregion(&f->root, &bus, &error_abort);
	memory_region_del_subregion(&f->root, &ram, &error_abort);
	memory_region_finalize(&bus);
	memory_region_finalize(&rom);
	memory_region_finalize(&ram);
}

static void test_adjacent_distinct_not_merged(void **state)
{
	struct fixture *f = *state;
	MemoryRegion a, b;

	memory_region_init_ram(&a, &f->ctx, "a", 0x1000, &error_abort);
	memory_region_init_ram(&b, &f->ctx, "b", 0x1000, &error_abort);
	memory_region_add_subregion(&f->root, 0x0, &a, &error_abort);
	memory_region_add_subregion(&f->root, 0x1000, &b, &error_abort);
	assert_view(&f->as, "[0x0-0xfff a@0x0] [0x1000-0x1fff b@0x0]");
	memory_region_del_subregion(&f->root, &a, &error_abort);
	memory_region_del_subregion(&f->root, &b, &error_abort);
	memory_region_finalize(&a);
	memory_region_finalize(&b);
}

static void test_invalid_placements(void **state)
{
	struct fixture *f = *state;
	MemoryRegion a, b, alias;
	MemoryContext other;
	MemoryRegion foreign;
	Error *err = NULL;

	memory_region_init(&a, &f->ctx, "a", 0x1000, &error_abort);
	memory_region_init(&b, &f->ctx, "b", 0x1000, &error_abort);
	memory_region_add_subregion(&a, 0, &b, &error_abort);
	/* Cycle through subregions. */
	assert_false(memory_region_add_subregion(&b, 0, &a, &err));
	assert_string_equal(error_get_pretty(err),
			    "placing 'a' in 'b' would make a cycle");
	error_free(err);
	err = NULL;
	/* Cycle through an alias. */
	memory_region_init_alias(&alias, &f->ctx, "alias", &a, 0, 0x1000,
				 &error_abort);
	assert_false(memory_region_add_subregion(&b, 0, &alias, &err));
	assert_non_null(strstr(error_get_pretty(err), "cycle"));
	error_free(err);
	err = NULL;
	/* Already placed. */
	assert_false(memory_region_add_subregion(&f->root, 0, &b, &err));
	assert_string_equal(error_get_pretty(err),
			    "region 'b' is already placed in 'a'");
	error_free(err);
	err = NULL;
	/* Past 2^64. */
	assert_false(memory_region_add_subregion(&f->root, UINT64_MAX - 0x10,
						 &a, &err));
	assert_non_null(strstr(error_get_pretty(err), "passes the end"));
	error_free(err);
	err = NULL;
	/* Another context. */
	memory_context_init(&other);
	memory_region_init(&foreign, &other, "foreign", 0x1000, &error_abort);
	assert_false(memory_region_add_subregion(&f->root, 0, &foreign, &err));
	assert_non_null(strstr(error_get_pretty(err), "different memory contexts"));
	error_free(err);
	err = NULL;
	/* Deleting what is not there. */
	assert_false(memory_region_del_subregion(&f->root, &b, &err));
	assert_string_equal(error_get_pretty(err),
			    "region 'b' is not placed in 'root'");
	error_free(err);
	assert_view(&f->as, "");

	memory_region_finalize(&foreign);
	memory_context_destroy(&other);
	memory_region_finalize(&alias);
	memory_region_del_subregion(&a, &b, &error_abort);
	memory_region_finalize(&a);
	memory_region_finalize(&b);
}

static void test_ram_cannot_outgrow_backing(void **state)
{
	struct fixture *f = *state;
	MemoryRegion ram;
	Error *err = NULL;

	memory_region_init_ram(&ram, &f->ctx, "ram", 0x2000, &error_abort);
	memory_region_add_subregion(&f->root, 0, &ram, &error_abort);
	assert_false(memory_region_set_size(&ram, 0x3000, &err));
	assert_non_null(strstr(error_get_pretty(err), "cannot grow RAM region"));
	error_free(err);
	assert_true(memory_region_set_size(&ram, 0x1000, &error_abort));
	assert_view(&f->as, "[0x0-0xfff ram@0x0]");
	memory_region_del_subregion(&f->root, &ram, &error_abort);
	memory_region_finalize(&ram);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_and_single, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority_overlap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_equal_priority_newest_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_containers_clip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alias_offsets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alias_of_placed_region_and_disabled_target, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly_and_protected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adjacent_distinct_not_merged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_placements, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ram_cannot_outgrow_backing, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
