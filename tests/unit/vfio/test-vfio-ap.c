// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio-ap: matrices below the line (an APQN in one matrix at most, the
 * sysfs attributes, no change once published), and the front on each
 * backend built in: realize with the matrix read back, reset and close
 * zeroizing the queues, the request notifier unplugging, and a matrix
 * never given to two users.
 */
#include "front-fixture.h"
#include "vfio-partition.h"
#include <partita/errno.h>
#include <partita/iommu/vfio/vfio-ap-ops.h>
#include <partita/option.h>
#include <partita/sys/namespace.h>
#include <partita/vfio/ap.h>

#define UUID0  "2d8e1b4c-4a5e-4b7f-9d63-0a1b2c3d4e50"
#define UUID1  "2d8e1b4c-4a5e-4b7f-9d63-0a1b2c3d4e51"
#define SYSFS0 "/sys/bus/mdev/devices/" UUID0

static void test_matrix_exclusivity(void **state)
{
	struct ap_bus bus;
	struct device d0 = { .name = "m0" }, d1 = { .name = "m1" };
	struct ap_matrix m0 = { .dev = &d0 }, m1 = { .dev = &d1 };
	unsigned long aqm[BITS_TO_LONGS(AP_MAX_DOMAINS)];

	(void)state;
	memset(&bus, 0, sizeof(bus));
	bitmap_set_bit(bus.adapters, 3);
	bitmap_set_bit(bus.adapters, 5);
	bitmap_set_bit(bus.domains, 4);
	bitmap_set_bit(bus.domains, 0x47);
	vfio_ap_matrix_init(&m0, &bus);
	vfio_ap_matrix_init(&m1, &bus);
	assert_int_equal(vfio_ap_assign_adapter(&m0, 3), 0);
	assert_int_equal(vfio_ap_assign_domain(&m0, 4), 0);
	/* The same adapter elsewhere is fine until a domain meets. */
	assert_int_equal(vfio_ap_assign_adapter(&m1, 3), 0);
	memcpy(aqm, m1.aqm, sizeof(aqm));
	assert_int_equal(vfio_ap_assign_domain(&m1, 4), -EADDRINUSE);
	assert_memory_equal(m1.aqm, aqm, sizeof(aqm));     /* unchanged */
	assert_int_equal(vfio_ap_assign_domain(&m1, 0x47), 0);
	assert_int_equal(vfio_ap_assign_domain(&m0, 0x47), -EADDRINUSE);
	assert_int_equal(vfio_ap_assign_adapter(&m0, 5), 0);
	/* Sharing adapters is fine while the domains differ... */
	assert_int_equal(vfio_ap_assign_adapter(&m1, 5), 0);
	/* ...and an adapter that would meet a shared domain is refused. */
	assert_int_equal(vfio_ap_assign_domain(&m1, 4), -EADDRINUSE);
	vfio_ap_matrix_fini(&m1);
	m1 = (struct ap_matrix){ .dev = &d1 };
	vfio_ap_matrix_init(&m1, &bus);
	assert_int_equal(vfio_ap_assign_domain(&m1, 4), 0);
	assert_int_equal(vfio_ap_assign_adapter(&m1, 5), -EADDRINUSE);
	assert_int_equal(vfio_ap_assign_domain(&m1, 0x47), 0);
	/* What the bus lacks. */
	assert_int_equal(vfio_ap_assign_adapter(&m0, 9), -ENODEV);
	assert_int_equal(vfio_ap_assign_adapter(&m0, 256), -ENODEV);
	assert_int_equal(vfio_ap_assign_domain(&m0, 0x99), -ENODEV);
	/* Control domains only administer: they may be shared. */
	assert_int_equal(vfio_ap_assign_control_domain(&m0, 4), 0);
	assert_int_equal(vfio_ap_assign_control_domain(&m1, 4), 0);
	vfio_ap_matrix_fini(&m1);
	/* m1 gone: its APQNs are free. */
	assert_int_equal(vfio_ap_assign_domain(&m0, 0x47), 0);
	vfio_ap_matrix_fini(&m0);
	assert_null(bus.matrices);
}

/* Matrix 0: adapters 03 and 05, domains 0004 and 0047, control domain
 * 0004; matrix 1: adapter 03, domain 0050. */
static void setup(struct sim_machine *m)
{
	assert_int_equal(vfio_ap_assign_adapter(&m->matrices[0], 3), 0);
	assert_int_equal(vfio_ap_assign_adapter(&m->matrices[0], 5), 0);
	assert_int_equal(vfio_ap_assign_domain(&m->matrices[0], 4), 0);
	assert_int_equal(vfio_ap_assign_domain(&m->matrices[0], 0x47), 0);
	assert_int_equal(vfio_ap_assign_control_domain(&m->matrices[0], 4), 0);
	assert_int_equal(vfio_ap_assign_adapter(&m->matrices[1], 3), 0);
	assert_int_equal(vfio_ap_assign_domain(&m->matrices[1], 0x50), 0);
}

static struct iommufd_backend *be;

static void ap_part_init(struct part *p)
{
	part_init_mdevs(p, 1, 1 << 20, SIM_M_IDR_ALL, 0, 2, setup);
	be = part_iommufd(p);
}

static void ap_part_fini(struct part *p)
{
	part_iommufd_delete(be);
	part_fini(p);
}

static bool ap_device(struct part *p, struct vfio_ap_device *v,
		      const char *props, Error **errp)
{
	return front_set_props(vfio_ap, &p->reg, v, props, errp) &&
	       vfio_ap_realize(&p->reg, v, &p->as, errp);
}

static void test_sysfs_attributes(void **state)
{
	struct part p;
	char buf[256];

	(void)state;
	ap_part_init(&p);
	assert_true(sys_read_file(p.m.sys, SYSFS0 "/matrix", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "03.0004\n03.0047\n05.0004\n05.0047\n");
	assert_true(sys_read_file(p.m.sys, SYSFS0 "/control_domains", buf,
				  sizeof(buf)) > 0);
	assert_string_equal(buf, "0004\n");
	assert_int_equal(sys_realpath(p.m.sys, SYSFS0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/sys/devices/vfio_ap/matrix/" UUID0);
	assert_true(sys_read_file(p.m.sys, "/sys/bus/mdev/devices/" UUID1 "/matrix",
				  buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "03.0050\n");
	/* Published: the matrix is fixed. */
	assert_int_equal(vfio_ap_assign_domain(&p.m.matrices[1], 0x47), -EBUSY);
	ap_part_fini(&p);
}

static void test_realize_reset_close(void **state)
{
	(void)state;
	for (int iommufd = 0; iommufd < 2; iommufd++) {
		struct part p;
		struct vfio_ap_device v, again;
		struct ap_matrix *m;
		char props[160];
		Error *err = NULL;

		if (iommufd ? !IS_ENABLED(CONFIG_VFIO_IOMMUFD) :
			      !IS_ENABLED(CONFIG_VFIO_LEGACY))
			continue;
		ap_part_init(&p);
		m = &p.m.matrices[0];
		snprintf(props, sizeof(props), "sysfsdev=%s%s", SYSFS0,
			 iommufd ? ",iommufd=iommufd0" : "");
		assert_true(ap_device(&p, &v, props, &error_abort));
		assert_string_equal(v.vbase.name, UUID0);
		assert_true(v.vbase.mdev);
		assert_true(v.vbase.ram_discard_allowed);
		assert_int_equal(v.apqns, 4);
		assert_int_equal(v.control_domains, 1);
		assert_non_null(strstr(p.cap.buf, "vfio " UUID0 ": AP matrix, 4 "
				       "queue(s), 1 control domain(s), "));
		assert_non_null(strstr(p.cap.buf, iommufd ? "iommufd backend" :
							    "legacy backend"));
		/* The same matrix cannot go to a second user. */
		assert_false(ap_device(&p, &again, props, &err));
		error_free(err);
		vfio_ap_fini(&again);
		assert_true(v.realized);
		/* Reset zeroizes its four queues. */
		vfio_ap_reset(&v);
		assert_int_equal(m->resets, 1);
		assert_int_equal(p.m.ap.queues_zeroized, 4);
		/* And so does letting it go. */
		vfio_ap_unrealize(&v);
		assert_int_equal(m->resets, 2);
		assert_int_equal(p.m.ap.queues_zeroized, 8);
		assert_null(p.reg.spaces);
		assert_int_equal(p.m.matrix_devs[0].owner, DEVICE_OWNER_NONE);
		vfio_ap_fini(&v);
		ap_part_fini(&p);
	}
}

static unsigned hook_calls;

static void hook(struct vfio_ap_device *v, void *opaque)
{
	(void)opaque;
	hook_calls++;
	vfio_ap_unrealize(v);
}

static void test_request_unplugs(void **state)
{
	struct part p;
	struct vfio_ap_device v;
	char props[160];

	(void)state;
	ap_part_init(&p);
	snprintf(props, sizeof(props), "sysfsdev=%s%s", SYSFS0,
		 IS_ENABLED(CONFIG_VFIO_IOMMUFD) ? ",iommufd=iommufd0" : "");
	assert_true(ap_device(&p, &v, props, &error_abort));
	part_clear_log(&p);
	assert_true(vfio_ap_request(&p.m.matrices[0]));
	assert_false(v.realized);
	assert_null(p.reg.spaces);
	assert_non_null(strstr(p.cap.buf, "vfio " UUID0 ": the host asks for the "
			       "AP matrix back: unplugging"));
	assert_false(vfio_ap_request(&p.m.matrices[0]));
	vfio_ap_fini(&v);
	assert_true(ap_device(&p, &v, props, &error_abort));
	v.unplug = hook;
	assert_true(vfio_ap_request(&p.m.matrices[0]));
	assert_int_equal(hook_calls, 1);
	vfio_ap_fini(&v);
	ap_part_fini(&p);
}

static void test_selection_errors(void **state)
{
	struct part p;
	struct vfio_ap_device v;
	Error *err = NULL;

	(void)state;
	ap_part_init(&p);
	assert_false(ap_device(&p, &v, "sysfsdev=/sys/bus/mdev/devices/nope", &err));
	part_clear_log(&p);
	error_report_err(err);
	assert_string_equal(p.cap.buf, "partita: vfio /sys/bus/mdev/devices/nope: "
			    "no such host device: No such file or directory\n");
	vfio_ap_fini(&v);
	if (IS_ENABLED(CONFIG_VFIO_IOMMUFD) && IS_ENABLED(CONFIG_VFIO_LEGACY)) {
		err = NULL;
		assert_false(ap_device(&p, &v, "fd=5", &err));
		part_clear_log(&p);
		error_report_err(err);
		assert_string_equal(p.cap.buf, "partita: Use FD passing only with "
				    "iommufd backend\n");
		vfio_ap_fini(&v);
	}
	assert_null(p.reg.spaces);
	ap_part_fini(&p);
}

/* Every allocation of realize failed in turn: a clean failure leaves the
 * mdev unbound and no address space, or realize succeeds and says what
 * it lost (the request notifier is only a warning). */
static void faults(bool iommufd)
{
	struct part p;
	struct vfio_ap_device v;
	size_t base = heap_live_blocks();
	char props[160];

	snprintf(props, sizeof(props), "sysfsdev=/sys/devices/vfio_ap/matrix/"
		 "2d8e1b4c-4a5e-4b7f-9d63-0a1b2c3d4e50%s",
		 iommufd ? ",iommufd=iommufd0" : "");
	for (unsigned long n = 0, total = 0; n <= total; n++) {
		Error *err = NULL;
		unsigned long calls;
		bool ok;

		ap_part_init(&p);
		assert_true(front_set_props(vfio_ap, &p.reg, &v, props,
					    &error_abort));
		part_clear_log(&p);
		alloc_fault_fail_nth(n);
		ok = vfio_ap_realize(&p.reg, &v, &p.as, &err);
		calls = alloc_fault_calls();
		alloc_fault_fail_nth(0);
		if (!n) {
			assert_true(ok);
			total = calls;
			assert_true(total > 3);
		} else if (ok) {
			if (!strstr(p.cap.buf, "warning: "))
				fail_msg("allocation %lu of %lu failed, yet realize "
					 "succeeded silently", n, total);
		} else {
			error_free(err);
			assert_null(p.reg.spaces);
			assert_int_equal(p.m.matrix_devs[0].owner, DEVICE_OWNER_NONE);
			assert_null(vfio_core_device_of(&p.m.matrix_devs[0])->triggers);
			assert_int_equal(v.req_notifier.fd, -1);
		}
		vfio_ap_fini(&v);
		ap_part_fini(&p);
		if (heap_live_blocks() != base)
			fail_msg("realize, allocation %lu of %lu failed: %zu heap "
				 "blocks left", n, total, heap_live_blocks() - base);
	}
}

static void test_faults(void **state)
{
	(void)state;
	if (IS_ENABLED(CONFIG_VFIO_IOMMUFD))
		faults(true);
	if (IS_ENABLED(CONFIG_VFIO_LEGACY))
		faults(false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix_exclusivity),
		cmocka_unit_test(test_sysfs_attributes),
		cmocka_unit_test(test_realize_reset_close),
		cmocka_unit_test(test_request_unplugs),
		cmocka_unit_test(test_selection_errors),
		cmocka_unit_test(test_faults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
