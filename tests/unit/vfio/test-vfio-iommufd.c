// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The VFIO side with the iommufd backend, end to end on the simulated
 * board: a partition's AddressSpace, the listener mapping it through
 * /dev/iommu, devices found through sysfs and bound through their cdev,
 * and DMA by the board's engines landing in the partition's RAM.
 */
#include "vfio-partition.h"
#include <partita/errno.h>
#include <partita/option.h>
#include <partita/sys/namespace.h>

static void test_attach_map_dma(void **state)
{
	struct part p;
	struct vfio_device d0, d1;
	struct iommufd_backend *be;
	uint8_t *ram;

	part_init(&p, 2, 4 << 20);
	ram = p.m.user + 0x400000;
	be = iommufd_backend_create(&p.reg, "iommufd0", NULL, &error_abort);
	part_dev(&p, &d0, "0000:00:01.0", be);
	assert_string_equal(d0.name, "0000:00:01.0");
	assert_false(vfio_device_is_mdev(&p.reg, &d0));
	assert_true(vfio_attach_device(&p.reg, &d0, &p.as, &error_abort));
	assert_non_null(d0.bcontainer);
	assert_string_equal(d0.bcontainer->backend, "iommufd");
	assert_int_equal(d0.bcontainer->pgsizes, 4096);
	assert_int_equal(d0.bcontainer->iova_ranges.n, 2);
	assert_true(d0.bcontainer->dirty_pages_supported);
	assert_int_equal(d0.info.num_regions, VFIO_PCI_NUM_REGIONS);
	assert_int_equal(be->users, 1);

	/* The listener mapped the partition's RAM at its guest addresses. */
	memset(ram + 0x1000, 0x42, 64);
	assert_int_equal(sim_board_dma_copy(&p.m.board, 0, 0x1000, 0x2000, 64),
			 SIM_DMA_DONE);
	assert_int_equal(ram[0x2000], 0x42);
	/* Outside the partition: a fault. */
	assert_int_equal(sim_board_dma_copy(&p.m.board, 0, 0x1000, 0x500000, 4),
			 SIM_DMA_FAULT);

	/* The second device joins the same container and HWPT. */
	part_dev(&p, &d1, "0000:00:02.0", be);
	assert_true(vfio_attach_device(&p.reg, &d1, &p.as, &error_abort));
	assert_ptr_equal(d1.bcontainer, d0.bcontainer);
	assert_ptr_equal(d1.hwpt, d0.hwpt);
	assert_int_equal(be->users, 2);
	assert_int_equal(sim_board_dma_copy(&p.m.board, 1, 0x1000, 0x3000, 64),
			 SIM_DMA_DONE);
	assert_int_equal(ram[0x3000], 0x42);

	/* RAM added while running is mapped; removed, it is unmapped. */
	{
		MemoryRegion extra;

		assert_true(memory_region_init_ram_ptr(&extra, &p.ctx, "extra",
						       0x10000, p.m.user + 0x900000,
						       &error_abort));
		assert_true(memory_region_add_subregion(&p.root, 0x1000000, &extra,
							&error_abort));
		assert_int_equal(sim_board_dma_copy(&p.m.board, 0, 0x1000, 0x1000000,
						    8), SIM_DMA_DONE);
		assert_int_equal(p.m.user[0x900000], 0x42);
		assert_true(memory_region_del_subregion(&p.root, &extra, &error_abort));
		assert_int_equal(sim_board_dma_copy(&p.m.board, 0, 0x1000, 0x1000000,
						    8), SIM_DMA_FAULT);
		memory_region_finalize(&extra);
	}

	/* In use: the backend cannot go. */
	{
		Error *err = NULL;

		assert_false(iommufd_backend_delete(be, &err));
		assert_string_equal(error_get_pretty(err),
				    "object 'iommufd0' is in use, can not be deleted");
		error_free(err);
	}
	vfio_detach_device(&d1);
	assert_non_null(d0.bcontainer);
	vfio_detach_device(&d0);
	assert_null(p.reg.spaces);
	assert_int_equal(be->users, 0);
	assert_int_equal(be->fd, -1);        /* closed after its last user */
	/* Detached devices are blocked again. */
	assert_int_equal(sim_board_dma_copy(&p.m.board, 0, 0x1000, 0x2000, 4),
			 SIM_DMA_FAULT);
	assert_true(iommufd_backend_delete(be, &error_abort));
	vfio_device_fini(&d0);
	vfio_device_fini(&d1);
	part_fini(&p);
}

static void test_bar_p2p_warns_with_iommufd(void **state)
{
	struct part p;
	struct vfio_device d0;
	struct iommufd_backend *be;
	MemoryRegion bar;
	uint8_t *bar_mem;

	part_init(&p, 1, 4 << 20);
	be = iommufd_backend_create(&p.reg, "iommufd0", NULL, &error_abort);
	part_dev(&p, &d0, "0000:00:01.0", be);
	assert_true(vfio_attach_device(&p.reg, &d0, &p.as, &error_abort));
	/* A device BAR mapped into the partition (a ram-device region over
	 * device memory). */
	/* The BAR's mmap: device memory in the caller's map. */
	bar_mem = aligned_alloc(4096, 4096);
	assert_int_equal(umem_add(p.m.umem, ((uint64_t)(uintptr_t)(bar_mem)), 0x1000,
				  SIM_BOARD_DMA_BASE, UMEM_IO), 0);
	assert_true(memory_region_init_ram_device_ptr(&bar, &p.ctx, "bar0",
						      0x1000, bar_mem, &error_abort));
	part_clear_log(&p);
	assert_true(memory_region_add_subregion(&p.root, 0xe0000021000ULL,
						&bar, &error_abort));
	/* The spec's two lines: the backend's hint, then the failure. */
	assert_non_null(strstr(p.cap.buf, "partita: warning: IOMMU_IOAS_MAP failed: "
				       "Bad address, PCI BAR?\n"));
	assert_non_null(strstr(p.cap.buf, "PCI BAR?\npartita: "
				       "vfio_container_dma_map("));
	/* QEMU 9.x reports this path bare (no "PCI p2p may not work: "). */
	assert_null(strstr(p.cap.buf, "p2p"));
	assert_non_null(strstr(p.cap.buf, ") = -14 (Bad address)\n"));
	/* Not fatal: the partition runs on. */
	assert_false(d0.bcontainer->space->stopped);
	assert_true(memory_region_del_subregion(&p.root, &bar, &error_abort));
	memory_region_finalize(&bar);
	free(bar_mem);
	vfio_detach_device(&d0);
	vfio_device_fini(&d0);
	iommufd_backend_delete(be, &error_abort);
	part_fini(&p);
}

static void test_listener_rules_and_failures(void **state)
{
	struct part p;
	struct vfio_device d0;
	struct iommufd_backend *be;
	MemoryRegion prot, odd, bad;
	Error *err = NULL;

	part_init(&p, 1, 4 << 20);
	be = iommufd_backend_create(&p.reg, "iommufd0", NULL, &error_abort);

	/* Memory the IOMMU cannot take at realize: the attach fails with the
	 * first listener error, and nothing is left behind. */
	assert_true(memory_region_init_ram_ptr(&bad, &p.ctx, "not-user-memory",
					       0x1000, p.m.user + SIM_M_RAM - 0x2000,
					       &error_abort));
	assert_true(memory_region_add_subregion(&p.root, 0x2000000, &bad,
						&error_abort));
	part_dev(&p, &d0, "0000:00:01.0", be);
	assert_false(vfio_attach_device(&p.reg, &d0, &p.as, &err));
	assert_non_null(strstr(error_get_pretty(err),
			       "memory listener initialization failed: Region "
			       "not-user-memory: vfio_container_dma_map("));
	assert_non_null(strstr(error_get_pretty(err), ") = -14 (Bad address)"));
	error_free(err);
	err = NULL;
	assert_null(d0.bcontainer);
	assert_null(p.reg.spaces);
	assert_int_equal(be->users, 0);
	assert_int_equal(be->fd, -1);
	assert_int_equal(p.m.devs[0].owner, DEVICE_OWNER_NONE);

	/* Without it, the attach works. */
	assert_true(memory_region_del_subregion(&p.root, &bad, &error_abort));
	assert_true(vfio_attach_device(&p.reg, &d0, &p.as, &error_abort));

	/* Protected memory is skipped. */
	assert_true(memory_region_init_ram_ptr(&prot, &p.ctx, "secret", 0x1000,
					       p.m.user + 0x800000, &error_abort));
	assert_true(memory_region_set_protected(&prot, true, &error_abort));
	assert_true(memory_region_add_subregion(&p.root, 0x3000000, &prot,
						&error_abort));
	assert_int_equal(sim_board_dma_copy(&p.m.board, 0, 0x1000, 0x3000000, 4),
			 SIM_DMA_FAULT);
	/* A section whose region offset and address disagree in the page. */
	part_clear_log(&p);
	assert_true(memory_region_init_alias(&odd, &p.ctx, "odd", &p.ram, 0x800,
					     0x2000, &error_abort));
	assert_true(memory_region_add_subregion(&p.root, 0x4000000, &odd,
						&error_abort));
	assert_non_null(strstr(p.cap.buf, "vfio_listener_region_add received "
				       "unaligned region p0-ram iova=0x4000000 "
				       "offset_within_region=0x800"));
	/* After realize, memory it cannot map stops the partition. */
	assert_true(memory_region_add_subregion(&p.root, 0x2000000, &bad,
						&error_abort));
	assert_true(d0.bcontainer->space->stopped);
	assert_non_null(strstr(d0.bcontainer->space->stop_reason,
			       "vfio: DMA mapping failed, unable to continue"));

	memory_region_del_subregion(&p.root, &bad, &error_abort);
	memory_region_del_subregion(&p.root, &odd, &error_abort);
	memory_region_del_subregion(&p.root, &prot, &error_abort);
	vfio_detach_device(&d0);
	memory_region_finalize(&odd);
	memory_region_finalize(&prot);
	memory_region_finalize(&bad);
	vfio_device_fini(&d0);
	iommufd_backend_delete(be, &error_abort);
	part_fini(&p);
}

static void test_names_and_fd_passing(void **state)
{
	struct part p;
	struct vfio_device d;
	struct iommufd_backend *be;
	Error *err = NULL;
	int iommufd, devfd;

	part_init(&p, 1, 4 << 20);
	/* -object iommufd,id=iommufd0,fd=NAME (a pre-opened fd). */
	iommufd = sys_open(p.m.sys, "/dev/iommu");
	assert_int_equal(sys_name_fd(p.m.sys, "myiommu", iommufd), 0);
	be = iommufd_backend_create(&p.reg, "iommufd0", "myiommu", &error_abort);
	assert_int_equal(be->fd, iommufd);
	assert_false(be->owned);
	assert_null(iommufd_backend_create(&p.reg, "iommufd0", NULL, &err));
	error_free(err);
	err = NULL;
	assert_null(iommufd_backend_create(&p.reg, "iommufd1", "nope", &err));
	assert_string_equal(error_get_pretty(err), "Could not parse remote object "
			    "fd nope:Invalid file descriptor number 'nope'");
	error_free(err);
	err = NULL;

	/* -device ...,fd=23: named VFIO_FD23, never an mdev. */
	devfd = sys_open(p.m.sys, "/dev/vfio/devices/vfio0");
	vfio_device_init(&d, false);
	d.iommufd = be;
	assert_true(vfio_device_set_fd(&p.reg, &d, "23", &error_abort));
	assert_int_equal(d.fd, 23);
	assert_true(vfio_device_get_name(&p.reg, &d, &error_abort));
	assert_string_equal(d.name, "VFIO_FD23");
	assert_false(vfio_device_is_mdev(&p.reg, &d));
	vfio_device_fini(&d);
	/* The real one, by number. */
	{
		char num[8];

		snprintf(num, sizeof(num), "%d", devfd);
		vfio_device_init(&d, false);
		d.iommufd = be;
		assert_true(vfio_device_set_fd(&p.reg, &d, num, &error_abort));
		assert_true(vfio_device_get_name(&p.reg, &d, &error_abort));
		assert_true(vfio_attach_device(&p.reg, &d, &p.as, &error_abort));
		assert_int_equal(sim_board_dma_copy(&p.m.board, 0, 0x1000, 0x2000, 4),
				 SIM_DMA_DONE);
		vfio_detach_device(&d);
		/* A passed iommufd stays open after its last user. */
		assert_int_equal(be->fd, iommufd);
		vfio_device_fini(&d);
	}
	/* FD passing needs iommufd. */
	vfio_device_init(&d, false);
	assert_true(vfio_device_set_fd(&p.reg, &d, "9", &error_abort));
	assert_false(vfio_device_get_name(&p.reg, &d, &err));
	assert_string_equal(error_get_pretty(err),
			    "Use FD passing only with iommufd backend");
	error_free(err);
	err = NULL;
	vfio_device_fini(&d);
	/* A sysfs path that is not there. */
	vfio_device_init(&d, false);
	d.sysfsdev = heap_strdup("/sys/bus/pci/devices/0000:09:00.0");
	assert_false(vfio_device_get_name(&p.reg, &d, &err));
	assert_string_equal(error_get_pretty(err),
			    "vfio /sys/bus/pci/devices/0000:09:00.0: no such host "
			    "device: No such file or directory");
	error_free(err);
	vfio_device_fini(&d);
	/* An mdev is recognised by its subsystem link. */
	assert_int_equal(sys_ns_add_link(p.m.sys, "/sys/bus/mdev/devices/"
					 "8ae6a2ca-0000-4000-8000-000000000001/subsystem",
					 "../../../../bus/mdev"), 0);
	vfio_device_init(&d, true);
	d.sysfsdev = heap_strdup("/sys/bus/mdev/devices/"
				 "8ae6a2ca-0000-4000-8000-000000000001");
	assert_true(vfio_device_is_mdev(&p.reg, &d));
	vfio_device_fini(&d);
	iommufd_backend_delete(be, &error_abort);
	part_fini(&p);
}

/* The spec's lines as option strings: -object iommufd,... then
 * -device vfio-pci,...,iommufd=..., and the fd-passing pair. */
static void test_spec_option_strings(void **state)
{
	struct part p;
	struct iommufd_backend *be;
	struct opts *o;
	Error *err = NULL;
	static const struct { const char *text, *msg; } bad[] = {
		{ "iommufd", "Parameter 'id' is missing" },
		{ "iommufd,id=x,foo=1", "Property 'iommufd.foo' not found" },
		{ "memory-backend-ram,id=x", "invalid object type: memory-backend-ram" },
		{ "iommufd,id=x,fd=nope", "Could not parse remote object fd nope:"
		  "Invalid file descriptor number 'nope'" },
	};

	part_init(&p, 1, 4 << 20);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		o = opts_parse(bad[i].text, "qom-type", &error_abort);
		assert_null(iommufd_backend_create_opts(&p.reg, o, &err));
		assert_string_equal(error_get_pretty(err), bad[i].msg);
		error_free(err);
		err = NULL;
		opts_free(o);
	}
	assert_null(p.reg.backends);
	o = opts_parse("iommufd,id=iommufd0", "qom-type", &error_abort);
	be = iommufd_backend_create_opts(&p.reg, o, &error_abort);
	opts_free(o);
	assert_int_equal(be->fd, -1);          /* opened at the first user */
	assert_true(be->owned);
	assert_true(iommufd_backend_delete(be, &error_abort));
	/* fd=22 of a management layer. */
	{
		int fd = sys_open(p.m.sys, "/dev/iommu");
		struct sys_file *f = sys_fget(p.m.sys, fd);

		assert_int_equal(sys_install_fd(p.m.sys, 22, f), 22);
		sys_close(p.m.sys, fd);
	}
	o = opts_parse("iommufd,id=iommufd0,fd=22", "qom-type", &error_abort);
	be = iommufd_backend_create_opts(&p.reg, o, &error_abort);
	opts_free(o);
	assert_int_equal(be->fd, 22);
	assert_false(be->owned);
	assert_true(iommufd_backend_delete(be, &error_abort));
	part_fini(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attach_map_dma),
		cmocka_unit_test(test_bar_p2p_warns_with_iommufd),
		cmocka_unit_test(test_listener_rules_and_failures),
		cmocka_unit_test(test_names_and_fd_passing),
		cmocka_unit_test(test_spec_option_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
