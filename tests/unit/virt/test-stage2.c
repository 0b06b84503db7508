// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stage-2 listener (virt/stage2.c) driven by a partition-like
 * AddressSpace: RAM, aliases, overlaps, ram-device and MMIO regions, and
 * the tables checked descriptor by descriptor (level, output address,
 * memory type, permissions, execute-never), then every table page given
 * back.
 */
#include "test-helpers.h"
#include <partita/byteorder.h>
#include <partita/mm/memory.h>
#include <partita/mm/page-alloc.h>
#include <partita/mm/user-mem.h>
#include <partita/virt/stage2.h>
#include <errno.h>

#define SZ_1M          0x100000ULL
#define POOL_SIZE      (4ULL << 20)
#define POOL_PA        0x80000000ULL
#define RAM_SIZE       (16ULL << 20)
#define RAM_PA         0x40000000ULL      /* 1 GiB aligned */
#define IPA_BITS       40

/* Stage-2 descriptor fields (Arm ARM, VMSAv8-64 stage 2). */
#define D_VALID        1ULL
#define D_TABLE        2ULL
#define D_ADDR(d)      ((d) & 0x0000fffffffff000ULL)
#define D_MEMATTR(d)   (((d) >> 2) & 0xf)
#define D_S2AP(d)      (((d) >> 6) & 3)
#define D_SH(d)        (((d) >> 8) & 3)
#define D_AF           (1ULL << 10)
#define D_XN           (1ULL << 54)
#define MEMATTR_NORMAL_WB 0xf
#define MEMATTR_DEVICE    0x1
#define S2AP_RW        3
#define S2AP_RO        1

struct fx {
	void *pool_mem, *ram_mem;
	struct page_pool pool;
	struct umem *um;
	MemoryContext ctx;
	MemoryRegion root;
	AddressSpace as;
	struct stage2 s2;
	unsigned long pool_free;
	unsigned flush_calls;
};

static void count_flush(void *opaque)
{
	((struct fx *)opaque)->flush_calls++;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct stage2_config cfg;

	f->pool_mem = aligned_alloc(4096, POOL_SIZE);
	/* 2 MiB aligned host memory: its "physical" address is too. */
	f->ram_mem = aligned_alloc(2 << 20, RAM_SIZE);
	assert_non_null(f->pool_mem);
	assert_non_null(f->ram_mem);
	memset(f->ram_mem, 0, RAM_SIZE);
	assert_true(page_pool_init(&f->pool, f->pool_mem, POOL_PA, POOL_SIZE,
				   &error_abort));
	f->um = umem_create();
	assert_int_equal(umem_add(f->um, (uint64_t)(uintptr_t)f->ram_mem,
				  RAM_SIZE, RAM_PA, UMEM_RAM), 0);
	memory_context_init(&f->ctx);
	assert_true(memory_region_init(&f->root, &f->ctx, "p0", UINT64_MAX,
				       &error_abort));
	assert_true(address_space_init(&f->as, &f->root, "p0", &error_abort));
	f->pool_free = page_pool_free_pages(&f->pool);
	cfg = (struct stage2_config){ .ipa_bits = IPA_BITS, .pa_bits = 44,
				      .pool = &f->pool, .um = f->um,
				      .flush = count_flush, .opaque = f };
	assert_true(stage2_init(&f->s2, &cfg, &error_abort));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	stage2_fini(&f->s2);
	/* Every table page is back. */
	assert_int_equal(page_pool_free_pages(&f->pool), f->pool_free);
	address_space_destroy(&f->as);
	memory_region_finalize(&f->root);
	memory_context_destroy(&f->ctx);
	umem_destroy(f->um);
	page_pool_destroy(&f->pool);
	free(f->ram_mem);
	free(f->pool_mem);
	free(f);
	return 0;
}

/* The leaf descriptor of ipa and its level, walking from VTTBR; 0 when
 * nothing maps it. */
static uint64_t leaf(struct fx *f, uint64_t ipa, int *level)
{
	const unsigned start = 0;                /* 40-bit IPA: level 0 */
	uint64_t *table = phys_to_page(&f->pool,
				       stage2_vttbr(&f->s2, 0) & 0x0000fffffffff000ULL);

	for (unsigned l = start; l <= 3; l++) {
		unsigned shift = 12 + 9 * (3 - l);
		/* Arm tables are little-endian on any CPU. */
		uint64_t d = le64_to_cpu(table[(ipa >> shift) & 511]);

		if (!(d & D_VALID))
			return 0;
		if (l < 3 && (d & D_TABLE)) {
			table = phys_to_page(&f->pool, D_ADDR(d));
			continue;
		}
		*level = (int)l;
		return d;
	}
	return 0;
}

static uint64_t ram_pa(struct fx *f, uint64_t off)
{
	(void)f;
	return RAM_PA + off;
}

static void add(struct fx *f, MemoryRegion *mr, uint64_t at, int prio)
{
	assert_true(memory_region_add_subregion_overlap(&f->root, at, mr, prio,
							&error_abort));
}

static void del(struct fx *f, MemoryRegion *mr)
{
	assert_true(memory_region_del_subregion(&f->root, mr, &error_abort));
}

static uint64_t mmio_read(void *o, uint64_t a, unsigned s) { return 0; }
static void mmio_write(void *o, uint64_t a, uint64_t v, unsigned s) { }
static const MemoryRegionOps mmio_ops = { mmio_read, mmio_write, 4 };

/* RAM: 2 MiB blocks where both addresses allow, normal write-back,
 * read-write, inner shareable, executable; nothing around it. */
static void test_ram_blocks(void **state)
{
	struct fx *f = *state;
	MemoryRegion ram;
	uint64_t d;
	int level;

	assert_true(memory_region_init_ram_ptr(&ram, &f->ctx, "ram", RAM_SIZE,
					       f->ram_mem, &error_abort));
	add(f, &ram, 0x80000000, 0);
	assert_true(stage2_attach(&f->s2, &f->as, &error_abort));
	for (uint64_t off = 0; off < RAM_SIZE; off += 2 << 20) {
		d = leaf(f, 0x80000000 + off, &level);
		assert_int_equal(level, 2);
		assert_int_equal(D_ADDR(d), ram_pa(f, off));
		assert_int_equal(D_MEMATTR(d), MEMATTR_NORMAL_WB);
		assert_int_equal(D_S2AP(d), S2AP_RW);
		assert_int_equal(D_SH(d), 3);
		assert_true(d & D_AF);
		assert_false(d & D_XN);
	}
	assert_int_equal(stage2_ipa_to_pa(&f->s2, 0x80000000 + 0x123456),
			 RAM_PA + 0x123456);
	assert_int_equal(stage2_ipa_to_pa(&f->s2, 0x80000000 - 4096), 0);
	assert_int_equal(stage2_ipa_to_pa(&f->s2, 0x80000000 + RAM_SIZE), 0);
	/* The least possible: 8 blocks and the two tables above them. */
	assert_int_equal(stage2_entries_written(&f->s2), 8 + 2);
	stage2_detach(&f->s2);
	assert_int_equal(stage2_ipa_to_pa(&f->s2, 0x80000000), 0);
	assert_true(f->flush_calls >= 1);
	del(f, &ram);
	memory_region_finalize(&ram);
}

/* An IPA not congruent with the PA modulo 2 MiB: 4 KiB pages only; an
 * alias maps the same physical pages a second time. */
static void test_alias_and_pages(void **state)
{
	struct fx *f = *state;
	MemoryRegion ram, alias;
	int level;

	assert_true(memory_region_init_ram_ptr(&ram, &f->ctx, "ram", RAM_SIZE,
					       f->ram_mem, &error_abort));
	assert_true(memory_region_init_alias(&alias, &f->ctx, "alias", &ram,
					     SZ_1M, SZ_1M, &error_abort));
	add(f, &ram, 0x80000000, 0);
	add(f, &alias, 0x90001000, 0);
	assert_true(stage2_attach(&f->s2, &f->as, &error_abort));
	for (uint64_t off = 0; off < SZ_1M; off += 4096) {
		uint64_t d = leaf(f, 0x90001000 + off, &level);

		assert_int_equal(level, 3);
		assert_int_equal(D_ADDR(d), ram_pa(f, SZ_1M + off));
	}
	assert_int_equal(stage2_ipa_to_pa(&f->s2, 0x90001000 + SZ_1M), 0);
	assert_int_equal(stage2_ipa_to_pa(&f->s2, 0x90000000), 0);
	stage2_detach(&f->s2);
	del(f, &alias);
	del(f, &ram);
	memory_region_finalize(&alias);
	memory_region_finalize(&ram);
}

/* MMIO over RAM: that part traps (unmapped), the rest stays mapped;
 * taking the MMIO away maps the RAM again, in one transaction each. */
static void test_mmio_overlap(void **state)
{
	struct fx *f = *state;
	MemoryRegion ram, mmio;
	unsigned flushes;
	uint64_t d;
	int level;

	assert_true(memory_region_init_ram_ptr(&ram, &f->ctx, "ram", RAM_SIZE,
					       f->ram_mem, &error_abort));
	assert_true(memory_region_init_io(&mmio, &f->ctx, &mmio_ops, NULL, "uart",
					  0x1000, &error_abort));
	add(f, &ram, 0x80000000, 0);
	assert_true(stage2_attach(&f->s2, &f->as, &error_abort));
	flushes = f->flush_calls;
	add(f, &mmio, 0x80201000, 1);
	assert_int_equal(stage2_ipa_to_pa(&f->s2, 0x80201000), 0);
	assert_int_equal(stage2_ipa_to_pa(&f->s2, 0x80200000), ram_pa(f, 0x200000));
	assert_int_equal(stage2_ipa_to_pa(&f->s2, 0x80202000), ram_pa(f, 0x202000));
	d = leaf(f, 0x80200000, &level);
	assert_int_equal(level, 3);         /* the block around it is split */
	assert_int_equal(D_MEMATTR(d), MEMATTR_NORMAL_WB);
	assert_int_equal(leaf(f, 0x80400000, &level) != 0, 1);
	assert_int_equal(level, 2);         /* other blocks untouched */
	/* The removal of the old mapping was flushed, once. */
	assert_int_equal(f->flush_calls, flushes + 1);
	del(f, &mmio);
	assert_int_equal(stage2_ipa_to_pa(&f->s2, 0x80201000), ram_pa(f, 0x201000));
	stage2_detach(&f->s2);
	del(f, &ram);
	memory_region_finalize(&mmio);
	memory_region_finalize(&ram);
}

/* An assigned BAR the CPU may reach: device memory, never executable;
 * read-only RAM: no write permission; protected memory: unmapped. */
static void test_attributes(void **state)
{
	struct fx *f = *state;
	MemoryRegion bar, rom, secret;
	uint8_t *base = f->ram_mem;
	uint64_t d;
	int level;

	assert_true(memory_region_init_ram_device_ptr(&bar, &f->ctx, "bar2",
						      0x10000, base + (8 << 20),
						      &error_abort));
	assert_true(memory_region_init_ram_ptr(&rom, &f->ctx, "rom", 0x2000,
					       base + (9 << 20), &error_abort));
	assert_true(memory_region_set_readonly(&rom, true, &error_abort));
	assert_true(memory_region_init_ram_ptr(&secret, &f->ctx, "secret", 0x1000,
					       base + (10 << 20), &error_abort));
	assert_true(memory_region_set_protected(&secret, true, &error_abort));
	add(f, &bar, 0x10000000, 0);
	add(f, &rom, 0x20000000, 0);
	add(f, &secret, 0x30000000, 0);
	assert_true(stage2_attach(&f->s2, &f->as, &error_abort));
	d = leaf(f, 0x10000000, &level);
	assert_int_equal(D_MEMATTR(d), MEMATTR_DEVICE);
	assert_true(d & D_XN);
	assert_int_equal(D_S2AP(d), S2AP_RW);
	assert_int_equal(D_ADDR(d), ram_pa(f, 8 << 20));
	d = leaf(f, 0x20001000, &level);
	assert_int_equal(D_S2AP(d), S2AP_RO);
	assert_int_equal(D_MEMATTR(d), MEMATTR_NORMAL_WB);
	assert_int_equal(stage2_ipa_to_pa(&f->s2, 0x30000000), 0);
	stage2_detach(&f->s2);
	del(f, &secret);
	del(f, &rom);
	del(f, &bar);
	memory_region_finalize(&secret);
	memory_region_finalize(&rom);
	memory_region_finalize(&bar);
}

/* Memory the board did not declare, or beyond the IPA size: the attach
 * fails naming it, and nothing is left mapped (tables emptied on the way
 * go back with the stage 2: teardown checks). */
static void test_refused(void **state)
{
	struct fx *f = *state;
	MemoryRegion ram, stray;
	static uint8_t undeclared[0x2000] __attribute__((aligned(4096)));
	Error *err = NULL;

	assert_true(memory_region_init_ram_ptr(&ram, &f->ctx, "ram", RAM_SIZE,
					       f->ram_mem, &error_abort));
	assert_true(memory_region_init_ram_ptr(&stray, &f->ctx, "stray", 0x2000,
					       undeclared, &error_abort));
	add(f, &ram, 0x80000000, 0);
	add(f, &stray, 0x90000000, 0);
	assert_false(stage2_attach(&f->s2, &f->as, &err));
	assert_non_null(strstr(error_get_pretty(err), "stage 2: cannot map stray at 0x90000000"));
	error_free(err);
	err = NULL;
	for (uint64_t off = 0; off < RAM_SIZE; off += 2 << 20)
		assert_int_equal(stage2_ipa_to_pa(&f->s2, 0x80000000 + off), 0);
	del(f, &stray);
	/* Beyond 40 bits of IPA. */
	add(f, &stray, 1ULL << IPA_BITS, 0);
	assert_false(stage2_attach(&f->s2, &f->as, &err));
	error_free(err);
	del(f, &stray);
	assert_true(stage2_attach(&f->s2, &f->as, &error_abort));
	/* Added while attached: the partition must stop, the rest runs. */
	assert_null(stage2_stopped(&f->s2));
	add(f, &stray, 0x90000000, 0);
	assert_non_null(stage2_stopped(&f->s2));
	assert_int_equal(stage2_ipa_to_pa(&f->s2, 0x80000000), RAM_PA);
	stage2_detach(&f->s2);
	del(f, &stray);
	del(f, &ram);
	memory_region_finalize(&stray);
	memory_region_finalize(&ram);
}

static void test_config(void **state)
{
	struct fx *f = *state;
	struct stage2 other;
	struct stage2_config cfg = { .ipa_bits = 52, .pool = &f->pool, .um = f->um };
	Error *err = NULL;

	assert_false(stage2_init(&other, &cfg, &err));
	assert_non_null(strstr(error_get_pretty(err), "52-bit IPA"));
	error_free(err);
	/* VTCR: T0SZ 24 (40 bits), SL0 2 (level 0), PS 44 bits (4). */
	assert_int_equal(stage2_vtcr(&f->s2) & 0x3f, 24);
	assert_int_equal((stage2_vtcr(&f->s2) >> 6) & 3, 2);
	assert_int_equal((stage2_vtcr(&f->s2) >> 16) & 7, 4);
	assert_int_equal(stage2_vttbr(&f->s2, 5) >> 48, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ram_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alias_and_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmio_overlap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
