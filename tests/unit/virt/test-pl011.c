// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guest's PL011 (virt/devices/pl011.c) as a guest driver reaches
 * it: through the partition's AddressSpace. Lines come out whole with
 * the partition's prefix, the flag and ID registers read as an
 * `arm,pl011` driver expects, and the last EXIT: STATUS line is kept.
 */
#include "test-helpers.h"
#include <partita/virt/devices/pl011.h>

#define BASE 0x09000000ULL

struct fx {
	MemoryContext ctx;
	MemoryRegion root;
	AddressSpace as;
	struct pl011 u;
	char out[8][PL011_LINE_MAX + 64];
	unsigned n;
};

static void emit(void *opaque, const char *line)
{
	struct fx *f = opaque;

	assert_true(f->n < 8);
	snprintf(f->out[f->n++], sizeof(f->out[0]), "%s", line);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	memory_context_init(&f->ctx);
	assert_true(memory_region_init(&f->root, &f->ctx, "p0", UINT64_MAX,
				       &error_abort));
	assert_true(pl011_init(&f->u, &f->ctx, "p0", emit, f, &error_abort));
	assert_true(memory_region_add_subregion(&f->root, BASE, &f->u.mmio,
						&error_abort));
	assert_true(address_space_init(&f->as, &f->root, "p0", &error_abort));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	address_space_destroy(&f->as);
	assert_true(memory_region_del_subregion(&f->root, &f->u.mmio,
						&error_abort));
	pl011_fini(&f->u);
	memory_region_finalize(&f->root);
	memory_context_destroy(&f->ctx);
	free(f);
	return 0;
}

static uint32_t rd32(struct fx *f, uint64_t off)
{
	uint8_t b[4];

	assert_int_equal(address_space_read(&f->as, BASE + off, b, 4), MEMTX_OK);
	return (uint32_t)(b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24);
}

static void wr32(struct fx *f, uint64_t off, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 24) };

	assert_int_equal(address_space_write(&f->as, BASE + off, b, 4), MEMTX_OK);
}

static void say(struct fx *f, const char *s)
{
	while (*s) {
		/* As a driver does: wait while the FIFO is full. */
		assert_false(rd32(f, 0x18) & (1u << 5));
		wr32(f, 0x000, (uint8_t)*s++);
	}
}

static void test_lines(void **state)
{
	struct fx *f = *state;

	say(f, "hello\r\nwor");
	assert_int_equal(f->n, 1);
	assert_string_equal(f->out[0], "[p0] hello");
	say(f, "ld\x01\n");
	assert_int_equal(f->n, 2);
	assert_string_equal(f->out[1], "[p0] world.");
	assert_int_equal(f->u.writes, 14);
}

static void test_long_line_and_tail(void **state)
{
	struct fx *f = *state;
	char big[PL011_LINE_MAX + 11];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	say(f, big);
	/* A full line goes out at PL011_LINE_MAX; the rest waits. */
	assert_int_equal(f->n, 1);
	assert_int_equal(strlen(f->out[0]), 5 + PL011_LINE_MAX);
	/* Taking the device away emits the tail. */
	assert_true(memory_region_del_subregion(&f->root, &f->u.mmio,
						&error_abort));
	pl011_fini(&f->u);
	assert_int_equal(f->n, 2);
	assert_string_equal(f->out[1], "[p0] xxxxxxxxxx");
	/* (A new one for the teardown to take away.) */
	assert_true(pl011_init(&f->u, &f->ctx, "p0", emit, f, &error_abort));
	assert_true(memory_region_add_subregion(&f->root, BASE, &f->u.mmio,
						&error_abort));
}

static void test_registers(void **state)
{
	struct fx *f = *state;
	static const uint8_t ids[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0,
					0x05, 0xb1 };

	/* TX FIFO empty, RX FIFO empty, not busy, not full. */
	assert_int_equal(rd32(f, 0x18), 0x90);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(rd32(f, 0xfe0 + 4 * i), ids[i]);
	wr32(f, 0x24, 0x1a);           /* IBRD */
	wr32(f, 0x28, 0x3);            /* FBRD */
	wr32(f, 0x2c, 0x70);           /* LCR_H: 8 bits, FIFO on */
	wr32(f, 0x30, 0x301);          /* CR: enabled */
	wr32(f, 0x38, 0x50);           /* IMSC */
	assert_int_equal(rd32(f, 0x24), 0x1a);
	assert_int_equal(rd32(f, 0x28), 0x3);
	assert_int_equal(rd32(f, 0x2c), 0x70);
	assert_int_equal(rd32(f, 0x30), 0x301);
	assert_int_equal(rd32(f, 0x38), 0x50);
	/* Nothing received, nothing pending. */
	assert_int_equal(rd32(f, 0x000), 0);
	assert_int_equal(rd32(f, 0x03c), 0);
	wr32(f, 0x44, 0x7ff);          /* ICR: accepted */
	assert_int_equal(f->n, 0);
}

static void test_exit_status(void **state)
{
	struct fx *f = *state;
	int st = -1;

	assert_false(pl011_exit_status(&f->u, &st));
	say(f, "EXIT: STATUS=3\n");
	assert_true(pl011_exit_status(&f->u, &st));
	assert_int_equal(st, 3);
	/* The last one counts; malformed ones do not. */
	say(f, "EXIT: STATUS=0\nEXIT: STATUS=x\nEXIT: STATUS=1000\n");
	assert_true(pl011_exit_status(&f->u, &st));
	assert_int_equal(st, 0);
	assert_string_equal(f->out[0], "[p0] EXIT: STATUS=3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_line_and_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_status, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
