// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The device-tree summary, on trees built here with libfdt's sequential
 * writer (big-endian on every host, so the s390x run checks the same
 * bytes as the others).
 */
#include "test-helpers.h"
#include <partita/dt-summary.h>
#include <libfdt.h>

static char blob[8192];

static void prop_u32s(const char *name, const uint32_t *v, int n)
{
	fdt32_t be[16];

	for (int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(v[i]);
	assert_int_equal(fdt_property(blob, name, be, n * 4), 0);
}

static void begin(void)
{
	uint32_t two = 2;

	assert_int_equal(fdt_create(blob, sizeof(blob)), 0);
	assert_int_equal(fdt_finish_reservemap(blob), 0);
	assert_int_equal(fdt_begin_node(blob, ""), 0);
	fdt_property_string(blob, "model", "linux,dummy-virt");
	fdt_property_string(blob, "compatible", "linux,dummy-virt");
	prop_u32s("#address-cells", &two, 1);
	prop_u32s("#size-cells", &two, 1);
}

static void node(const char *name, const char *compat, const char *dtype,
		 const char *status)
{
	assert_int_equal(fdt_begin_node(blob, name), 0);
	if (compat)
		fdt_property_string(blob, "compatible", compat);
	if (dtype)
		fdt_property_string(blob, "device_type", dtype);
	if (status)
		fdt_property_string(blob, "status", status);
}

static void end(void)
{
	assert_int_equal(fdt_end_node(blob), 0);
}

static void finish(void)
{
	end(); /* root */
	assert_int_equal(fdt_finish(blob), 0);
}

static void test_virt_like_tree(void **state)
{
	struct dt_summary s;
	const uint32_t mem0[] = { 0, 0x40000000, 0, 0x20000000 };
	const uint32_t mem1[] = { 0x1, 0x00000000, 0, 0x10000000,
				  0x0, 0x80000000, 0, 0x00100000 };

	begin();
	node("memory@40000000", NULL, "memory", NULL);
	prop_u32s("reg", mem0, 4);
	end();
	node("memory@100000000", NULL, "memory", NULL);
	prop_u32s("reg", mem1, 8);
	end();
	node("pl011@9000000", "arm,pl011\0arm,primecell", NULL, NULL);
	end();
	node("pcie@10000000", "pci-host-ecam-generic", "pci", NULL);
	end();
	node("smmuv3@9050000", "arm,smmu-v3", NULL, NULL);
	end();
	node("disabled@1", "vendor,thing", NULL, "disabled");
	end();
	node("cpus", NULL, NULL, NULL);
	node("cpu@0", "arm,cortex-a57", "cpu", NULL);
	end();
	end();
	finish();

	assert_true(dt_summarize(blob, &s, &error_abort));
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

static void test_bad_blob(void **state)
{
	struct dt_summary s;
	Error *err = NULL;

	memset(blob, 0, sizeof(blob));
	assert_false(dt_summarize(blob, &s, &err));
	assert_string_equal(error_get_pretty(err),
			    "invalid device tree: FDT_ERR_BADMAGIC");
	error_free(err);
}

static void test_malformed_memory_reg(void **state)
{
	struct dt_summary s;
	Error *err = NULL;
	const uint32_t bad[] = { 0, 0x40000000, 0 }; /* 3 cells, want 4 */

	begin();
	node("memory@40000000", NULL, "memory", NULL);
	prop_u32s("reg", bad, 3);
	end();
	finish();
	assert_false(dt_summarize(blob, &s, &err));
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
		cmocka_unit_test(test_bad_blob),
		cmocka_unit_test(test_malformed_memory_reg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
