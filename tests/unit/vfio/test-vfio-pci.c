// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The vfio-pci front on the simulated board: device selection and its
 * messages, config space, BARs in the partition (registers through the
 * fd, memory BARs mapped and seen by the listener), peer-to-peer as each
 * backend allows it, x-balloon-allowed, and unrealize leaving nothing.
 * Runs in every backend configuration; a case needing a backend that is
 * not built in is not registered.
 */
#include "front-fixture.h"
#include "vfio-pci-partition.h"
#include <partita/errno.h>

static void expect_error(Error *err, const char *msg)
{
	assert_non_null(err);
	assert_string_equal(error_get_pretty(err), msg);
	error_free(err);
}

static void test_selection_errors(void **state)
{
	struct pci_part pp;
	struct vfio_pci_device d;
	Error *err = NULL;
	LEAK_CHECK_BEGIN();

	pp_init(&pp, 1);
	/* Nothing names the device: QEMU's message and hint. */
	assert_false(pp_device(&pp, &d, "x-balloon-allowed=off", &err));
	part_clear_log(&pp.p);
	error_report_err(err);
	err = NULL;
	assert_string_equal(pp.p.cap.buf, IS_ENABLED(CONFIG_VFIO_IOMMUFD) ?
		"partita: No provided host device\n"
		"Use -device vfio-pci,host=DDDD:BB:DD.F or -device vfio-pci,"
		"fd=DEVICE_FD or -device vfio-pci,sysfsdev=PATH_TO_DEVICE\n" :
		"partita: No provided host device\n"
		"Use -device vfio-pci,host=DDDD:BB:DD.F or -device vfio-pci,"
		"sysfsdev=PATH_TO_DEVICE\n");
	vfio_pci_fini(&d);
	/* Malformed host addresses are refused at the property. */
	static const char *const bad[] = { "zz", "0000:00:20.0", "0000:00:01.8",
		"00000:00:01.0", "0000:100:01.0", "0000:00:01", "0000:00:01.0x",
		":00:01.0", "0000::01.0", "1.2.3" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char props[64], msg[96];

		snprintf(props, sizeof(props), "host=%s", bad[i]);
		snprintf(msg, sizeof(msg),
			 "Property 'vfio-pci.host' doesn't take value '%s'", bad[i]);
		assert_false(pp_device(&pp, &d, props, &err));
		expect_error(err, msg);
		err = NULL;
		vfio_pci_fini(&d);
	}
	/* The short form has domain 0 and is made canonical. */
	{
		struct opts *o = opts_parse("host=00:1F.7", NULL, &error_abort);

		vfio_pci_init(&d);
		assert_true(vfio_pci_set_props(&pp.p.reg, &d, o, &error_abort));
		assert_string_equal(d.host, "0000:00:1f.7");
		opts_free(o);
		vfio_pci_fini(&d);
	}
	/* A function the board does not have. */
	assert_false(pp_device(&pp, &d, "host=0000:03:00.0", &err));
	expect_error(err, "vfio /sys/bus/pci/devices/0000:03:00.0: no such host "
		     "device: No such file or directory");
	err = NULL;
	vfio_pci_fini(&d);
	/* Bad values of the other properties. */
	assert_false(pp_device(&pp, &d, "host=0000:00:01.0,enable-migration=maybe",
			       &err));
	expect_error(err, "Property 'vfio-pci.enable-migration' doesn't take "
		     "value 'maybe'");
	err = NULL;
	vfio_pci_fini(&d);
	if (IS_ENABLED(CONFIG_VFIO_IOMMUFD)) {
		assert_false(pp_device(&pp, &d, "host=0000:00:01.0,iommufd=nope", &err));
		expect_error(err, "Device 'nope' not found");
	} else {
		assert_false(pp_device(&pp, &d, "host=0000:00:01.0,iommufd=nope", &err));
		expect_error(err, "Property 'vfio-pci.iommufd' needs the iommufd "
			     "backend, which is not built in (CONFIG_VFIO_IOMMUFD)");
	}
	err = NULL;
	vfio_pci_fini(&d);
	/* Nothing was left behind by any of it. */
	assert_null(pp.p.reg.spaces);
	assert_int_equal(pp.next, WIN_BASE);
	pp_fini(&pp);
	LEAK_CHECK_END();
}

/* Realize on one backend: config space, interrupts, reset, BARs; then
 * unrealize takes every piece away again. */
static void realize_on(bool iommufd)
{
	struct pci_part pp;
	struct vfio_pci_device d;
	char props[96];
	uint8_t cfg[12];
	const FlatRange *r;
	uint8_t *ram;
	LEAK_CHECK_BEGIN();

	pp_init(&pp, 1);
	snprintf(props, sizeof(props), "host=0000:00:01.0%s", backend_props(iommufd));
	part_clear_log(&pp.p);
	assert_true(pp_device(&pp, &d, props, &error_abort));
	assert_string_equal(d.vbase.name, "0000:00:01.0");
	assert_int_equal(d.vendor_id, 0x1234);
	assert_int_equal(d.device_id, 0x51d0);
	assert_int_equal(d.intx, 1);
	assert_int_equal(d.msi_vectors, 4);
	assert_int_equal(d.msix_vectors, 0);
	assert_int_equal(pp.p.m.resets[0], 1);          /* reset before use */
	assert_string_equal(d.vbase.bcontainer->backend,
			    iommufd ? "iommufd" : "legacy");
	assert_non_null(strstr(pp.p.cap.buf, "vfio 0000:00:01.0: 1234:51d0, "
			       "2 BAR(s), INTx 1, MSI 4, MSI-X 0"));

	/* BAR0, 4 KiB of registers at the window's base: every access goes
	 * through the device fd to the engine. */
	assert_int_equal(d.bars[0].addr, WIN_BASE);
	assert_null(d.bars[0].mmap);
	r = flatview_lookup(address_space_get_flatview(&pp.p.as), WIN_BASE);
	assert_non_null(r);
	assert_ptr_equal(r->mr, &d.bars[0].mr);
	assert_int_equal(address_space_stq_le(&pp.p.as, WIN_BASE + SIM_DMA_REG_SRC,
					      0xabc000), MEMTX_OK);
	assert_int_equal(address_space_ldq_le(&pp.p.m.board.phys, SIM_BOARD_DMA_BASE +
					      SIM_DMA_REG_SRC, NULL), 0xabc000);
	assert_int_equal(address_space_ldq_le(&pp.p.as, WIN_BASE + SIM_DMA_REG_SRC,
					      NULL), 0xabc000);
	/* BAR2, 64 KiB of memory aligned to its size, mapped: a ram-device
	 * region over the device's memory. */
	assert_int_equal(d.bars[2].addr, WIN_BASE + SIM_BOARD_BAR_SIZE);
	assert_ptr_equal(d.bars[2].mmap, sim_board_bar_ptr(&pp.p.m.board, 0));
	r = flatview_lookup(address_space_get_flatview(&pp.p.as),
			    WIN_BASE + SIM_BOARD_BAR_SIZE);
	assert_non_null(r);
	assert_true(memory_region_is_ram_device(r->mr));
	assert_int_equal(pp.next, WIN_BASE + 2 * SIM_BOARD_BAR_SIZE);
	/* Config space says where the BARs are (64-bit BAR2: BAR3 its top). */
	assert_int_equal(vfio_pci_read_config(&d, PCI_BASE_ADDRESS_0, cfg, 12), 12);
	assert_int_equal(pci_get_long(cfg), WIN_BASE);
	assert_int_equal(pci_get_long(cfg + 8), (WIN_BASE + SIM_BOARD_BAR_SIZE) |
			 PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH);
	assert_int_equal(vfio_pci_read_config(&d, PCI_BASE_ADDRESS_0 + 12, cfg, 4), 4);
	assert_int_equal(pci_get_long(cfg), 0);
	/* The device's DMA reaches its partition's RAM. */
	ram = pp.p.m.user + PART_RAM_OFFSET;
	memset(ram + 0x1000, 0x77, 64);
	assert_int_equal(sim_board_dma_copy(&pp.p.m.board, 0, 0x1000, 0x2000, 64),
			 SIM_DMA_DONE);
	assert_int_equal(ram[0x2000 + 63], 0x77);

	/* Unrealize: no BAR in the partition, no mapping, no container. */
	vfio_pci_fini(&d);
	assert_null(flatview_lookup(address_space_get_flatview(&pp.p.as), WIN_BASE));
	assert_null(flatview_lookup(address_space_get_flatview(&pp.p.as),
				    WIN_BASE + SIM_BOARD_BAR_SIZE));
	assert_int_equal(umem_pin(pp.p.m.umem, (uint64_t)(uintptr_t)
				  sim_board_bar_ptr(&pp.p.m.board, 0), 4096,
				  UMEM_ALLOW_IO),
			 -EFAULT);
	assert_null(pp.p.reg.spaces);
	assert_int_equal(sim_board_dma_copy(&pp.p.m.board, 0, 0x1000, 0x2000, 64),
			 SIM_DMA_FAULT);
	pp_fini(&pp);
	LEAK_CHECK_END();
}

static void test_realize_iommufd(void **state)
{
	realize_on(true);
}

static void test_realize_legacy(void **state)
{
	realize_on(false);
}

/* Device 0 writes into device 1's memory BAR at its partition address:
 * legacy maps BARs (type1 takes device memory), iommufd cannot and says
 * so with the spec's two lines, and the DMA faults. */
static void p2p_on(bool iommufd)
{
	struct pci_part pp;
	struct vfio_pci_device d0, d1;
	uint8_t *ram, *bar1;

	pp_init(&pp, 2);
	pp_host_device(&pp, &d0, "0000:00:01.0", iommufd);
	part_clear_log(&pp.p);
	pp_host_device(&pp, &d1, "0000:00:02.0", iommufd);
	ram = pp.p.m.user + PART_RAM_OFFSET;
	bar1 = sim_board_bar_ptr(&pp.p.m.board, 1);
	memset(ram + 0x3000, 0xc5, 32);
	if (iommufd) {
		/* d1's BAR was refused with the spec's two lines. */
		assert_non_null(strstr(pp.p.cap.buf, "partita: warning: IOMMU_IOAS_MAP "
				       "failed: Bad address, PCI BAR?\n"));
		assert_non_null(strstr(pp.p.cap.buf, "PCI BAR?\npartita: "
				       "vfio_container_dma_map("));
		assert_null(strstr(pp.p.cap.buf, "PCI p2p may not work"));
		assert_int_equal(sim_board_dma_copy(&pp.p.m.board, 0, 0x3000,
						    d1.bars[2].addr + 0x100, 32),
				 SIM_DMA_FAULT);
		assert_int_equal(bar1[0x100], 0);
	} else {
		assert_null(strstr(pp.p.cap.buf, "PCI p2p may not work"));
		assert_int_equal(sim_board_dma_copy(&pp.p.m.board, 0, 0x3000,
						    d1.bars[2].addr + 0x100, 32),
				 SIM_DMA_DONE);
		assert_int_equal(bar1[0x100], 0xc5);
		assert_int_equal(bar1[0x100 + 31], 0xc5);
	}
	vfio_pci_fini(&d1);
	vfio_pci_fini(&d0);
	pp_fini(&pp);
}

static void test_p2p_iommufd(void **state)
{
	p2p_on(true);
}

static void test_p2p_legacy(void **state)
{
	p2p_on(false);
}

#define MDEV_UUID "8ae6a2ca-0000-4000-8000-000000000002"

/* x-balloon-allowed only on an mdev; with fd passing nothing can tell,
 * so it fails exactly as the spec shows. */
static void test_balloon_needs_mdev(void **state)
{
	struct pci_part pp;
	struct vfio_pci_device d;
	Error *err = NULL;

	pp_init(&pp, 2);
	assert_false(pp_device(&pp, &d, IS_ENABLED(CONFIG_VFIO_LEGACY) ?
			       "host=0000:00:01.0,x-balloon-allowed=on" :
			       "host=0000:00:01.0,x-balloon-allowed=on,iommufd=iommufd0",
			       &err));
	expect_error(err, "vfio 0000:00:01.0: x-balloon-allowed only potentially "
		     "compatible with mdev devices");
	err = NULL;
	vfio_pci_fini(&d);
	if (IS_ENABLED(CONFIG_VFIO_IOMMUFD)) {
		struct sys_file *f;
		int fd = sys_open(pp.p.m.sys, "/dev/vfio/devices/vfio0");

		/* The management layer's fd 9. */
		f = sys_fget(pp.p.m.sys, fd);
		assert_int_equal(sys_install_fd(pp.p.m.sys, 9, f), 9);
		sys_close(pp.p.m.sys, fd);
		assert_false(pp_device(&pp, &d, "iommufd=iommufd0,x-balloon-allowed=on,"
				       "fd=9", &err));
		expect_error(err, "vfio VFIO_FD9: x-balloon-allowed only potentially "
			     "compatible with mdev devices");
		err = NULL;
		vfio_pci_fini(&d);
		/* Nothing was attached: the fd is still unbound and usable. */
		assert_true(pp_device(&pp, &d, "iommufd=iommufd0,fd=9", &error_abort));
		assert_string_equal(d.vbase.name, "VFIO_FD9");
		vfio_pci_fini(&d);
		/* The same function published as a mediated device may. */
		pp.p.m.devs[1].name = MDEV_UUID;
		assert_int_equal(vfio_register_device(pp.p.m.sys, &pp.p.m.devs[1], 7,
						     "mdev"), 0);
		assert_true(pp_device(&pp, &d, "sysfsdev=/sys/bus/mdev/devices/"
				       MDEV_UUID ",x-balloon-allowed=on,"
				       "iommufd=iommufd0", &error_abort));
		assert_true(d.vbase.mdev);
		assert_true(d.vbase.ram_discard_allowed);
		assert_null(d.vbase.hwpt);          /* straight to the IOAS */
		vfio_pci_fini(&d);
	}
	assert_null(pp.p.reg.spaces);
	pp_fini(&pp);
}

/* Every allocation of realize failed in turn: a clean failure that
 * leaves no mapping, window space or owner behind, or a success that
 * says what it lost (p2p, an mmap). */
static void faults(bool iommufd)
{
	struct pci_part pp;
	struct vfio_pci_device d;
	size_t base = heap_live_blocks();
	unsigned long calls;
	bool blocked = false;
	char props[96];

	snprintf(props, sizeof(props), "host=0000:00:01.0%s", backend_props(iommufd));
	for (unsigned long n = 0, total = 0; n <= total; n++) {
		Error *err = NULL;
		bool ok;

		pp_init(&pp, 1);
		assert_true(front_set_props(vfio_pci, &pp.p.reg, &d, props,
					    &error_abort));
		part_clear_log(&pp.p);
		alloc_fault_fail_nth(n);
		ok = vfio_pci_realize(&pp.p.reg, &d, &pp.pl, &err);
		calls = alloc_fault_calls();
		alloc_fault_fail_nth(0);
		if (!n) {
			assert_true(ok);
			total = calls;
			assert_true(total > 5);
			blocked = d.vbase.migration_blocker != NULL;
		} else if (ok) {
			/* A blocker whose message could not be allocated still
			 * blocks ("out of memory" is its text). */
			bool still_blocked = blocked && d.vbase.migration_blocker &&
				!strcmp(error_get_pretty(d.vbase.migration_blocker),
					"out of memory");

			if (!strstr(pp.p.cap.buf, "warning: ") && !still_blocked &&
			    !strstr(pp.p.cap.buf, "partita: vfio_container_dma_map("))
				fail_msg("allocation %lu of %lu failed, yet realize "
					 "succeeded silently", n, total);
		} else {
			error_free(err);
			assert_null(pp.p.reg.spaces);
			assert_false(vfio_registry_has_groups(&pp.p.reg));
			assert_int_equal(pp.next, WIN_BASE);
			assert_null(pp.p.root.subregions->next_sibling);
			assert_int_equal(pp.p.m.devs[0].owner, DEVICE_OWNER_NONE);
		}
		vfio_pci_fini(&d);
		pp_fini(&pp);
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
	struct CMUnitTest tests[9];
	size_t n = 0;

	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_selection_errors);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_balloon_needs_mdev);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_faults);
	if (IS_ENABLED(CONFIG_VFIO_IOMMUFD)) {
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_realize_iommufd);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_p2p_iommufd);
	}
	if (IS_ENABLED(CONFIG_VFIO_LEGACY)) {
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_realize_legacy);
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_p2p_legacy);
	}
	return _cmocka_run_group_tests("test-vfio-pci", tests, n, NULL, NULL);
}
