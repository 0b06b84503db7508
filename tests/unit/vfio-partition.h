/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A partition for VFIO-side tests: the simulated machine with its
 * system-call line, a VFIO registry, and a partition AddressSpace whose
 * RAM (ram_size bytes of the board's user memory from offset 4 MiB) sits
 * at guest address 0. The log is captured while it lives.
 */
#ifndef PARTITA_TEST_VFIO_PARTITION_H
#define PARTITA_TEST_VFIO_PARTITION_H

#include "sim-machine.h"
#include <partita/vfio/address-space.h>
#include <partita/vfio/device.h>
#include <partita/vfio/iommufd-backend.h>
#include <partita/vfio/registry.h>

#define PART_RAM_OFFSET 0x400000

struct part {
	struct sim_machine m;
	struct vfio_registry reg;
	MemoryContext ctx;
	MemoryRegion root, ram;
	AddressSpace as;
	struct log_capture cap;
	/* For tests of one device (part_one_device). */
	struct iommufd_backend *be;
	struct vfio_device dev;
};

/* The partition over a machine of ndev PCI functions, nsch subchannels
 * (vfio-ccw mdevs), nmatrix AP matrices (vfio-ap mdevs) and nplat
 * platform devices, each kind only where its driver is built; setup(m), if given, configures
 * the machine (matrix assignments) before it is published. Functions'
 * migration flags may be changed between this and realize
 * (p->m.funcs[i].migration_flags). */
static inline void part_init_all(struct part *p, unsigned ndev,
				 uint64_t ram_size, uint64_t idr, unsigned nsch,
				 unsigned nmatrix, unsigned nplat,
				 void (*setup)(struct sim_machine *m))
{
	sim_machine_init_idr(&p->m, ndev, SIM_IOMMU_FMT_LPAE_S1, false, idr);
#if IS_ENABLED(CONFIG_VFIO_PLATFORM)
	sim_machine_add_platform(&p->m, nplat);
#else
	assert_int_equal(nplat, 0);
#endif
#if IS_ENABLED(CONFIG_VFIO_CCW)
	sim_machine_add_ccw(&p->m, nsch);
#else
	assert_int_equal(nsch, 0);
#endif
#if IS_ENABLED(CONFIG_VFIO_AP)
	sim_machine_add_ap(&p->m, nmatrix);
#else
	assert_int_equal(nmatrix, 0);
#endif
	if (setup)
		setup(&p->m);
	sim_machine_publish(&p->m);
	vfio_registry_init(&p->reg, p->m.sys);
	memory_context_init(&p->ctx);
	assert_true(memory_region_init(&p->root, &p->ctx, "p0", UINT64_MAX,
				       &error_abort));
	assert_true(memory_region_init_ram_ptr(&p->ram, &p->ctx, "p0-ram", ram_size,
					       p->m.user + PART_RAM_OFFSET,
					       &error_abort));
	assert_true(memory_region_add_subregion(&p->root, 0, &p->ram, &error_abort));
	assert_true(address_space_init(&p->as, &p->root, "p0", &error_abort));
	capture_start(&p->cap);
}

/* The same with nplat platform devices (sim_machine_add_platform). */
static inline void part_init_mdevs(struct part *p, unsigned ndev,
				   uint64_t ram_size, uint64_t idr, unsigned nsch,
				   unsigned nmatrix,
				   void (*setup)(struct sim_machine *m))
{
	part_init_all(p, ndev, ram_size, idr, nsch, nmatrix, 0, setup);
}

static inline void part_init_sch(struct part *p, unsigned ndev,
				 uint64_t ram_size, uint64_t idr, unsigned nsch)
{
	part_init_mdevs(p, ndev, ram_size, idr, nsch, 0, NULL);
}

static inline void part_init_idr(struct part *p, unsigned ndev,
				 uint64_t ram_size, uint64_t idr)
{
	part_init_sch(p, ndev, ram_size, idr, 0);
}

static inline void part_init(struct part *p, unsigned ndev, uint64_t ram_size)
{
	part_init_idr(p, ndev, ram_size, SIM_M_IDR_ALL);
}

static inline void part_clear_log(struct part *p)
{
	p->cap.len = 0;
	p->cap.buf[0] = '\0';
}

/* Every device detached first: no address space may be left. */
static inline void part_fini(struct part *p)
{
	capture_stop();
	assert_null(p->reg.spaces);
	assert_false(vfio_registry_has_groups(&p->reg));
	address_space_destroy(&p->as);
	memory_region_del_subregion(&p->root, &p->ram, &error_abort);
	memory_region_finalize(&p->ram);
	memory_region_finalize(&p->root);
	memory_context_destroy(&p->ctx);
	sim_machine_fini(&p->m);
}

/* A device of the board by PCI name, on be (NULL: legacy), named. */
static inline void part_dev(struct part *p, struct vfio_device *vdev,
			    const char *name, struct iommufd_backend *be)
{
	char path[96];

	vfio_device_init(vdev, false);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", name);
	vdev->sysfsdev = heap_strdup(path);
	vdev->iommufd = be;
	assert_true(vfio_device_get_name(&p->reg, vdev, &error_abort));
}

/* An iommufd object, or NULL where the backend is not built in. */
static inline struct iommufd_backend *part_iommufd(struct part *p)
{
	return IS_ENABLED(CONFIG_VFIO_IOMMUFD) ?
	       iommufd_backend_create(&p->reg, "iommufd0", NULL, &error_abort) :
	       NULL;
}

static inline void part_iommufd_delete(struct iommufd_backend *be)
{
	if (IS_ENABLED(CONFIG_VFIO_IOMMUFD) && be)
		assert_true(iommufd_backend_delete(be, &error_abort));
}

/* The board's first device, on an iommufd object or (false) legacy,
 * named but not attached. */
static inline void part_one_device(struct part *p, bool iommufd)
{
	p->be = iommufd ? part_iommufd(p) : NULL;
	part_dev(p, &p->dev, "0000:00:01.0", p->be);
}

static inline void part_one_device_fini(struct part *p)
{
	vfio_device_fini(&p->dev);
	part_iommufd_delete(p->be);
}

#endif
