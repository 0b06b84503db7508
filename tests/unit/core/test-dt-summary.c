// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The device-tree summary, on trees built with fdt-builder.h.
 */
#include "fdt-builder.h"
#include <partita/core/dt-summary.h>

static void test_virt_like_tree(void **state)
{
	struct dt_summary s;
	const uint32_t mem0[] = { 0, 0x40000000, 0, 0x20000000 };
	const uint32_t mem1[] = { 0x1, 0x00000000, 0, 0x10000000,
				  0x0, 0x80000000, 0, 0x00100000 };

	fdt_b_begin(2, 2);
	fdt_b_node("memory@40000000", NULL, "memory", NULL);
	fdt_b_u32s("reg", mem0, 4);
	fdt_b_end();
	fdt_b_node("memory@100000000", NULL, "memory", NULL);
	fdt_b_u32s("reg", mem1, 8);
	fdt_b_end();
	fdt_b_node("pl011@9000000", "arm,pl011", NULL, NULL);
	fdt_b_end();
	fdt_b_node("pcie@10000000", "pci-host-ecam-generic", "pci", NULL);
	fdt_b_end();
	fdt_b_node("smmuv3@9050000", "arm,smmu-v3", NULL, NULL);
	fdt_b_end();
	fdt_b_node("disabled@1", "vendor,thing", NULL, "disabled");
	fdt_b_end();
	fdt_b_node("cpus", NULL, NULL, NULL);
	fdt_b_node("cpu@0", "arm,cortex-a57", "cpu", NULL);
	fdt_b_end();
	fdt_b_end();
	fdt_b_finish();

	assert_true(dt_summarize(fdt_b_blob, &s, &error_abort));
	assert_string_equal(s.model, "linux,dummy-virt");
	assert_int_equal(s.memory_banks, 3);
	assert_int_equal(s.ram_base, 0x40000000);
	assert_int_equal(s.ram_size, 0x20000000ULL + 0x10000000 + 0x100000);
	assert_int_equal(s.pci_host_bridges, 1);
	assert_int_equal(s.smmuv3, 1);
	/* pl011, pcie, smmuv3, cpu@0: the disabled node does not count. */
	assert_int_equal(s.devices, 4);
}

static void test_print_format(void **state)
{
	struct log_capture cap;
	struct dt_summary s = {
		.model = "board", .ram_base = 0x40000000, .ram_size = 512 << 20,
		.memory_banks = 1, .pci_host_bridges = 1, .smmuv3 = 1,
		.devices = 30,
	};

	capture_start(&cap);
	dt_summary_print(&s);
	capture_stop();
	assert_string_equal(cap.buf, "board: board\n"
				     "RAM: 512 MiB at 0x40000000 (1 bank)\n"
				     "PCI host bridges: 1\nSMMUv3: 1\ndevices: 30\n");
}

static void test_bad_fdt_b_blob(void **state)
{
	struct dt_summary s;
	Error *err = NULL;

	memset(fdt_b_blob, 0, sizeof(fdt_b_blob));
	assert_false(dt_summarize(fdt_b_blob, &s, &err));
	assert_string_equal(error_get_pretty(err),
			    "invalid device tree: FDT_ERR_BADMAGIC");
	error_free(err);
}

static void test_malformed_memory_reg(void **state)
{
	struct dt_summary s;
	Error *err = NULL;
	const uint32_t bad[] = { 0, 0x40000000, 0 }; /* 3 cells, want 4 */

	fdt_b_begin(2, 2);
	fdt_b_node("memory@40000000", NULL, "memory", NULL);
	fdt_b_u32s("reg", bad, 3);
	fdt_b_end();
	fdt_b_finish();
	assert_false(dt_summarize(fdt_b_blob, &s, &err));
	assert_string_equal(error_get_pretty(err),
		"device tree: memory node 'memory@40000000' has a malformed reg "
		"(12 bytes, entries of 16)");
	error_free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virt_like_tree),
		cmocka_unit_test(test_print_format),
		cmocka_unit_test(test_bad_fdt_b_blob),
		cmocka_unit_test(test_malformed_memory_reg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
