// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The vfio-ccw front: selection errors with QEMU's messages, realize on
 * each backend built in (the mdev attaches to the partition's IO address
 * space), channel programs of the partition run through the I/O region
 * with the interruption delivered by the I/O notifier, programs reaching
 * outside the partition answered with a unit exception and never run,
 * the PFCH rule, and the request notifier unplugging the subchannel.
 */
#include "front-fixture.h"
#include "vfio-partition.h"
#include <partita/ccw.h>
#include <partita/errno.h>
#include <partita/option.h>
#include <partita/sim/subchannel.h>
#include <partita/vfio/ccw.h>

#define RAM     (1ULL << 20)
#define PROG    0x1000ULL
#define DATA    0x8000ULL
#define UUID0   "6dfd3ec5-e8b3-4e18-a6fe-57bc9eceb920"
#define SYSFS0  "/sys/bus/mdev/devices/" UUID0

static struct iommufd_backend *be;

static void ccw_part_init(struct part *p)
{
	part_init_sch(p, 1, RAM, SIM_M_IDR_ALL, 2);
	be = part_iommufd(p);
}

static void ccw_part_fini(struct part *p)
{
	part_iommufd_delete(be);
	part_fini(p);
}

/* -device vfio-ccw,<props> in p, not yet realized. */
static bool ccw_props(struct part *p, struct vfio_ccw_device *v,
		      const char *props, Error **errp)
{
	return front_set_props(vfio_ccw, &p->reg, v, props, errp);
}

/* The same, realized. */
static bool ccw_device(struct part *p, struct vfio_ccw_device *v,
		       const char *props, Error **errp)
{
	return ccw_props(p, v, props, errp) &&
	       vfio_ccw_realize(&p->reg, v, &p->as, errp);
}

static uint8_t *gpa(struct part *p, uint64_t a)
{
	return p->m.user + PART_RAM_OFFSET + a;
}

static void put_ccw(struct part *p, uint64_t at, uint8_t cmd, uint8_t flags,
		    uint16_t count, uint64_t cda)
{
	ccw_encode(gpa(p, at), (struct ccw1){ cmd, flags, count, (uint32_t)cda });
}

static void orb(uint8_t o[ORB_AREA_SIZE], uint32_t w1, uint32_t cpa)
{
	memset(o, 0, ORB_AREA_SIZE);
	ccw_put_be32(o + 4, w1);
	ccw_put_be32(o + 8, cpa);
}

static void expect_msg(struct part *p, Error *err, const char *want)
{
	part_clear_log(p);
	error_report_err(err);
	assert_string_equal(p->cap.buf, want);
}

static void test_selection_errors(void **state)
{
	struct part p;
	struct vfio_ccw_device v;
	Error *err = NULL;

	(void)state;
	ccw_part_init(&p);
	assert_false(ccw_device(&p, &v, "force-orb-pfch=off", &err));
	expect_msg(&p, err, "partita: No host device provided\n"
		   "Use -device vfio-ccw,sysfsdev=PATH_TO_DEVICE\n");
	vfio_ccw_fini(&v);
	err = NULL;
	assert_false(ccw_device(&p, &v, "sysfsdev=/sys/bus/mdev/devices/nope", &err));
	expect_msg(&p, err, "partita: Host device '/sys/bus/mdev/devices/nope' "
		   "not found: No such file or directory\n");
	vfio_ccw_fini(&v);
	err = NULL;
	/* Not below a subchannel: the parent is no cssid.ssid.schno. */
	assert_false(ccw_device(&p, &v, "sysfsdev=/sys/bus/pci/devices/0000:00:01.0",
				&err));
	expect_msg(&p, err, "partita: Failed to read devices\n");
	vfio_ccw_fini(&v);
	err = NULL;
	assert_false(ccw_device(&p, &v, "sysfsdev=" SYSFS0 ",force-orb-pfch=maybe",
				&err));
	assert_non_null(strstr(error_get_pretty(err), "force-orb-pfch"));
	error_free(err);
	vfio_ccw_fini(&v);
	/* Nothing was left attached. */
	assert_null(p.reg.spaces);
	assert_int_equal(p.m.sch_devs[0].owner, DEVICE_OWNER_NONE);
	ccw_part_fini(&p);
}

static void run_programs(struct part *p, struct vfio_ccw_device *v)
{
	struct sim_subchannel *hw = p->m.sch_hw[0];
	uint8_t o[ORB_AREA_SIZE], irb[IRB_AREA_SIZE];
	unsigned before;

	/* WRITE then READ through the partition's own memory. */
	for (int i = 0; i < 64; i++)
		gpa(p, DATA)[i] = (uint8_t)(i * 3 + 1);
	memset(gpa(p, DATA + 0x1000), 0, 64);
	put_ccw(p, PROG, CCW_CMD_WRITE, CCW_FLAG_CC, 64, DATA);
	put_ccw(p, PROG + 8, CCW_CMD_READ, 0, 64, DATA + 0x1000);
	orb(o, ORB_W1_FMT | ORB_W1_PFCH | ORB_W1_C64, PROG);
	before = v->io_interrupts;
	assert_int_equal(vfio_ccw_handle_request(v, o, irb), VFIO_CCW_CC_EXPECTED);
	assert_int_equal(v->io_interrupts, before + 1);   /* the notifier ran */
	assert_memory_equal(sim_subchannel_store(hw), gpa(p, DATA), 64);
	assert_memory_equal(gpa(p, DATA + 0x1000), gpa(p, DATA), 64);
	assert_int_equal(ccw_get_be32(irb + 4), PROG + 16);
	assert_int_equal(irb[8], DEV_STAT_CHN_END | DEV_STAT_DEV_END);
	assert_int_equal(sim_subchannel_starts(hw), 1);

	/* Outside the partition's RAM: refused, a unit exception, and the
	 * channel never starts. */
	put_ccw(p, PROG, CCW_CMD_READ, 0, 64, RAM + 0x1000);
	part_clear_log(p);
	assert_int_equal(vfio_ccw_handle_request(v, o, irb), VFIO_CCW_CC_EXPECTED);
	assert_int_equal(irb[8], DEV_STAT_UNIT_EXCEP);
	assert_true(ccw_get_be32(irb) & SCSW_STCTL_ALERT);
	assert_non_null(strstr(p->cap.buf, "vfio-ccw: write I/O region failed "
			       "with errno=14"));
	/* A host physical address is not a partition address either. */
	put_ccw(p, PROG, CCW_CMD_READ, 0, 64,
		sim_pa(&p->m, p->m.user + PART_RAM_OFFSET + RAM + 0x2000));
	assert_int_equal(vfio_ccw_handle_request(v, o, irb), VFIO_CCW_CC_EXPECTED);
	assert_int_equal(irb[8], DEV_STAT_UNIT_EXCEP);
	assert_int_equal(sim_subchannel_starts(hw), 1);

	/* Without prefetch: refused once with a warning (QEMU's rule). */
	put_ccw(p, PROG, CCW_CMD_NOOP, 0, 0, 0);
	orb(o, ORB_W1_FMT | ORB_W1_C64, PROG);
	part_clear_log(p);
	assert_int_equal(vfio_ccw_handle_request(v, o, irb), VFIO_CCW_CC_EXPECTED);
	assert_int_equal(irb[8], DEV_STAT_UNIT_EXCEP);
	assert_non_null(strstr(p->cap.buf, "warning: vfio-ccw (devno 0.0.0010): "
			       "requires PFCH flag set"));
	assert_int_equal(sim_subchannel_starts(hw), 1);
}

static void test_realize_and_run(void **state)
{
	(void)state;
	for (int iommufd = 0; iommufd < 2; iommufd++) {
		struct part p;
		struct vfio_ccw_device v;
		char props[160];

		if (iommufd ? !IS_ENABLED(CONFIG_VFIO_IOMMUFD) :
			      !IS_ENABLED(CONFIG_VFIO_LEGACY))
			continue;
		ccw_part_init(&p);
		snprintf(props, sizeof(props), "sysfsdev=%s%s", SYSFS0,
			 iommufd ? ",iommufd=iommufd0" : "");
		assert_true(ccw_device(&p, &v, props, &error_abort));
		assert_string_equal(v.vbase.name, UUID0);
		assert_string_equal(v.mdevid, UUID0);
		assert_int_equal(v.schno, 0x10);
		assert_true(v.vbase.mdev);
		assert_true(v.vbase.ram_discard_allowed);
		assert_non_null(strstr(p.cap.buf, "vfio " UUID0 ": subchannel "
				       "0.0.0010, "));
		assert_non_null(strstr(p.cap.buf, iommufd ? "iommufd backend" :
							    "legacy backend"));
		run_programs(&p, &v);
		vfio_ccw_unrealize(&v);
		assert_null(p.reg.spaces);
		/* Again after unrealize: fresh, and forced prefetch works. */
		vfio_ccw_fini(&v);
		snprintf(props, sizeof(props), "sysfsdev=%s,force-orb-pfch=on%s",
			 SYSFS0, iommufd ? ",iommufd=iommufd0" : "");
		assert_true(ccw_device(&p, &v, props, &error_abort));
		{
			uint8_t o[ORB_AREA_SIZE], irb[IRB_AREA_SIZE];

			put_ccw(&p, PROG, CCW_CMD_NOOP, 0, 0, 0);
			orb(o, ORB_W1_FMT | ORB_W1_C64, PROG);
			part_clear_log(&p);
			assert_int_equal(vfio_ccw_handle_request(&v, o, irb),
					 VFIO_CCW_CC_EXPECTED);
			assert_int_equal(irb[8], DEV_STAT_CHN_END | DEV_STAT_DEV_END);
			assert_non_null(strstr(p.cap.buf, "PFCH flag forced"));
		}
		vfio_ccw_fini(&v);
		ccw_part_fini(&p);
	}
}

static unsigned hook_calls;

static void hook(struct vfio_ccw_device *v, void *opaque)
{
	(void)opaque;
	hook_calls++;
	vfio_ccw_unrealize(v);
}

/* The host asks for the subchannel back: the device is unplugged, and
 * the partition loses it (cc 3 from then on). */
static void test_request_unplugs(void **state)
{
	struct part p;
	struct vfio_ccw_device v;
	uint8_t o[ORB_AREA_SIZE], irb[IRB_AREA_SIZE];
	char props[160];

	(void)state;
	ccw_part_init(&p);
	snprintf(props, sizeof(props), "sysfsdev=%s%s", SYSFS0,
		 IS_ENABLED(CONFIG_VFIO_IOMMUFD) ? ",iommufd=iommufd0" : "");
	assert_true(ccw_device(&p, &v, props, &error_abort));
	part_clear_log(&p);
	assert_true(vfio_ccw_request(&p.m.schs[0]));
	assert_false(v.realized);
	assert_null(p.reg.spaces);
	assert_non_null(strstr(p.cap.buf, "the host asks for the subchannel "
			       "back: unplugging"));
	orb(o, ORB_W1_FMT | ORB_W1_PFCH | ORB_W1_C64, PROG);
	assert_int_equal(vfio_ccw_handle_request(&v, o, irb),
			 VFIO_CCW_CC_NOT_OPERATIONAL);
	/* Nobody listens any more. */
	assert_false(vfio_ccw_request(&p.m.schs[0]));
	vfio_ccw_fini(&v);

	/* With the manager's hook, the hook decides. */
	assert_true(ccw_device(&p, &v, props, &error_abort));
	v.unplug = hook;
	assert_true(vfio_ccw_request(&p.m.schs[0]));
	assert_int_equal(hook_calls, 1);
	assert_false(v.realized);
	vfio_ccw_fini(&v);
	ccw_part_fini(&p);
}

/* No pin is left on user memory: the range can go (and comes back). */
static void unpinned(struct part *p)
{
	uint64_t va = (uint64_t)(uintptr_t)p->m.user;

	assert_int_equal(umem_remove(p->m.umem, va), 0);
	assert_int_equal(umem_add(p->m.umem, va, SIM_M_USER, SIM_BOARD_RAM_BASE,
				  UMEM_RAM), 0);
}

/* Every allocation of realize failed in turn: it fails cleanly (nothing
 * attached, no event file, nothing leaked) or succeeds with a warning
 * (QEMU's tolerated ones: the request notifier, the IOVA ranges). Then
 * every allocation of a start request: the program is refused as a unit
 * exception and no pin or pool page stays. */
static void faults(bool iommufd)
{
	struct part p;
	struct vfio_ccw_device v;
	uint8_t o[ORB_AREA_SIZE], irb[IRB_AREA_SIZE];
	char props[160];
	unsigned long calls;
	size_t base = heap_live_blocks(), free_pages;

	snprintf(props, sizeof(props), "sysfsdev=%s%s", SYSFS0,
		 iommufd ? ",iommufd=iommufd0" : "");
	ccw_part_init(&p);
	assert_true(ccw_props(&p, &v, props, &error_abort));
	alloc_fault_fail_nth(0);
	assert_true(vfio_ccw_realize(&p.reg, &v, &p.as, &error_abort));
	calls = alloc_fault_calls();
	vfio_ccw_fini(&v);
	ccw_part_fini(&p);
	assert_true(calls > 5);
	for (unsigned long n = 1; n <= calls; n++) {
		Error *err = NULL;
		bool ok;

		ccw_part_init(&p);
		assert_true(ccw_props(&p, &v, props, &error_abort));
		part_clear_log(&p);
		alloc_fault_fail_nth(n);
		ok = vfio_ccw_realize(&p.reg, &v, &p.as, &err);
		alloc_fault_fail_nth(0);
		if (ok) {
			if (!strstr(p.cap.buf, "warning: "))
				fail_msg("allocation %lu of %lu failed, yet realize "
					 "succeeded silently", n, calls);
		} else {
			error_free(err);
			assert_null(p.reg.spaces);
			assert_int_equal(p.m.sch_devs[0].owner, DEVICE_OWNER_NONE);
			assert_null(vfio_core_device_of(&p.m.sch_devs[0])->triggers);
			assert_int_equal(v.io_notifier.fd, -1);
		}
		vfio_ccw_fini(&v);
		ccw_part_fini(&p);
		if (heap_live_blocks() != base)
			fail_msg("realize, allocation %lu of %lu failed: %zu heap "
				 "blocks left", n, calls, heap_live_blocks() - base);
	}

	/* A start request with data over two pages. */
	ccw_part_init(&p);
	assert_true(ccw_device(&p, &v, props, &error_abort));
	put_ccw(&p, PROG, CCW_CMD_WRITE, 0, 100, DATA + 0xfd0);
	orb(o, ORB_W1_FMT | ORB_W1_PFCH | ORB_W1_C64, PROG);
	free_pages = page_pool_free_pages(&p.m.pool);
	alloc_fault_fail_nth(0);
	assert_int_equal(vfio_ccw_handle_request(&v, o, irb), VFIO_CCW_CC_EXPECTED);
	calls = alloc_fault_calls();
	assert_int_equal(irb[8], DEV_STAT_CHN_END | DEV_STAT_DEV_END);
	assert_true(calls >= 2);      /* the program block, the pin list */
	for (unsigned long n = 1; n <= calls; n++) {
		alloc_fault_fail_nth(n);
		assert_int_equal(vfio_ccw_handle_request(&v, o, irb),
				 VFIO_CCW_CC_EXPECTED);
		alloc_fault_fail_nth(0);
		assert_int_equal(irb[8], DEV_STAT_UNIT_EXCEP);
		assert_int_equal(page_pool_free_pages(&p.m.pool), free_pages);
		unpinned(&p);
	}
	assert_int_equal(sim_subchannel_starts(p.m.sch_hw[0]), 1);
	vfio_ccw_fini(&v);
	ccw_part_fini(&p);
	assert_int_equal(heap_live_blocks(), base);
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
		cmocka_unit_test(test_selection_errors),
		cmocka_unit_test(test_realize_and_run),
		cmocka_unit_test(test_request_unplugs),
		cmocka_unit_test(test_faults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
