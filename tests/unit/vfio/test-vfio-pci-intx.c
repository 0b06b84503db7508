// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * INTx of a vfio-pci function, both halves on the simulated board: the
 * front's trigger and EOI (drivers/vfio/pci-intx.c) over the kernel
 * side's automask, pending and unmask (vfio-pci-core). The board's
 * interrupt handler is played by calling vfio_pci_core_intx() directly.
 */
#include "vfio-pci-partition.h"
#include <partita/errno.h>
#include <partita/iommu/vfio/vfio-pci-core.h>
#include <partita/sys/fd.h>

struct levels {
	unsigned ups, downs;
	bool level;
};

static void set_level(void *opaque, bool level)
{
	struct levels *l = opaque;

	if (level)
		l->ups++;
	else
		l->downs++;
	l->level = level;
}

static unsigned controller_unmasks;

static void unmask_at_controller(struct pci_func *f)
{
	(void)f;
	controller_unmasks++;
}

static void intx(bool iommufd)
{
	struct pci_part pp;
	struct vfio_pci_device d;
	struct levels l = { 0 };
	struct pci_func *f;
	LEAK_CHECK_BEGIN();

	pp_init(&pp, 1);
	f = &pp.p.m.funcs[0];
	f->intx_unmask = unmask_at_controller;
	controller_unmasks = 0;
	pp_host_device(&pp, &d, "0000:00:01.0", iommufd);
	/* Nobody listens yet: a firing masks the line and reaches no one. */
	vfio_pci_core_intx(f);
	assert_true(f->intx_masked);
	assert_int_equal(f->intx_signalled, 1);
	assert_int_equal(l.ups, 0);
	/* Enabling does not unmask (QEMU unmasks at its first EOI). */
	assert_true(vfio_pci_intx_enable(&d, set_level, &l, &error_abort));
	assert_true(f->intx_masked);
	/* A spurious EOI (nothing asserted) unmasks nothing. */
	vfio_pci_intx_eoi(&d);
	assert_int_equal(controller_unmasks, 0);
	{
		struct vfio_irq_set set = { .argsz = sizeof(set),
			.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
			.index = VFIO_PCI_INTX_IRQ_INDEX, .count = 1 };

		assert_int_equal(sys_ioctl(pp.p.m.sys, d.vbase.fd,
					   VFIO_DEVICE_SET_IRQS, &set), 0);
		/* MSI has no mask action. */
		set.index = VFIO_PCI_MSI_IRQ_INDEX;
		assert_int_equal(sys_ioctl(pp.p.m.sys, d.vbase.fd,
					   VFIO_DEVICE_SET_IRQS, &set), -ENOTTY);
	}
	assert_false(f->intx_masked);
	assert_int_equal(controller_unmasks, 1);

	/* It fires: the partition's line goes up, the device masks it. */
	vfio_pci_core_intx(f);
	assert_int_equal(l.ups, 1);
	assert_true(l.level);
	assert_true(f->intx_masked);
	assert_int_equal(d.intx_line.count, 1);
	/* Again before the EOI: kept pending, nothing signalled. */
	vfio_pci_core_intx(f);
	assert_true(f->intx_pending);
	assert_int_equal(l.ups, 1);
	/* The EOI: line down, unmasked, and the pending one fires at once
	 * (the controller stays masked: it did not need unmasking). */
	vfio_pci_intx_eoi(&d);
	assert_int_equal(l.downs, 1);
	assert_int_equal(l.ups, 2);
	assert_true(l.level);
	assert_false(f->intx_pending);
	assert_true(f->intx_masked);
	assert_int_equal(controller_unmasks, 1);
	/* Its EOI: nothing pending, so the controller's line is unmasked. */
	vfio_pci_intx_eoi(&d);
	assert_int_equal(l.downs, 2);
	assert_false(l.level);
	assert_false(f->intx_masked);
	assert_int_equal(controller_unmasks, 2);
	assert_int_equal(d.intx_line.count, 2);

	/* Disabled while asserted: the line goes down, the trigger away. */
	vfio_pci_core_intx(f);
	assert_true(l.level);
	vfio_pci_intx_disable(&d);
	assert_false(l.level);
	assert_int_equal(d.intx_line.notifier.fd, -1);
	vfio_pci_core_intx(f);
	assert_int_equal(l.ups, 3);
	/* Closing the device leaves INTx unmasked for the next user. */
	assert_true(f->intx_masked);
	vfio_pci_fini(&d);
	assert_false(f->intx_masked);
	assert_false(f->intx_pending);
	assert_int_equal(controller_unmasks, 3);
	pp_fini(&pp);
	LEAK_CHECK_END();
}

static void test_intx_iommufd(void **state)
{
	(void)state;
	intx(true);
}

static void test_intx_legacy(void **state)
{
	(void)state;
	intx(false);
}

/* Nothing to enable: not realized. */
static void test_enable_errors(void **state)
{
	struct vfio_pci_device d;
	struct levels l = { 0 };
	Error *err = NULL;

	(void)state;
	vfio_pci_init(&d);
	assert_false(vfio_pci_intx_enable(&d, set_level, &l, &err));
	assert_non_null(err);
	assert_non_null(strstr(error_get_pretty(err), "no INTx to enable"));
	error_free(err);
	vfio_pci_intx_eoi(&d);
	vfio_pci_intx_disable(&d);
	assert_int_equal(l.ups + l.downs, 0);
	vfio_pci_fini(&d);
}

int main(void)
{
	struct CMUnitTest tests[3];
	size_t n = 0;

	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_enable_errors);
	if (IS_ENABLED(CONFIG_VFIO_IOMMUFD))
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_intx_iommufd);
	if (IS_ENABLED(CONFIG_VFIO_LEGACY))
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_intx_legacy);
	return _cmocka_run_group_tests("test-vfio-pci-intx", tests, n, NULL, NULL);
}
