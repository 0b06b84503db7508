// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The partition manager on the host's built-in board: what discovery
 * publishes (devices, groups, stream ids, BARs decoded where they were
 * assigned), a configuration of every device kind built and torn down
 * with nothing left (heap blocks, fds, partition RAM), a failing device
 * leaving nothing half-built, every allocation of setup failed in turn,
 * and the DMA self-test: clean on a sound configuration, and catching a
 * partition that can reach another's RAM (an alias mapped on purpose)
 * without leaving the pattern behind. Runs in every backend
 * configuration.
 */
#include "test-helpers.h"
#include <partita/arch/board.h>
#include <partita/bus/bus.h>
#include <partita/core/config.h>
#include <partita/core/manager.h>
#include <partita/core/selftest.h>
#include <partita/dma-test/dma-test.h>
#include <partita/heap.h>
#include <partita/sys/fd.h>
#include <partita/sys/namespace.h>
#include <string.h>

/* "iommufd=iommufd0" where that backend is built, else nothing (the
 * legacy backend). */
#define BE (IS_ENABLED(CONFIG_VFIO_IOMMUFD) ? ",iommufd=iommufd0" : "")
#define OBJ (IS_ENABLED(CONFIG_VFIO_IOMMUFD) ? "-object iommufd,id=iommufd0 " : "")
/* The legacy backend where it is built (to mix both), else iommufd. */
#define LEGACY (IS_ENABLED(CONFIG_VFIO_LEGACY) ? "" : ",iommufd=iommufd0")

struct fixture {
	struct board b;
	struct config cfg;
	struct manager m;
	struct log_capture cap;
	size_t heap_before;
};

static void fx_board(struct fixture *fx)
{
	fx->heap_before = heap_live_blocks();
	assert_true(board_init(&fx->b, board_default_fdt(), &error_abort));
	capture_start(&fx->cap);
}

static void fx_fini(struct fixture *fx)
{
	capture_stop();
	board_fini(&fx->b);
	assert_int_equal(heap_live_blocks(), fx->heap_before);
}

/* Parse text (printf-style) into fx->cfg and set it up. */
static bool fx_setup(struct fixture *fx, Error **errp, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	config_init(&fx->cfg, "test");
	assert_true(config_parse_string(&fx->cfg, text, &error_abort));
	if (manager_setup(&fx->m, &fx->b, &fx->cfg, errp))
		return true;
	config_free(&fx->cfg);
	return false;
}

static void fx_teardown(struct fixture *fx)
{
	manager_teardown(&fx->m);
	config_free(&fx->cfg);
}

/* No fd of the namespace is open. */
static void assert_no_fds(struct sys *sys)
{
	for (int fd = SYS_FD_FIRST; fd < SYS_FD_MAX; fd++) {
		struct sys_file *f = sys_fget(sys, fd);

		if (f)
			sys_file_put(f);
		assert_null(f);
	}
}

static void test_discovery(void **state)
{
	struct fixture fx;
	const struct bus_device_info *d;
	char buf[128];
	long n;

	(void)state;
	fx_board(&fx);
	d = bus_device_find(fx.b.devices, "0000:00:01.0");
	assert_non_null(d);
	assert_int_equal(d->kind, BUS_PCI);
	assert_int_equal(d->stream_id, 0x8);           /* RID through iommu-map */
	d = bus_device_find(fx.b.devices, "0000:02:00.0");
	assert_non_null(d);
	assert_int_equal(d->stream_id, 0x200);
	/* One multi-function device without ACS: one group. */
	assert_int_equal(bus_device_find(fx.b.devices, "0000:02:00.1")->group,
			 d->group);
	assert_int_not_equal(bus_device_find(fx.b.devices, "0000:00:01.0")->group,
			     d->group);
	assert_string_equal(d->sysfsdev, "/sys/bus/pci/devices/0000:02:00.0");
	/* By its path as well; a path of another bus, or a name that sorts
	 * between two, finds nothing. */
	assert_ptr_equal(bus_device_find(fx.b.devices,
					 "/sys/bus/pci/devices/0000:02:00.0"), d);
	assert_null(bus_device_find(fx.b.devices,
				    "/sys/bus/platform/devices/0000:02:00.0"));
	assert_null(bus_device_find(fx.b.devices, "0000:01:00.0"));
	assert_null(bus_device_find(fx.b.devices, ""));
	n = sys_readlink(fx.b.sys, "/sys/bus/pci/devices/0000:02:00.0/iommu_group",
			 buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	snprintf(buf + 64, 32, "/%d", d->group);
	assert_non_null(strstr(buf, buf + 64));
	if (IS_ENABLED(CONFIG_VFIO_PLATFORM)) {
		d = bus_device_find(fx.b.devices, "a100000.dma");
		assert_non_null(d);
		assert_int_equal(d->kind, BUS_PLATFORM);
		assert_int_equal(d->stream_id, 0x300);
		assert_string_equal(d->compatible, "partita,sim-dma-v1");
	}
	if (IS_ENABLED(CONFIG_VFIO_CCW))
		assert_int_equal(bus_device_find(fx.b.devices,
			"/sys/bus/mdev/devices/6dfd3ec5-e8b3-4e18-a6fe-57bc9eceb921")->kind,
			BUS_CCW);
	if (IS_ENABLED(CONFIG_VFIO_AP))
		assert_int_equal(bus_device_find(fx.b.devices,
			"2d8e1b4c-4a5e-4b7f-9d63-0a1b2c3d4e50")->kind, BUS_AP);
	assert_int_equal(bus_device_count(fx.b.devices),
			 3 + IS_ENABLED(CONFIG_VFIO_PLATFORM) +
			 2 * IS_ENABLED(CONFIG_VFIO_CCW) +
			 2 * IS_ENABLED(CONFIG_VFIO_AP));
	/* Device numbers are the namespace's (cdevs exist for iommufd). */
	for (unsigned i = 0; IS_ENABLED(CONFIG_IOMMUFD) &&
			     i < bus_device_count(fx.b.devices); i++) {
		struct sys_stat st;

		snprintf(buf, sizeof(buf), "/dev/vfio/devices/vfio%u",
			 bus_device(fx.b.devices, i)->index);
		assert_int_equal(sys_stat(fx.b.sys, buf, &st), 0);
	}
	if (IS_ENABLED(CONFIG_VFIO_TYPE1)) {
		struct sys_stat st;

		for (unsigned i = 0; i < bus_device_count(fx.b.devices); i++) {
			snprintf(buf, sizeof(buf), "/dev/vfio/%d",
				 bus_device(fx.b.devices, i)->group);
			assert_int_equal(sys_stat(fx.b.sys, buf, &st), 0);
		}
	}
	fx_fini(&fx);
}

/* The full configuration: two partitions, every kind of device built. */
static const char *every_kind(char *buf, size_t len)
{
	int n = snprintf(buf, len,
		"-partition id=a,ram=4M -partition id=b,ram=4M %s"
		"-device vfio-pci,host=0000:00:01.0,partition=a%s "
		"-device vfio-pci,host=0000:02:00.0,partition=b%s "
		"-device vfio-pci,host=0000:02:00.1,partition=b%s ", OBJ, BE,
		LEGACY, LEGACY);

	if (IS_ENABLED(CONFIG_VFIO_PLATFORM))
		n += snprintf(buf + n, len - (size_t)n,
			      "-device vfio-platform,host=a100000.dma,partition=a%s ",
			      BE);
	if (IS_ENABLED(CONFIG_VFIO_CCW))
		n += snprintf(buf + n, len - (size_t)n,
			      "-device vfio-ccw,sysfsdev=/sys/bus/mdev/devices/"
			      "6dfd3ec5-e8b3-4e18-a6fe-57bc9eceb920,partition=b%s ",
			      BE);
	if (IS_ENABLED(CONFIG_VFIO_AP))
		snprintf(buf + n, len - (size_t)n,
			 "-device vfio-ap,sysfsdev=/sys/bus/mdev/devices/"
			 "2d8e1b4c-4a5e-4b7f-9d63-0a1b2c3d4e51,partition=a%s", BE);
	return buf;
}

static void test_build_teardown_leaves_nothing(void **state)
{
	struct fixture fx;
	char text[1024];
	struct partition *a, *b;
	uint8_t *ram_a, *ram_b;
	uint64_t size;
	unsigned long free_pages;

	(void)state;
	fx_board(&fx);
	free_pages = board_free_table_pages(&fx.b);
	/* The legacy-only build cannot take -object: every_kind omits it. */
	assert_true(fx_setup(&fx, &error_abort, "%s", every_kind(text, sizeof(text))));
	a = manager_find_partition(&fx.m, "a");
	b = manager_find_partition(&fx.m, "b");
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->state, PARTITION_RUNNING);
	assert_int_equal(b->ram_base, a->ram_base + (4 << 20));
	assert_int_equal(a->ndevices, 1 + IS_ENABLED(CONFIG_VFIO_PLATFORM) +
				      IS_ENABLED(CONFIG_VFIO_AP));
	assert_int_equal(b->ndevices, 2 + IS_ENABLED(CONFIG_VFIO_CCW));
	for (struct partition_device *d = a->devices; d; d = d->next)
		assert_non_null(partition_device_vdev(d)->bcontainer);
	/* Page tables were built for the partitions' mappings. */
	assert_true(board_free_table_pages(&fx.b) < free_pages);
	/* Something a partition wrote, which must not survive it. */
	ram_a = a->ram;
	ram_b = b->ram;
	size = a->ram_size;
	memset(ram_a, 0x5a, size);
	memset(ram_b, 0xa5, size);
	fx_teardown(&fx);
	assert_no_fds(fx.b.sys);
	assert_null(fx.m.partitions);
	assert_int_equal(board_free_table_pages(&fx.b), free_pages);
	for (uint64_t i = 0; i < size; i += 4096)
		assert_true(ram_a[i] == 0 && ram_b[i] == 0);
	/* The board is as it was: the same configuration builds again. */
	assert_true(fx_setup(&fx, &error_abort, "%s", text));
	fx_teardown(&fx);
	assert_no_fds(fx.b.sys);
	fx_fini(&fx);
}

static void test_no_partition_means_p0(void **state)
{
	struct fixture fx;
	struct partition *p;

	(void)state;
	fx_board(&fx);
	assert_true(fx_setup(&fx, &error_abort, "%s-device vfio-pci,host=0000:02:00.0%s "
			     "-device vfio-pci,host=0000:00:01.0%s", OBJ, BE, BE));
	p = fx.m.partitions;
	assert_non_null(p);
	assert_null(p->next);
	assert_string_equal(p->id, "p0");
	assert_int_equal(p->ram_size, MANAGER_DEFAULT_RAM);
	assert_int_equal(p->ndevices, 2);
	fx_teardown(&fx);
	fx_fini(&fx);
}

/* The second device fails in realize: the first, the partitions, the
 * object and the fds all go again. With iommufd, the spec's mdev case;
 * with the legacy backend alone, an AP matrix given to vfio-pci. */
static void test_failed_device_leaves_nothing(void **state)
{
	struct fixture fx;
	Error *err = NULL;

	(void)state;
	fx_board(&fx);
	if (IS_ENABLED(CONFIG_VFIO_IOMMUFD)) {
		assert_false(fx_setup(&fx, &err,
			"-partition id=a,ram=4M -object iommufd,id=iommufd0 "
			"-fd fd=9,path=/dev/vfio/devices/vfio1 "
			"-device vfio-pci,host=0000:00:01.0,iommufd=iommufd0 "
			"-device vfio-pci,iommufd=iommufd0,x-balloon-allowed=on,fd=9"));
		assert_string_equal(error_get_pretty(err),
			"-device vfio-pci,iommufd=iommufd0,x-balloon-allowed=on,fd=9: "
			"vfio VFIO_FD9: x-balloon-allowed only potentially "
			"compatible with mdev devices");
	} else {
		assert_false(fx_setup(&fx, &err,
			"-partition id=a,ram=4M "
			"-device vfio-pci,host=0000:00:01.0 "
			"-device vfio-pci,sysfsdev=/sys/bus/mdev/devices/"
			"2d8e1b4c-4a5e-4b7f-9d63-0a1b2c3d4e50"));
		assert_non_null(strstr(error_get_pretty(err),
				       "this isn't a PCI device"));
	}
	error_free(err);
	assert_null(fx.m.partitions);
	assert_no_fds(fx.b.sys);
	fx_fini(&fx);
}

/* A configuration refused by checking builds nothing at all. */
static void test_refused_config_builds_nothing(void **state)
{
	struct fixture fx;
	Error *err = NULL;

	(void)state;
	fx_board(&fx);
	assert_false(fx_setup(&fx, &err,
		"-partition id=a,ram=4M -fd fd=22,path=%s %s"
		"-device vfio-pci,host=0000:00:01.0,partition=a%s "
		"-device vfio-pci,host=0000:00:01.0,partition=a%s",
		IS_ENABLED(CONFIG_VFIO_LEGACY) ? "/dev/vfio/vfio" : "/dev/iommu",
		OBJ, BE, BE));
	assert_non_null(strstr(error_get_pretty(err), "is assigned twice"));
	error_free(err);
	assert_no_fds(fx.b.sys);       /* -fd was never opened */
	fx_fini(&fx);
}

/* A property refused (a bad value, an unknown key, a host device the
 * board lacks) is found by checking: nothing is built, so nothing is
 * logged, no heap block, fd or IOMMU table page is taken, and the pool's
 * RAM a partition would have been given (and zeroed) is untouched. */
static void test_refused_property_builds_nothing(void **state)
{
	static const struct { const char *text, *error; } cases[] = {
		{ "-device vfio-pci,host=0000:02:00.0,foo=1",
		  "Property 'vfio-pci.foo' not found" },
		{ "-device vfio-pci,host=0000:02:00.0,enable-migration=maybe",
		  "Property 'vfio-pci.enable-migration' doesn't take value 'maybe'" },
		{ "-device vfio-pci,host=0000:02:00.0,x-balloon-allowed=on",
		  "vfio 0000:02:00.0: x-balloon-allowed only potentially "
		  "compatible with mdev devices" },
		{ "-device vfio-pci,host=0000:07:00.0",
		  "vfio /sys/bus/pci/devices/0000:07:00.0: no such host device: "
		  "No such file or directory" },
		{ "-device vfio-platform,host=a/b", "vfio error: wrong host device name" },
		{ "-device vfio-platform,host=a100000.dma,x-no-mmap=2",
		  "Parameter 'x-no-mmap' expects 'on' or 'off'" },
		{ "-object iommufd,id=iommufd0,x-ioas-copy=2",
		  IS_ENABLED(CONFIG_VFIO_IOMMUFD) ?
		  "Parameter 'x-ioas-copy' expects 'on' or 'off'" :
		  "the iommufd backend is not built in (CONFIG_VFIO_IOMMUFD)" },
	};
	struct fixture fx;
	unsigned long free_pages;
	uint8_t *pool;

	(void)state;
	fx_board(&fx);
	free_pages = board_free_table_pages(&fx.b);
	pool = board_ram_ptr(&fx.b, fx.b.pool_base, MANAGER_DEFAULT_RAM);
	assert_non_null(pool);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t blocks = heap_live_blocks();
		Error *err = NULL;
		char text[512];

		/* A device of the same partition ahead of it: it would have
		 * been built first, were anything built before checking. */
		snprintf(text, sizeof(text), "-partition id=a,ram=4M "
			 "-device vfio-pci,host=0000:00:01.0%s %s",
			 LEGACY, cases[i].text);
		memset(pool, 0xee, 4096);
		fx.cap.len = 0;
		fx.cap.buf[0] = '\0';
		assert_false(fx_setup(&fx, &err, "%s%s",
				      strstr(cases[i].text, "-object") ? "" : OBJ,
				      text));
		assert_non_null(strstr(error_get_pretty(err), cases[i].error));
		error_free(err);
		assert_string_equal(fx.cap.buf, "");
		assert_int_equal(heap_live_blocks(), blocks);
		assert_int_equal(board_free_table_pages(&fx.b), free_pages);
		assert_int_equal(pool[0], 0xee);
		assert_int_equal(pool[4095], 0xee);
		assert_no_fds(fx.b.sys);
	}
	fx_fini(&fx);
}

/* The board's bring-up (discovery, binding, publishing) with every
 * allocation failed in turn: a clean failure with a message and nothing
 * left, or a board that comes up and goes down again leaving nothing. */
static void test_bring_up_alloc_faults(void **state)
{
	struct board b;
	unsigned long calls;
	size_t before = heap_live_blocks();

	(void)state;
	alloc_fault_fail_nth(0);
	assert_true(board_init(&b, board_default_fdt(), &error_abort));
	calls = alloc_fault_calls();
	assert_true(bus_device_count(b.devices) > 0);
	board_fini(&b);
	assert_int_equal(heap_live_blocks(), before);
	assert_true(calls > 20);
	for (unsigned long n = 1; n <= calls; n++) {
		Error *err = NULL;
		bool ok;

		alloc_fault_fail_nth(n);
		ok = board_init(&b, board_default_fdt(), &err);
		alloc_fault_fail_nth(0);
		if (ok) {
			board_fini(&b);
		} else {
			assert_non_null(err);
			error_free(err);
		}
		assert_int_equal(heap_live_blocks(), before);
	}
}

static void test_setup_alloc_faults(void **state)
{
	struct fixture fx;
	char text[1024];
	unsigned long calls;

	(void)state;
	fx_board(&fx);
	every_kind(text, sizeof(text));
	/* Small partitions: this runs a few hundred times. */
	for (char *p = strstr(text, "ram=4M"); p; p = strstr(p, "ram=4M"))
		memcpy(p, "ram=1M", 6);
	alloc_fault_fail_nth(0);
	assert_true(fx_setup(&fx, &error_abort, "%s", text));
	calls = alloc_fault_calls();
	fx_teardown(&fx);
	/* Partitions, objects, a device of every kind: hundreds. */
	assert_true(calls > 200);
	for (unsigned long n = 1; n <= calls; n++) {
		size_t before = heap_live_blocks();
		Error *err = NULL;

		config_init(&fx.cfg, "test");
		assert_true(config_parse_string(&fx.cfg, text, &error_abort));
		alloc_fault_fail_nth(n);
		if (manager_setup(&fx.m, &fx.b, &fx.cfg, &err)) {
			/* A lost allocation it could live without. */
			alloc_fault_fail_nth(0);
			manager_teardown(&fx.m);
		} else {
			alloc_fault_fail_nth(0);
			assert_non_null(err);
			error_free(err);
			assert_null(fx.m.partitions);
		}
		config_free(&fx.cfg);
		assert_no_fds(fx.b.sys);
		assert_int_equal(heap_live_blocks(), before);
	}
	alloc_fault_fail_nth(0);
	fx_fini(&fx);
}

static void test_selftest_clean(void **state)
{
	struct fixture fx;
	struct selftest_result r;
	char text[1024];

	(void)state;
	fx_board(&fx);
	assert_true(fx_setup(&fx, &error_abort, "%s", every_kind(text, sizeof(text))));
	assert_true(selftest_dma(&fx.m, &r));
	/* Each DMA engine (a subchannel's is its channel programs): own, the
	 * other partition, the manager. */
	assert_int_equal(r.nchecks, 3 * (3 + IS_ENABLED(CONFIG_VFIO_PLATFORM) +
					 IS_ENABLED(CONFIG_VFIO_CCW)));
	assert_int_equal(r.failures, 0);
	for (unsigned i = 0; i < r.nchecks; i++) {
		const struct selftest_check *c = &r.checks[i];

		if (c->target == SELFTEST_OWN)
			assert_true(c->completed && c->landed);
		else
			assert_true(c->faulted && !c->changed);
	}
	/* AP queues do no DMA: listed as not tested. */
	assert_int_equal(r.nuntested, IS_ENABLED(CONFIG_VFIO_AP));
	selftest_result_free(&r);
	fx_teardown(&fx);
	fx_fini(&fx);
}

/* Partition a can reach b's RAM (an alias of it in a's map, the kind of
 * mistake the self-test is for): the test must say so, and leave b's
 * memory as it found it. */
/* The DMA testers' table: which devices a driver takes (the sim engine
 * behind PCI and platform, CCW by channel programs; never an AP matrix),
 * and the sim engine's own fault report: a copy aimed at the other
 * partition faults and the engine names the address it faulted at. */
static void test_dma_testers(void **state)
{
	struct fixture fx;
	char text[1024];
	struct partition *a, *b;
	unsigned taken = 0, refused = 0;

	(void)state;
	fx_board(&fx);
	assert_true(fx_setup(&fx, &error_abort, "%s", every_kind(text, sizeof(text))));
	a = manager_find_partition(&fx.m, "a");
	b = manager_find_partition(&fx.m, "b");
	for (struct partition *p = a; p; p = p == a ? b : NULL) {
		for (struct partition_device *d = p->devices; d; d = d->next) {
			struct dma_test_target tg = {
				.as = &p->as, .kind = d->front->kind, .dev = d->dev,
				.ram = p->ram, .ram_addr = p->ram_addr,
				.ram_size = p->ram_size,
			};
			struct dma_tester t;
			uint64_t at = 0, aim = b->ram_addr + 0x1000;
			bool ok = dma_test_probe(&tg, &t);

			assert_true(ok == (d->front->kind != BUS_AP));
			if (!ok) {
				refused++;
				continue;
			}
			taken++;
			assert_string_equal(t.drv->name,
					    d->front->kind == BUS_CCW ? "ccw" : "sim-dma");
			if (p != a || d->front->kind == BUS_CCW)
				continue;
			/* No fault reported before any. */
			assert_false(dma_test_last_fault(&t, &at));
			assert_int_equal(dma_test_copy(&t, p->ram_addr, aim, 64),
					 DMA_TEST_FAULT);
			assert_true(dma_test_last_fault(&t, &at));
			assert_true(at >= aim && at < aim + 64);
			assert_int_equal(dma_test_copy(&t, p->ram_addr,
						       p->ram_addr + 0x2000, 64),
					 DMA_TEST_DONE);
			assert_false(dma_test_last_fault(&t, &at));
		}
	}
	assert_int_equal(taken, 3 + IS_ENABLED(CONFIG_VFIO_PLATFORM) +
				IS_ENABLED(CONFIG_VFIO_CCW));
	assert_int_equal(refused, IS_ENABLED(CONFIG_VFIO_AP));
	fx_teardown(&fx);
	fx_fini(&fx);
}

static void test_selftest_catches_leak(void **state)
{
	struct fixture fx;
	struct selftest_result r;
	struct partition *a, *b;
	MemoryRegion alias;
	uint8_t probe[64];
	uint64_t target;
	unsigned cross = 0;

	(void)state;
	fx_board(&fx);
	assert_true(fx_setup(&fx, &error_abort,
		"-partition id=a,ram=4M -partition id=b,ram=4M %s"
		"-device vfio-pci,host=0000:00:01.0,partition=a%s "
		"-device vfio-pci,host=0000:02:00.0,partition=b%s", OBJ, BE, BE));
	a = manager_find_partition(&fx.m, "a");
	b = manager_find_partition(&fx.m, "b");
	target = b->ram_base + b->ram_size / 2;
	memset(b->ram + b->ram_size / 2, 0x3c, sizeof(probe));
	memcpy(probe, b->ram + b->ram_size / 2, sizeof(probe));
	assert_true(memory_region_init_alias(&alias, &fx.m.ctx, "leak", &b->ram_mr,
					     0, b->ram_size, &error_abort));
	assert_true(memory_region_add_subregion(&a->root, b->ram_base, &alias,
						&error_abort));
	assert_true(selftest_dma(&fx.m, &r));
	for (unsigned i = 0; i < r.nchecks; i++) {
		const struct selftest_check *c = &r.checks[i];

		if (strcmp(c->partition, "a") || c->target != SELFTEST_OTHER)
			continue;
		cross++;
		assert_int_equal(c->address, target);
		assert_true(c->completed && c->changed && !c->pass);
	}
	assert_int_equal(cross, 1);
	assert_int_equal(r.failures, 1);
	/* Restored: the pattern did not stay in b. */
	assert_memory_equal(b->ram + b->ram_size / 2, probe, sizeof(probe));
	selftest_result_free(&r);
	assert_true(memory_region_del_subregion(&a->root, &alias, &error_abort));
	memory_region_finalize(&alias);
	assert_true(selftest_dma(&fx.m, &r));
	assert_int_equal(r.failures, 0);
	selftest_result_free(&r);
	fx_teardown(&fx);
	fx_fini(&fx);
}

/* RAM added to a running partition that the layer below cannot pin (it
 * is not the board's): the mapping fails, the partition is marked
 * failed, and the report says so. */
static void test_runtime_failure_marks_failed(void **state)
{
	struct fixture fx;
	MemoryRegion stray;
	struct partition *p;
	void *mem;

	(void)state;
	fx_board(&fx);
	mem = heap_zalloc(1 << 16);
	assert_non_null(mem);
	assert_true(fx_setup(&fx, &error_abort, "%s-device vfio-pci,host=0000:02:00.0%s",
			     OBJ, BE));
	p = fx.m.partitions;
	assert_int_equal(p->state, PARTITION_RUNNING);
	assert_true(memory_region_init_ram_ptr(&stray, &fx.m.ctx, "stray", 1 << 16,
					       mem, &error_abort));
	assert_true(memory_region_add_subregion(&p->root, 0x30000000, &stray,
						&error_abort));
	partition_update_state(p);
	assert_int_equal(p->state, PARTITION_FAILED);
	assert_string_equal(partition_state_name(p->state), "failed");
	assert_true(memory_region_del_subregion(&p->root, &stray, &error_abort));
	memory_region_finalize(&stray);
	fx_teardown(&fx);
	heap_free(mem);
	fx_fini(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_discovery),
		cmocka_unit_test(test_build_teardown_leaves_nothing),
		cmocka_unit_test(test_no_partition_means_p0),
		cmocka_unit_test(test_failed_device_leaves_nothing),
		cmocka_unit_test(test_refused_config_builds_nothing),
		cmocka_unit_test(test_refused_property_builds_nothing),
		cmocka_unit_test(test_bring_up_alloc_faults),
		cmocka_unit_test(test_setup_alloc_faults),
		cmocka_unit_test(test_selftest_clean),
		cmocka_unit_test(test_dma_testers),
		cmocka_unit_test(test_selftest_catches_leak),
		cmocka_unit_test(test_runtime_failure_marks_failed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
