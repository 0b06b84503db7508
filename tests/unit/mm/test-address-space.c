// SPDX-License-Identifier: GPL-2.0-or-later
/* Translate, read and write through an AddressSpace. */
#include "memory-fixture.h"

struct mmio_dev {
	uint8_t regs[64];
	unsigned accesses;
	unsigned last_size;
};

static uint64_t dev_read(void *opaque, uint64_t addr, unsigned size)
{
	struct mmio_dev *d = opaque;
	uint64_t v = 0;

	d->accesses++;
	d->last_size = size;
	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)d->regs[addr + i] << (8 * i);
	return v;
}

static void dev_write(void *opaque, uint64_t addr, uint64_t v, unsigned size)
{
	struct mmio_dev *d = opaque;

	d->accesses++;
	d->last_size = size;
	for (unsigned i = 0; i < size; i++)
		d->regs[addr + i] = (uint8_t)(v >> (8 * i));
}

static const MemoryRegionOps dev_ops = {
	.read = dev_read,
	.write = dev_write,
	.max_access_size = 4,
};

struct fixture {
	MemoryContext ctx;
	MemoryRegion root, ram, rom, mmio;
	AddressSpace as;
	struct mmio_dev dev;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	memory_context_init(&f->ctx);
	memory_region_init(&f->root, &f->ctx, "root", UINT64_MAX, &error_abort);
	memory_region_init_ram(&f->ram, &f->ctx, "ram", 0x2000, &error_abort);
	memory_region_init_ram(&f->rom, &f->ctx, "rom", 0x1000, &error_abort);
	memory_region_init_io(&f->mmio, &f->ctx, &dev_ops, &f->dev, "mmio", 64,
			      &error_abort);
	memory_region_set_readonly(&f->rom, true, &error_abort);
	memory_region_add_subregion(&f->root, 0x1000, &f->ram, &error_abort);
	memory_region_add_subregion(&f->root, 0x3000, &f->rom, &error_abort);
	memory_region_add_subregion(&f->root, 0x9000, &f->mmio, &error_abort);
	address_space_init(&f->as, &f->root, "test", &error_abort);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	address_space_destroy(&f->as);
	memory_region_del_subregion(&f->root, &f->ram, &error_abort);
	memory_region_del_subregion(&f->root, &f->rom, &error_abort);
	memory_region_del_subregion(&f->root, &f->mmio, &error_abort);
	memory_region_finalize(&f->ram);
	memory_region_finalize(&f->rom);
	memory_region_finalize(&f->mmio);
	memory_region_finalize(&f->root);
	memory_context_destroy(&f->ctx);
	free(f);
	return 0;
}

static void test_translate(void **state)
{
	struct fixture *f = *state;
	uint64_t xlat, len = 0x10000;
	bool ro = true;

	assert_ptr_equal(address_space_translate(&f->as, 0x1800, &xlat, &len, &ro),
			 &f->ram);
	assert_int_equal(xlat, 0x800);
	assert_int_equal(len, 0x1800); /* cut at the end of ram */
	assert_false(ro);
	len = 4;
	assert_ptr_equal(address_space_translate(&f->as, 0x3ffc, &xlat, &len, &ro),
			 &f->rom);
	assert_true(ro);
	assert_int_equal(len, 4);
	len = 1;
	assert_null(address_space_translate(&f->as, 0x0, &xlat, &len, NULL));
	assert_null(address_space_translate(&f->as, 0x4000, &xlat, &len, NULL));
}

static void test_ram_rw_across_regions(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[0x2000], back[0x2000];

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7);
	assert_int_equal(address_space_write(&f->as, 0x1000, buf, sizeof(buf)),
			 MEMTX_OK);
	assert_memory_equal(f->ram.ram_ptr, buf, sizeof(buf));
	assert_int_equal(address_space_read(&f->as, 0x1000, back, sizeof(back)),
			 MEMTX_OK);
	assert_memory_equal(back, buf, sizeof(buf));
	/* Reading on from ram into the read-only rom is fine... */
	assert_int_equal(address_space_read(&f->as, 0x2ff0, back, 0x20), MEMTX_OK);
	/* ...writing into it is not, and stops there. */
	memset(back, 0xaa, 0x20);
	assert_int_equal(address_space_write(&f->as, 0x2ff0, back, 0x20),
			 MEMTX_ACCESS_ERROR);
	assert_int_equal(((uint8_t *)f->ram.ram_ptr)[0x1ff0], 0xaa);
	assert_int_equal(((uint8_t *)f->rom.ram_ptr)[0], 0);
	/* Unmapped space: decode error. */
	assert_int_equal(address_space_read(&f->as, 0x5000, back, 1),
			 MEMTX_DECODE_ERROR);
	assert_int_equal(address_space_write(&f->as, 0x2fff, back, 0x1002),
			 MEMTX_ACCESS_ERROR);
	assert_int_equal(address_space_read(&f->as, 0x3ff0, back, 0x20),
			 MEMTX_DECODE_ERROR);
}

static void test_mmio_access_sizes(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[16];
	uint8_t le[4] = { 0x44, 0x33, 0x22, 0x11 };

	/* A 4-byte aligned write is one device access, little-endian. */
	memcpy(buf, le, 4);
	f->dev.accesses = 0;
	assert_int_equal(address_space_write(&f->as, 0x9000, buf, 4), MEMTX_OK);
	assert_int_equal(f->dev.accesses, 1);
	assert_int_equal(f->dev.last_size, 4);
	assert_memory_equal(f->dev.regs, le, 4);
	/* 16 bytes at offset 2: 2 + 4 + 4 + 4 + 2. */
	f->dev.accesses = 0;
	memset(buf, 0x5a, sizeof(buf));
	assert_int_equal(address_space_write(&f->as, 0x9002, buf, 16), MEMTX_OK);
	assert_int_equal(f->dev.accesses, 5);
	assert_int_equal(f->dev.last_size, 2);
	for (int i = 2; i < 18; i++)
		assert_int_equal(f->dev.regs[i], 0x5a);
	/* An odd byte count ends with a 1-byte access. */
	f->dev.accesses = 0;
	assert_int_equal(address_space_read(&f->as, 0x9000, buf, 3), MEMTX_OK);
	assert_int_equal(f->dev.accesses, 2);
	assert_int_equal(f->dev.last_size, 1);
	assert_int_equal(buf[0], 0x44);
	assert_int_equal(buf[2], 0x5a);
}

static void test_ram_device_reads_its_backing(void **state)
{
	struct fixture *f = *state;
	uint8_t bar[0x1000] = { 0 }, v = 0;
	MemoryRegion dev;

	bar[0x10] = 0x77;
	memory_region_init_ram_device_ptr(&dev, &f->ctx, "bar", sizeof(bar), bar,
					  &error_abort);
	assert_true(memory_region_is_ram(&dev));
	assert_true(memory_region_is_ram_device(&dev));
	assert_false(memory_region_is_ram_device(&f->ram));
	assert_ptr_equal(memory_region_get_ram_ptr(&dev), bar);
	assert_null(memory_region_get_ram_ptr(&f->mmio));
	memory_region_add_subregion(&f->root, 0x100000, &dev, &error_abort);
	assert_int_equal(address_space_read(&f->as, 0x100010, &v, 1), MEMTX_OK);
	assert_int_equal(v, 0x77);
	memory_region_del_subregion(&f->root, &dev, &error_abort);
	memory_region_finalize(&dev);
}

static void test_init_failures_leave_nothing(void **state)
{
	struct fixture *f = *state;
	MemoryRegion mr;
	AddressSpace as;
	Error *err = NULL;

	LEAK_CHECK_BEGIN();
	alloc_fault_fail_nth(1);
	assert_false(memory_region_init_ram(&mr, &f->ctx, "big", 0x1000, &err));
	assert_non_null(strstr(error_get_pretty(err), "cannot allocate"));
	error_free(err);
	err = NULL;
	alloc_fault_fail_nth(2); /* the name, after the backing */
	assert_false(memory_region_init_ram(&mr, &f->ctx, "big", 0x1000, &err));
	error_free(err);
	err = NULL;
	for (unsigned long n = 1; n <= 3; n++) {
		alloc_fault_fail_nth(n);
		if (address_space_init(&as, &f->root, "x", &err)) {
			alloc_fault_fail_nth(0);
			address_space_destroy(&as);
			continue;
		}
		alloc_fault_fail_nth(0);
		error_free(err);
		err = NULL;
	}
	alloc_fault_fail_nth(0);
	LEAK_CHECK_END();
}

/* A change renders again only the address spaces under whose root it
 * happened (each partition has its own: 64 of them, one BAR at a time),
 * unless an alias could carry it into another tree. */
static void test_only_changed_spaces_render(void **state)
{
	struct fixture *f = *state;
	MemoryRegion root2, ram2, extra, alias;
	AddressSpace as2;
	const FlatView *v1, *v2;

	memory_region_init(&root2, &f->ctx, "root2", UINT64_MAX, &error_abort);
	memory_region_init_ram(&ram2, &f->ctx, "ram2", 0x1000, &error_abort);
	memory_region_init_ram(&extra, &f->ctx, "extra", 0x1000, &error_abort);
	memory_region_add_subregion(&root2, 0, &ram2, &error_abort);
	assert_true(address_space_init(&as2, &root2, "second", &error_abort));
	v1 = address_space_get_flatview(&f->as);
	v2 = address_space_get_flatview(&as2);
	/* Under the second root: the first keeps its view (the second,
	 * which nobody listens to, is patched in place). */
	memory_region_add_subregion(&root2, 0x8000, &extra, &error_abort);
	assert_ptr_equal(address_space_get_flatview(&f->as), v1);
	assert_int_equal(address_space_get_flatview(&as2)->nr, 2);
	assert_non_null(flatview_lookup(address_space_get_flatview(&as2), 0x8000));
	v2 = address_space_get_flatview(&as2);
	/* A field of a region under the first root. */
	memory_region_set_enabled(&f->ram, false, &error_abort);
	assert_ptr_equal(address_space_get_flatview(&as2), v2);
	assert_null(flatview_lookup(address_space_get_flatview(&f->as), 0x1000));
	memory_region_set_enabled(&f->ram, true, &error_abort);
	/* An alias of ram2 placed in the first tree: a change under ram2's
	 * tree must reach the first space too (both render now). */
	memory_region_del_subregion(&root2, &extra, &error_abort);
	memory_region_init_alias(&alias, &f->ctx, "alias", &root2, 0, 0x10000,
				 &error_abort);
	memory_region_add_subregion(&f->root, 0x20000, &alias, &error_abort);
	v1 = address_space_get_flatview(&f->as);
	assert_null(flatview_lookup(v1, 0x28000));
	memory_region_add_subregion(&root2, 0x8000, &extra, &error_abort);
	assert_non_null(flatview_lookup(address_space_get_flatview(&f->as),
					0x28000));
	memory_region_del_subregion(&f->root, &alias, &error_abort);
	memory_region_finalize(&alias);
	memory_region_del_subregion(&root2, &extra, &error_abort);
	address_space_destroy(&as2);
	memory_region_del_subregion(&root2, &ram2, &error_abort);
	memory_region_finalize(&extra);
	memory_region_finalize(&ram2);
	memory_region_finalize(&root2);
}

static void count_add(MemoryListener *l, MemoryRegionSection *s)
{
	(void)s;
	l->priority++;   /* the test's counter: nothing else reads it */
}

static bool maps(const AddressSpace *as, uint64_t addr, const MemoryRegion *mr)
{
	const FlatRange *fr = flatview_lookup(address_space_get_flatview(as),
					      addr);

	return fr && fr->mr == mr;
}

/* Leaves placed and removed in a space nobody listens to patch its view
 * in place, also several in one transaction and the same leaf moved;
 * one that would overlap another falls back to the priority render; a
 * space with a listener gets a new view, as its listener diffs the two. */
static void test_leaf_changes_patch_quiet_views(void **state)
{
	struct fixture *f = *state;
	MemoryRegion bar[3], cover;
	MemoryListener l = { .name = "counter", .region_add = count_add };
	AddressSpace heard;
	const FlatView *v = address_space_get_flatview(&f->as);
	size_t nr = v->nr;

	LEAK_CHECK_BEGIN();
	for (int i = 0; i < 3; i++)
		memory_region_init_io(&bar[i], &f->ctx, &dev_ops, &f->dev, "bar",
				      0x1000, &error_abort);
	memory_region_init_ram(&cover, &f->ctx, "cover", 0x4000, &error_abort);

	memory_region_add_subregion(&f->root, 0x20000, &bar[0], &error_abort);
	assert_ptr_equal(address_space_get_flatview(&f->as), v);
	assert_int_equal(v->nr, nr + 1);
	assert_true(maps(&f->as, 0x20000, &bar[0]));

	memory_region_transaction_begin(&f->ctx);
	memory_region_add_subregion(&f->root, 0x10000, &bar[1], &error_abort);
	memory_region_add_subregion(&f->root, 0x30000, &bar[2], &error_abort);
	memory_region_del_subregion(&f->root, &bar[0], &error_abort);
	memory_region_add_subregion(&f->root, 0x40000, &bar[0], &error_abort);
	memory_region_transaction_commit(&f->ctx, &error_abort);
	assert_ptr_equal(address_space_get_flatview(&f->as), v);
	assert_int_equal(v->nr, nr + 3);
	assert_true(maps(&f->as, 0x10000, &bar[1]));
	assert_true(maps(&f->as, 0x30000, &bar[2]));
	assert_true(maps(&f->as, 0x40000, &bar[0]));
	assert_null(flatview_lookup(v, 0x20000));

	/* Over bar[1], higher priority: rendered, bar[1] hidden. */
	memory_region_add_subregion_overlap(&f->root, 0xe000, &cover, 1,
					    &error_abort);
	v = address_space_get_flatview(&f->as);
	assert_false(v->disjoint);
	assert_true(maps(&f->as, 0x10000, &cover));
	/* And while the view has overlaps, leaves are rendered too. */
	memory_region_del_subregion(&f->root, &bar[2], &error_abort);
	assert_ptr_not_equal(address_space_get_flatview(&f->as), v);
	assert_null(flatview_lookup(address_space_get_flatview(&f->as),
				    0x30000));
	memory_region_del_subregion(&f->root, &cover, &error_abort);
	assert_true(address_space_get_flatview(&f->as)->disjoint);
	assert_true(maps(&f->as, 0x10000, &bar[1]));

	/* With a listener: a new view each time, the listener told. */
	assert_true(address_space_init(&heard, &f->root, "heard",
				       &error_abort));
	memory_listener_register(&l, &heard);
	l.priority = 0;
	v = address_space_get_flatview(&heard);
	memory_region_add_subregion(&f->root, 0x30000, &bar[2], &error_abort);
	assert_ptr_not_equal(address_space_get_flatview(&heard), v);
	assert_int_equal(l.priority, 1);
	assert_true(maps(&heard, 0x30000, &bar[2]));
	assert_true(maps(&f->as, 0x30000, &bar[2]));
	memory_listener_unregister(&l);
	address_space_destroy(&heard);

	for (int i = 0; i < 3; i++) {
		memory_region_del_subregion(&f->root, &bar[i], &error_abort);
		memory_region_finalize(&bar[i]);
	}
	memory_region_finalize(&cover);
	assert_int_equal(address_space_get_flatview(&f->as)->nr, nr);
	LEAK_CHECK_END();
}

/* A commit that runs out of memory after a quiet space was patched takes
 * the patch back: every view and the map stay as they were. */
static void test_leaf_patch_out_of_memory(void **state)
{
	struct fixture *f = *state;
	MemoryRegion bar[8];
	MemoryListener l = { .name = "counter", .region_add = count_add };
	AddressSpace heard, quiet;   /* quiet is patched first: newest */
	Error *err = NULL;
	unsigned failures = 0;

	LEAK_CHECK_BEGIN();
	assert_true(address_space_init(&heard, &f->root, "heard",
				       &error_abort));
	memory_listener_register(&l, &heard);
	assert_true(address_space_init(&quiet, &f->root, "quiet",
				       &error_abort));
	for (int i = 0; i < 8; i++) {
		uint64_t at = 0x100000 + (uint64_t)i * 0x1000;

		memory_region_init_io(&bar[i], &f->ctx, &dev_ops, &f->dev, "bar",
				      0x1000, &error_abort);
		for (unsigned long n = 1;; n++) {
			size_t nr_q = address_space_get_flatview(&quiet)->nr;
			size_t nr_f = address_space_get_flatview(&f->as)->nr;
			bool ok;

			alloc_fault_fail_nth(n);
			ok = memory_region_add_subregion(&f->root, at, &bar[i],
							 &err);
			alloc_fault_fail_nth(0);
			if (ok) {
				assert_true(maps(&quiet, at, &bar[i]));
				assert_true(maps(&heard, at, &bar[i]));
				assert_true(maps(&f->as, at, &bar[i]));
				break;
			}
			failures++;
			assert_non_null(err);
			error_free(err);
			err = NULL;
			assert_null(bar[i].container);
			assert_int_equal(address_space_get_flatview(&quiet)->nr,
					 nr_q);
			assert_int_equal(address_space_get_flatview(&f->as)->nr,
					 nr_f);
			assert_false(maps(&quiet, at, &bar[i]));
			assert_false(maps(&heard, at, &bar[i]));
		}
	}
	assert_true(failures >= 8);   /* each placement failed at least once */
	/* And the quiet views still patch: the log was not left behind. */
	memory_region_del_subregion(&f->root, &bar[0], &error_abort);
	assert_false(maps(&quiet, 0x100000, &bar[0]));
	assert_true(maps(&quiet, 0x101000, &bar[1]));
	for (int i = 0; i < 8; i++) {
		if (bar[i].container)
			memory_region_del_subregion(&f->root, &bar[i],
						    &error_abort);
		memory_region_finalize(&bar[i]);
	}
	memory_listener_unregister(&l);
	address_space_destroy(&quiet);
	address_space_destroy(&heard);
	LEAK_CHECK_END();
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_translate),
		T(test_ram_rw_across_regions),
		T(test_mmio_access_sizes),
		T(test_ram_device_reads_its_backing),
		T(test_init_failures_leave_nothing),
		T(test_only_changed_spaces_render),
		T(test_leaf_changes_patch_quiet_views),
		T(test_leaf_patch_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
