// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Discovery from a Linux /sys (drivers/bus/sysfs.c), read through the
 * system-call line: here the in-image namespace laid out as Linux lays
 * out sysfs (devices under /sys/devices, /sys/bus/pci/devices links to
 * them, iommu_group and driver links), so the same calls the Linux
 * build makes are answered.
 */
#include "test-helpers.h"
#include "../../../drivers/bus/bus-private.h"
#include <partita/sys/fd.h>
#include <partita/sys/namespace.h>

#define DEV "/sys/devices/pci0000:00/"

static void function(struct sys *sys, const char *name, const char *vendor,
		     const char *device, int group, const char *driver)
{
	char path[128], target[128];

	snprintf(path, sizeof(path), DEV "%s/vendor", name);
	assert_int_equal(sys_ns_add_file(sys, path, vendor), 0);
	snprintf(path, sizeof(path), DEV "%s/device", name);
	assert_int_equal(sys_ns_add_file(sys, path, device), 0);
	if (group >= 0) {
		snprintf(path, sizeof(path), DEV "%s/iommu_group", name);
		snprintf(target, sizeof(target), "../../../kernel/iommu_groups/%d",
			 group);
		assert_int_equal(sys_ns_add_link(sys, path, target), 0);
		snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/type",
			 group);
		sys_ns_add_file(sys, path, "DMA");   /* may exist already */
	}
	if (driver) {
		snprintf(path, sizeof(path), DEV "%s/driver", name);
		snprintf(target, sizeof(target), "../../../bus/pci/drivers/%s",
			 driver);
		assert_int_equal(sys_ns_add_link(sys, path, target), 0);
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", name);
	snprintf(target, sizeof(target), "../../../devices/pci0000:00/%s", name);
	assert_int_equal(sys_ns_add_link(sys, path, target), 0);
}

static void test_functions_groups_drivers(void **state)
{
	LEAK_CHECK_BEGIN();
	struct sys *sys = sys_create(NULL);
	struct bus_env env = { .sys = sys };
	struct bus_devices *d;
	const struct bus_device_info *edu, *lpc, *host;
	Error *err = NULL;

	(void)state;
	function(sys, "0000:00:1f.0", "0x8086\n", "0x2918\n", 5, "lpc_ich");
	function(sys, "0000:00:03.0", "0x1234\n", "0x11e8\n", 3, "vfio-pci");
	function(sys, "0000:00:00.0", "0x8086\n", "0x29c0\n", -1, NULL);
	d = heap_zalloc(sizeof(*d));
	assert_true(bus_sysfs_discover(&env, d, &err));
	assert_int_equal(bus_device_count(d), 3);
	/* In the directory's (name) order. */
	host = bus_device(d, 0);
	edu = bus_device(d, 1);
	lpc = bus_device(d, 2);
	assert_string_equal(edu->name, "0000:00:03.0");
	assert_string_equal(edu->sysfsdev, "/sys/bus/pci/devices/0000:00:03.0");
	assert_int_equal(edu->group, 3);
	assert_int_equal(edu->vendor, 0x1234);
	assert_int_equal(edu->device, 0x11e8);
	assert_int_equal(edu->stream_id, 0x18);        /* 00:03.0 */
	assert_string_equal(edu->compatible, "1234:11e8 vfio-pci");
	assert_int_equal(lpc->stream_id, 0xf8);
	assert_string_equal(lpc->compatible, "8086:2918 lpc_ich");
	/* No group: it cannot be assigned; no driver says so. */
	assert_int_equal(host->group, -1);
	assert_string_equal(host->compatible, "8086:29c0 (no driver)");
	assert_int_equal(bus_group_count(d), 5);
	assert_ptr_equal(bus_device_find(d, "/sys/bus/pci/devices/0000:00:03.0"),
			 edu);
	bus_devices_release(d);
	sys_destroy(sys);
	LEAK_CHECK_END();
}

/* A machine without a PCI bus has nothing to find; that is no error. */
static void test_no_pci_bus(void **state)
{
	struct sys *sys = sys_create(NULL);
	struct bus_env env = { .sys = sys };
	struct bus_devices *d = heap_zalloc(sizeof(*d));
	Error *err = NULL;

	(void)state;
	assert_true(bus_sysfs_discover(&env, d, &err));
	assert_int_equal(bus_device_count(d), 0);
	bus_devices_release(d);
	sys_destroy(sys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_functions_groups_drivers),
		cmocka_unit_test(test_no_pci_bus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
