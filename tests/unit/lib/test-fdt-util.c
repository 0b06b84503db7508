// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/fdt-util.c: the bounds-checked readers the boot paths rely on (the
 * arm64 console and PSCI find their nodes with them).
 */
#include "fdt-builder.h"
#include <partita/fdt-util.h>

static int path(const void *fdt, const char *p)
{
	int off = fdt_path_offset(fdt, p);

	assert_true(off >= 0);
	return off;
}

static void test_reg_follows_parent_cells(void **state)
{
	const uint32_t reg64[] = { 0x1, 0x2, 0x0, 0x1000,
				   0x0, 0x9000000, 0x0, 0x2000 };
	const uint32_t reg32[] = { 0x100, 0x10 };
	const uint32_t short_reg[] = { 0x0, 0x9000000, 0x0 };
	const void *fdt;
	uint64_t addr, size;

	fdt_b_begin(2, 2);
	fdt_b_node("uart@100000002", "arm,pl011", NULL, NULL);
	fdt_b_u32s("reg", reg64, 8);
	fdt_b_end();
	fdt_b_node("bus", NULL, NULL, NULL);
	fdt_b_u32("#address-cells", 1);
	fdt_b_u32("#size-cells", 1);
	fdt_b_node("dev@100", NULL, NULL, NULL);
	fdt_b_u32s("reg", reg32, 2);
	fdt_b_end();
	fdt_b_end();
	fdt_b_node("short", NULL, NULL, NULL);
	fdt_b_u32s("reg", short_reg, 3);
	fdt_b_end();
	fdt_b_node("noreg", NULL, NULL, NULL);
	fdt_b_end();
	fdt = fdt_b_finish();

	assert_true(fdt_util_reg(fdt, path(fdt, "/uart@100000002"), 0, &addr,
				 &size));
	assert_int_equal(addr, 0x100000002ULL);
	assert_int_equal(size, 0x1000);
	assert_true(fdt_util_reg(fdt, path(fdt, "/uart@100000002"), 1, &addr,
				 &size));
	assert_int_equal(addr, 0x9000000);
	assert_int_equal(size, 0x2000);
	assert_false(fdt_util_reg(fdt, path(fdt, "/uart@100000002"), 2, &addr,
				  &size));
	assert_false(fdt_util_reg(fdt, path(fdt, "/uart@100000002"), -1, &addr,
				  &size));
	assert_true(fdt_util_reg(fdt, path(fdt, "/bus/dev@100"), 0, &addr,
				 &size));
	assert_int_equal(addr, 0x100);
	assert_int_equal(size, 0x10);
	/* A reg shorter than one entry, or none, reads as absent. */
	assert_false(fdt_util_reg(fdt, path(fdt, "/short"), 0, &addr, &size));
	assert_false(fdt_util_reg(fdt, path(fdt, "/noreg"), 0, &addr, &size));
	/* The root has no parent to size its reg. */
	assert_false(fdt_util_reg(fdt, 0, 0, &addr, &size));
}

static void test_unsupported_cells_refused(void **state)
{
	const uint32_t reg[] = { 1, 2, 3, 4 };
	const void *fdt;
	uint64_t addr, size;

	fdt_b_begin(3, 1);
	fdt_b_node("odd", NULL, NULL, NULL);
	fdt_b_u32s("reg", reg, 4);
	fdt_b_end();
	fdt = fdt_b_finish();
	assert_false(fdt_util_reg(fdt, path(fdt, "/odd"), 0, &addr, &size));
}

static void test_status_and_strings(void **state)
{
	const void *fdt;

	fdt_b_begin(2, 2);
	fdt_b_node("a", "x,y", "pci", NULL);
	fdt_b_end();
	fdt_b_node("b", NULL, NULL, "okay");
	fdt_b_end();
	fdt_b_node("c", NULL, NULL, "ok");
	fdt_b_end();
	fdt_b_node("d", NULL, NULL, "disabled");
	fdt_b_end();
	fdt_b_node("e", NULL, NULL, NULL);
	/* Not NUL-terminated within its length: must not be read past. */
	assert_int_equal(fdt_property(fdt_b_blob, "status", "okay", 4), 0);
	assert_int_equal(fdt_property(fdt_b_blob, "device_type", "pci", 3), 0);
	fdt_b_end();
	fdt = fdt_b_finish();

	assert_true(fdt_util_enabled(fdt, path(fdt, "/a")));
	assert_true(fdt_util_enabled(fdt, path(fdt, "/b")));
	assert_true(fdt_util_enabled(fdt, path(fdt, "/c")));
	assert_false(fdt_util_enabled(fdt, path(fdt, "/d")));
	assert_false(fdt_util_enabled(fdt, path(fdt, "/e")));
	assert_true(fdt_util_prop_is(fdt, path(fdt, "/a"), "device_type", "pci"));
	assert_false(fdt_util_prop_is(fdt, path(fdt, "/a"), "device_type", "pc"));
	assert_false(fdt_util_prop_is(fdt, path(fdt, "/a"), "missing", "pci"));
	assert_false(fdt_util_prop_is(fdt, path(fdt, "/e"), "device_type", "pci"));
	assert_int_equal(fdt_util_read_cells((const fdt32_t *)"\x12\x34\x56\x78"
					     "\x9a\xbc\xde\xf0", 2),
			 0x123456789abcdef0ULL);
}

/* One- and two-cell numbers (QEMU writes linux,initrd-start with the
 * root's #address-cells); other lengths are not numbers. */
static void test_u64(void **state)
{
	static uint8_t blob[1024];
	const fdt32_t two[2] = { cpu_to_fdt32(0x1), cpu_to_fdt32(0x48000000) };
	uint64_t v = 7;
	int node;

	assert_int_equal(fdt_create_empty_tree(blob, sizeof(blob)), 0);
	node = fdt_add_subnode(blob, 0, "chosen");
	assert_int_equal(fdt_setprop_u32(blob, node, "one", 0x48000000), 0);
	assert_int_equal(fdt_setprop(blob, node, "two", two, 8), 0);
	assert_int_equal(fdt_setprop(blob, node, "three", "abc", 3), 0);
	assert_true(fdt_util_u64(blob, node, "one", &v));
	assert_int_equal(v, 0x48000000);
	assert_true(fdt_util_u64(blob, node, "two", &v));
	assert_int_equal(v, 0x148000000ULL);
	assert_false(fdt_util_u64(blob, node, "three", &v));
	assert_false(fdt_util_u64(blob, node, "none", &v));
	assert_int_equal(v, 0x148000000ULL);
}

/* QEMU virt's PCI interrupt-map: INTx swizzled over four SPIs by the
 * device number's low bits; the GIC has two address cells. */
static void test_pci_intx(void **state)
{
	static uint8_t blob[4096];
	fdt32_t map[2 * 10], mask[4] = { cpu_to_fdt32(0x1800), 0, 0, cpu_to_fdt32(7) };
	uint32_t spec[3] = { 0 };
	int gic, host;
	unsigned n = 0;

	assert_int_equal(fdt_create_empty_tree(blob, sizeof(blob)), 0);
	gic = fdt_add_subnode(blob, 0, "intc");
	fdt_setprop_u32(blob, gic, "#interrupt-cells", 3);
	fdt_setprop_u32(blob, gic, "#address-cells", 2);
	fdt_setprop_u32(blob, gic, "phandle", 0x8005);
	host = fdt_add_subnode(blob, 0, "pcie");
	/* Device 1 (phys.hi 0x800) INTA -> SPI 4; INTB -> SPI 5. */
	for (unsigned pin = 1; pin <= 2; pin++) {
		const uint32_t e[10] = { 0x800, 0, 0, pin, 0x8005, 0, 0, 0, 3 + pin, 4 };

		for (unsigned k = 0; k < 10; k++)
			map[n++] = cpu_to_fdt32(e[k]);
	}
	assert_int_equal(fdt_setprop(blob, host, "interrupt-map", map, sizeof(map)), 0);
	assert_int_equal(fdt_setprop(blob, host, "interrupt-map-mask", mask,
				     sizeof(mask)), 0);
	/* 00:01.0 INTA, and 00:05.0 (same low device bits) INTB. */
	assert_true(fdt_util_pci_intx(blob, host, 1 << 3, 1, spec));
	assert_int_equal(spec[0], 0);
	assert_int_equal(spec[1], 4);
	assert_int_equal(spec[2], 4);
	assert_true(fdt_util_pci_intx(blob, host, 5 << 3, 2, spec));
	assert_int_equal(spec[1], 5);
	/* 00:02.0 matches no entry; a host without a map has none. */
	assert_false(fdt_util_pci_intx(blob, host, 2 << 3, 1, spec));
	assert_false(fdt_util_pci_intx(blob, fdt_path_offset(blob, "/intc"),
				       1 << 3, 1, spec));
}

static void build_chosen(const char *stdout_path, bool alias)
{
	fdt_b_begin(2, 2);
	if (alias) {
		fdt_b_node("aliases", NULL, NULL, NULL);
		fdt_b_string("serial0", "/pl011@9000000");
		fdt_b_end();
	}
	fdt_b_node("pl011@9000000", "arm,pl011", NULL, NULL);
	fdt_b_end();
	fdt_b_node("chosen", NULL, NULL, NULL);
	if (stdout_path)
		fdt_b_string("stdout-path", stdout_path);
	fdt_b_end();
}

static void test_stdout_path(void **state)
{
	const void *fdt;

	build_chosen("/pl011@9000000", false);
	fdt = fdt_b_finish();
	assert_int_equal(fdt_util_stdout_node(fdt), path(fdt, "/pl011@9000000"));

	/* Options after ':' are the baud rate, not part of the path. */
	build_chosen("/pl011@9000000:115200n8", false);
	fdt = fdt_b_finish();
	assert_int_equal(fdt_util_stdout_node(fdt), path(fdt, "/pl011@9000000"));

	build_chosen("serial0:115200", true);
	fdt = fdt_b_finish();
	assert_int_equal(fdt_util_stdout_node(fdt), path(fdt, "/pl011@9000000"));

	build_chosen("/nonexistent", false);
	fdt = fdt_b_finish();
	assert_true(fdt_util_stdout_node(fdt) < 0);

	build_chosen(NULL, false);
	fdt = fdt_b_finish();
	assert_int_equal(fdt_util_stdout_node(fdt), -FDT_ERR_NOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reg_follows_parent_cells),
		cmocka_unit_test(test_unsupported_cells_refused),
		cmocka_unit_test(test_status_and_strings),
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_pci_intx),
		cmocka_unit_test(test_stdout_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
