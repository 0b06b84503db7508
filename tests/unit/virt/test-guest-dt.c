// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The device tree a guest boots with (virt/guest-dt.c), read back with
 * libfdt the way Linux's early boot and drivers look things up.
 */
#include "test-helpers.h"
#include <partita/fdt-util.h>
#include <partita/virt/guest-dt.h>
#include <libfdt.h>

static uint8_t blob[8192];

static uint64_t cells64(const void *p, unsigned i)
{
	const fdt32_t *c = p;

	return (uint64_t)fdt32_to_cpu(c[2 * i]) << 32 | fdt32_to_cpu(c[2 * i + 1]);
}

static void test_tree(void **state)
{
	const struct guest_dt g = { .ram_addr = 0x40000000, .ram_size = 64 << 20,
				    .cpus = 3, .uart_addr = 0x9000000,
				    .psci_method = "smc", .bootargs = "p0 hello" };
	const void *p;
	const char *s;
	int node, len, n = 0;

	(void)state;
	assert_true(guest_dt_build(blob, sizeof(blob), &g, &error_abort));
	assert_int_equal(fdt_check_header(blob), 0);
	assert_int_equal(fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(blob, 0,
			 "#address-cells", NULL)), 2);
	/* Memory at ram-addr, as the memory node's reg says. */
	node = fdt_node_offset_by_prop_value(blob, -1, "device_type", "memory",
					     sizeof("memory"));
	assert_true(node >= 0);
	assert_string_equal(fdt_get_name(blob, node, NULL), "memory@40000000");
	p = fdt_getprop(blob, node, "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(cells64(p, 0), 0x40000000);
	assert_int_equal(cells64(p, 1), 64 << 20);
	/* vCPUs 0..2, each started by PSCI. */
	fdt_for_each_subnode(node, blob, fdt_path_offset(blob, "/cpus")) {
		assert_string_equal(fdt_getprop(blob, node, "device_type", NULL), "cpu");
		assert_string_equal(fdt_getprop(blob, node, "enable-method", NULL),
				    "psci");
		assert_int_equal(fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(blob,
				 node, "reg", NULL)), n);
		n++;
	}
	assert_int_equal(n, 3);
	node = fdt_path_offset(blob, "/psci");
	assert_int_equal(fdt_node_check_compatible(blob, node, "arm,psci-0.2"), 0);
	assert_string_equal(fdt_getprop(blob, node, "method", NULL), "smc");
	assert_true(fdt_node_offset_by_compatible(blob, -1, "arm,armv8-timer") >= 0);
	/* The console: stdout-path leads to an arm,pl011 whose clocks are
	 * there. */
	s = fdt_getprop(blob, fdt_path_offset(blob, "/chosen"), "stdout-path", NULL);
	assert_string_equal(s, "/pl011@9000000");
	node = fdt_path_offset(blob, s);
	assert_int_equal(fdt_node_check_compatible(blob, node, "arm,pl011"), 0);
	assert_int_equal(fdt_node_check_compatible(blob, node, "arm,primecell"), 0);
	p = fdt_getprop(blob, node, "reg", &len);
	assert_int_equal(cells64(p, 0), 0x9000000);
	p = fdt_getprop(blob, node, "clocks", &len);
	assert_int_equal(len, 8);
	assert_true(fdt_node_offset_by_phandle(blob, fdt32_to_cpu(*(const fdt32_t *)p)) >= 0);
	assert_string_equal(fdt_getprop(blob, fdt_path_offset(blob, "/chosen"),
					"bootargs", NULL), "p0 hello");
	/* No GIC asked for: no interrupt controller, no timer interrupts. */
	assert_true(fdt_node_offset_by_compatible(blob, -1, "arm,cortex-a15-gic") < 0);
	assert_null(fdt_getprop(blob, fdt_node_offset_by_compatible(blob, -1,
				"arm,armv8-timer"), "interrupts", NULL));
}

/* With a GIC: the binding Linux's GICv2 driver reads, the root's
 * interrupt-parent, and the timer's four PPIs on the vCPUs' mask. */
static void test_gic(void **state)
{
	const struct guest_dt g = { .ram_addr = 0x40000000, .ram_size = 64 << 20,
				    .cpus = 3, .uart_addr = 0x9000000,
				    .psci_method = "smc", .gicd_addr = 0x8000000,
				    .gicc_addr = 0x8010000 };
	const fdt32_t *irqs;
	const void *p;
	int node, len;
	uint32_t phandle;

	(void)state;
	assert_true(guest_dt_build(blob, sizeof(blob), &g, &error_abort));
	node = fdt_node_offset_by_compatible(blob, -1, "arm,cortex-a15-gic");
	assert_true(node >= 0);
	assert_string_equal(fdt_get_name(blob, node, NULL), "intc@8000000");
	assert_non_null(fdt_getprop(blob, node, "interrupt-controller", NULL));
	assert_int_equal(fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(blob, node,
			 "#interrupt-cells", NULL)), 3);
	p = fdt_getprop(blob, node, "reg", &len);
	assert_int_equal(len, 32);
	assert_int_equal(cells64(p, 0), 0x8000000);
	assert_int_equal(cells64(p, 1), 0x1000);
	assert_int_equal(cells64(p, 2), 0x8010000);
	assert_int_equal(cells64(p, 3), 0x2000);
	phandle = fdt_get_phandle(blob, node);
	assert_int_not_equal(phandle, 0);
	assert_int_equal(fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(blob, 0,
			 "interrupt-parent", NULL)), phandle);
	irqs = fdt_getprop(blob, fdt_node_offset_by_compatible(blob, -1,
			   "arm,armv8-timer"), "interrupts", &len);
	assert_int_equal(len, 48);
	/* The virtual timer, third: PPI 11, CPUs 0-2, level high. */
	assert_int_equal(fdt32_to_cpu(irqs[6]), 1);
	assert_int_equal(fdt32_to_cpu(irqs[7]), 11);
	assert_int_equal(fdt32_to_cpu(irqs[8]), 0x704);
	assert_int_equal(fdt32_to_cpu(irqs[10]), 10);
}

/* The PCI host: ECAM, the two windows, and the interrupt-map entry that
 * sends 00:01.0's INTA to SPI 36 (an 8-cell entry: the GIC has no unit
 * address). */
static void test_pci_host(void **state)
{
	struct guest_dt g = { .ram_addr = 0x1000000, .ram_size = 16 << 20,
			      .cpus = 1, .uart_addr = 0x9000000,
			      .psci_method = "smc", .gicd_addr = 0x8000000,
			      .gicc_addr = 0x8010000, .ecam_addr = 0xf000000,
			      .window_base = 0x10000000, .window_size = 0x10000000,
			      .nintx = 1 };
	const fdt32_t *p;
	int node, len;

	(void)state;
	g.intx[0] = (struct guest_dt_intx){ 1, 0, 1, 36 };
	assert_true(guest_dt_build(blob, sizeof(blob), &g, &error_abort));
	node = fdt_node_offset_by_compatible(blob, -1, "pci-host-ecam-generic");
	assert_true(node >= 0);
	assert_string_equal(fdt_getprop(blob, node, "device_type", NULL), "pci");
	p = fdt_getprop(blob, node, "reg", &len);
	assert_int_equal(cells64(p, 0), 0xf000000);
	assert_int_equal(cells64(p, 1), 0x100000);
	p = fdt_getprop(blob, node, "ranges", &len);
	assert_int_equal(len, 56);
	assert_int_equal(fdt32_to_cpu(p[0]), 0x02000000);
	assert_int_equal(fdt32_to_cpu(p[2]), 0x10000000);
	assert_int_equal(fdt32_to_cpu(p[6]), 0x08000000);
	assert_int_equal(fdt32_to_cpu(p[7]), 0x43000000);
	assert_int_equal(fdt32_to_cpu(p[9]), 0x18000000);
	p = fdt_getprop(blob, node, "interrupt-map", &len);
	assert_int_equal(len, 32);
	assert_int_equal(fdt32_to_cpu(p[0]), 1u << 11);
	assert_int_equal(fdt32_to_cpu(p[3]), 1);
	assert_int_equal(fdt32_to_cpu(p[6]), 4);     /* SPI 4 = INTID 36 */
	{
		uint32_t spec[3];

		/* Our own reader agrees. */
		assert_true(fdt_util_pci_intx(blob, node, 1 << 3, 1, spec));
		assert_int_equal(spec[1], 4);
	}
}

static void test_refused(void **state)
{
	struct guest_dt g = { .ram_addr = 0x40000000, .ram_size = 1 << 20,
			      .cpus = 1, .uart_addr = 0x9000000,
			      .psci_method = "hvc" };
	Error *err = NULL;

	(void)state;
	assert_true(guest_dt_build(blob, sizeof(blob), &g, &error_abort));
	assert_null(fdt_getprop(blob, fdt_path_offset(blob, "/chosen"),
				"bootargs", NULL));
	assert_false(guest_dt_build(blob, 200, &g, &err));
	assert_non_null(strstr(error_get_pretty(err), "guest device tree: FDT_ERR_NOSPACE"));
	error_free(err);
	err = NULL;
	g.cpus = 0;
	assert_false(guest_dt_build(blob, sizeof(blob), &g, &err));
	error_free(err);
	err = NULL;
	g.cpus = GUEST_DT_MAX_CPUS + 1;
	assert_false(guest_dt_build(blob, sizeof(blob), &g, &err));
	error_free(err);
	err = NULL;
	g.cpus = 1;
	g.psci_method = "svc";
	assert_false(guest_dt_build(blob, sizeof(blob), &g, &err));
	assert_string_equal(error_get_pretty(err),
			    "guest device tree: PSCI method must be smc or hvc");
	error_free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_gic),
		cmocka_unit_test(test_pci_host),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
