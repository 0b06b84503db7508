// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MMIO exits (virt/mmio.c): stage-2 data aborts as the CPU reports them
 * (ESR_EL2 with a valid syndrome, HPFAR_EL2, FAR_EL2) answered by an
 * MMIO region of the partition's AddressSpace; size, register, sign
 * extension, W/X width and direction each checked; no syndrome or
 * nothing there: not emulated, registers untouched.
 */
#include "test-helpers.h"
#include <partita/virt/mmio.h>

#define DEV 0x09000000ULL

static uint64_t last_write, last_addr;
static unsigned last_size;
static uint64_t value = 0x1122334455667788ULL;

static uint64_t dev_read(void *o, uint64_t a, unsigned s)
{
	(void)o;
	return (value >> (8 * (a & 7))) & (s == 8 ? ~0ULL : (1ULL << (8 * s)) - 1);
}

static void dev_write(void *o, uint64_t a, uint64_t v, unsigned s)
{
	(void)o;
	last_addr = a;
	last_write = v;
	last_size = s;
}

static const MemoryRegionOps dev_ops = { dev_read, dev_write, 8 };

/* A data abort from EL1: EC 0x24, IL, ISV, and the fields. */
static uint64_t esr(unsigned sas, bool sse, unsigned srt, bool sf, bool wnr)
{
	return (uint64_t)0x24 << 26 | 1u << 25 | 1u << 24 | sas << 22 |
	       (sse ? 1u << 21 : 0) | srt << 16 | (sf ? 1u << 15 : 0) |
	       (wnr ? 1u << 6 : 0);
}

static uint64_t hpfar(uint64_t ipa)
{
	return (ipa >> 12) << 4;
}

struct fx {
	MemoryContext ctx;
	MemoryRegion root, dev;
	AddressSpace as;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	memory_context_init(&f->ctx);
	assert_true(memory_region_init(&f->root, &f->ctx, "p0", UINT64_MAX, &error_abort));
	assert_true(memory_region_init_io(&f->dev, &f->ctx, &dev_ops, NULL, "dev",
					  0x1000, &error_abort));
	assert_true(memory_region_add_subregion(&f->root, DEV, &f->dev, &error_abort));
	assert_true(address_space_init(&f->as, &f->root, "p0", &error_abort));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	address_space_destroy(&f->as);
	assert_true(memory_region_del_subregion(&f->root, &f->dev, &error_abort));
	memory_region_finalize(&f->dev);
	memory_region_finalize(&f->root);
	memory_context_destroy(&f->ctx);
	free(f);
	return 0;
}

static void test_loads(void **state)
{
	struct fx *f = *state;
	struct mmio_access a;
	uint64_t regs[31] = { 0 };

	/* ldr w3, [dev + 0x18]: 32 bits, zero-extended into x3. */
	regs[3] = ~0ULL;
	assert_int_equal(mmio_emulate(&f->as, esr(2, false, 3, false, false),
				      DEV + 0x18, hpfar(DEV + 0x18), regs, &a),
			 MMIO_DONE);
	assert_int_equal(a.ipa, DEV + 0x18);
	assert_int_equal(a.size, 4);
	assert_int_equal(regs[3], 0x55667788);          /* the device's low word */
	/* ldr x7: 64 bits. */
	assert_int_equal(mmio_emulate(&f->as, esr(3, false, 7, true, false),
				      DEV + 0x10, hpfar(DEV), regs, &a), MMIO_DONE);
	assert_int_equal(regs[7], value);
	/* ldrsb x1 of 0x88: sign-extended to 64 bits; ldrsb w2: to 32. */
	assert_int_equal(mmio_emulate(&f->as, esr(0, true, 1, true, false),
				      DEV + 0x20, hpfar(DEV), regs, &a), MMIO_DONE);
	assert_int_equal(regs[1], 0xffffffffffffff88ULL);
	assert_int_equal(mmio_emulate(&f->as, esr(0, true, 2, false, false),
				      DEV + 0x20, hpfar(DEV), regs, &a), MMIO_DONE);
	assert_int_equal(regs[2], 0xffffff88ULL);
	/* ldrh w4 of 0x7788: no sign extension asked. */
	assert_int_equal(mmio_emulate(&f->as, esr(1, false, 4, false, false),
				      DEV + 0x20, hpfar(DEV), regs, &a), MMIO_DONE);
	assert_int_equal(regs[4], 0x7788);
}

static void test_stores(void **state)
{
	struct fx *f = *state;
	struct mmio_access a;
	uint64_t regs[31] = { 0 };

	regs[5] = 0xa5a5a5a5deadbeefULL;
	/* str w5: the low 32 bits. */
	assert_int_equal(mmio_emulate(&f->as, esr(2, false, 5, false, true),
				      DEV + 0x44, hpfar(DEV), regs, &a), MMIO_DONE);
	assert_true(a.write);
	assert_int_equal(last_addr, 0x44);
	assert_int_equal(last_size, 4);
	assert_int_equal(last_write, 0xdeadbeef);
	/* strb wzr: zero. */
	assert_int_equal(mmio_emulate(&f->as, esr(0, false, 31, false, true),
				      DEV, hpfar(DEV), regs, &a), MMIO_DONE);
	assert_int_equal(last_write, 0);
	assert_int_equal(last_size, 1);
	/* str x5 at the IPA HPFAR and FAR together give. */
	assert_int_equal(mmio_emulate(&f->as, esr(3, false, 5, true, true),
				      0xffff000000000ff8ULL, hpfar(DEV), regs, &a),
			 MMIO_DONE);
	assert_int_equal(last_addr, 0xff8);
	assert_int_equal(last_write, regs[5]);
}

static void test_not_emulated(void **state)
{
	struct fx *f = *state;
	struct mmio_access a;
	uint64_t regs[31] = { 0 }, before[31];

	for (unsigned i = 0; i < 31; i++)
		regs[i] = i * 0x1111;
	memcpy(before, regs, sizeof(regs));
	/* ISV clear: no syndrome (a load pair, say). */
	assert_int_equal(mmio_emulate(&f->as, esr(2, false, 3, false, false) &
				      ~(1ULL << 24), DEV, hpfar(DEV), regs, &a),
			 MMIO_NO_SYNDROME);
	/* An instruction abort (EC 0x20) is no data access. */
	assert_int_equal(mmio_emulate(&f->as, (uint64_t)0x20 << 26 | 1u << 24,
				      DEV, hpfar(DEV), regs, &a), MMIO_NO_SYNDROME);
	/* Nothing at the IPA. */
	assert_int_equal(mmio_emulate(&f->as, esr(2, false, 3, false, false),
				      0x20000000, hpfar(0x20000000), regs, &a),
			 MMIO_UNMAPPED);
	assert_int_equal(a.ipa, 0x20000000);
	assert_int_equal(mmio_emulate(&f->as, esr(2, false, 3, false, true),
				      0x20000000, hpfar(0x20000000), regs, &a),
			 MMIO_UNMAPPED);
	assert_memory_equal(regs, before, sizeof(regs));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_loads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stores, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_emulated, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
