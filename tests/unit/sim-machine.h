/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A booted simulated board for tests: the board's hardware, the sim
 * IOMMU driver probed on it with its tables in the top of RAM, one
 * struct device per DMA engine (each in its own IOMMU group unless
 * shared_group), and the "user" memory map covering the rest of RAM.
 */
#ifndef PARTITA_TEST_SIM_MACHINE_H
#define PARTITA_TEST_SIM_MACHINE_H

#include "test-helpers.h"
#include <partita/compiler.h>
#include <partita/hw/sim-iommu.h>
#include <partita/iommu-sim.h>
#include <partita/page-alloc.h>
#include <partita/sim/board.h>
#include <partita/iommufd.h>
#include <partita/sys.h>
#include <partita/user-mem.h>
#include <partita/vfio-device.h>
#include <partita/vfio-type1.h>

#define SIM_M_RAM       (64ULL << 20)
#define SIM_M_POOL      (24ULL << 20)     /* at the top of RAM */
#define SIM_M_USER      (SIM_M_RAM - SIM_M_POOL)

struct sim_machine {
	struct sim_board board;
	struct page_pool pool;
	struct iommu_device *iommu;
	struct device devs[SIM_BOARD_MAX_DMA];
	struct iommu_group groups[SIM_BOARD_MAX_DMA];
	unsigned ndev;
	struct umem *umem;
	uint8_t *user;            /* host view of the user part of RAM */
	struct sys *sys;          /* after sim_machine_publish() */
	unsigned resets[SIM_BOARD_MAX_DMA];
};

/* The DMA engines as vfio-pci devices: BAR0 (4 KiB registers) and config
 * space; INTx, MSI, error and request interrupts; resettable. */
static inline void sim_region_info(struct device *dev,
				   struct vfio_region_info *info)
{
	/* vfio-pci places region i at offset i << 40 of the device fd. */
	info->offset = (uint64_t)info->index << 40;
	if (info->index == VFIO_PCI_BAR0_REGION_INDEX) {
		info->size = 0x1000;
		info->flags = VFIO_REGION_INFO_FLAG_READ |
			      VFIO_REGION_INFO_FLAG_WRITE |
			      VFIO_REGION_INFO_FLAG_MMAP;
	} else if (info->index == VFIO_PCI_CONFIG_REGION_INDEX) {
		info->size = 256;
		info->flags = VFIO_REGION_INFO_FLAG_READ |
			      VFIO_REGION_INFO_FLAG_WRITE;
	}
}

static inline void sim_irq_info(struct device *dev, struct vfio_irq_info *info)
{
	switch (info->index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		info->count = 1;
		info->flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
			      VFIO_IRQ_INFO_AUTOMASKED;
		break;
	case VFIO_PCI_MSI_IRQ_INDEX:
		info->count = 1;
		info->flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
		break;
	case VFIO_PCI_ERR_IRQ_INDEX:
	case VFIO_PCI_REQ_IRQ_INDEX:
		info->count = 1;
		info->flags = VFIO_IRQ_INFO_EVENTFD;
		break;
	default:
		break;
	}
}

static inline int sim_reset(struct device *dev)
{
	(*(unsigned *)dev->priv)++;
	return 0;
}

static const struct vfio_device_ops sim_vfio_ops = {
	.flags = VFIO_DEVICE_FLAGS_PCI,
	.num_regions = VFIO_PCI_NUM_REGIONS,
	.num_irqs = VFIO_PCI_NUM_IRQS,
	.region_info = sim_region_info,
	.irq_info = sim_irq_info,
	.reset = sim_reset,
};

static inline void sim_machine_init(struct sim_machine *m, unsigned ndev,
				    enum sim_iommu_fmt fmt, bool shared_group)
{
	const struct sim_board_config cfg = {
		.ram_size = SIM_M_RAM,
		.dma_engines = ndev,
		.iommu_idr = SIM_IOMMU_IDR_LPAE_S1 | SIM_IOMMU_IDR_LPAE_S2 |
			     SIM_IOMMU_IDR_ZPCI | SIM_IOMMU_IDR_HD,
		.sid_bits = 8,
	};
	static const char *const names[] = {
		"0000:00:01.0", "0000:00:02.0", "0000:00:03.0", "0000:00:04.0",
		"0000:00:05.0", "0000:00:06.0", "0000:00:07.0", "0000:00:08.0",
	};
	int err = 0;

	memset(m, 0, sizeof(*m));
	assert_true(sim_board_init(&m->board, &cfg, &error_abort));
	assert_true(page_pool_init(&m->pool,
				   sim_board_ram_ptr(&m->board, SIM_BOARD_RAM_BASE +
						     SIM_M_USER),
				   SIM_BOARD_RAM_BASE + SIM_M_USER, SIM_M_POOL,
				   &error_abort));
	m->iommu = sim_iommu_driver_probe(&m->board.phys, SIM_BOARD_IOMMU_BASE,
					  &m->pool, fmt, &err);
	assert_non_null(m->iommu);
	m->ndev = ndev;
	for (unsigned i = 0; i < ndev; i++) {
		struct iommu_group *g = &m->groups[shared_group ? 0 : i];

		g->id = shared_group ? 1 : (int)i + 1;
		m->devs[i].name = names[i];
		m->devs[i].iommu = m->iommu;
		m->devs[i].stream_id = SIM_BOARD_DMA_SID(i);
		assert_int_equal(iommu_group_add_device(g, &m->devs[i]), 0);
	}
	m->user = sim_board_ram_ptr(&m->board, SIM_BOARD_RAM_BASE);
	m->umem = umem_create();
	assert_non_null(m->umem);
	assert_int_equal(umem_add(m->umem, (uint64_t)(uintptr_t)m->user, SIM_M_USER,
				  SIM_BOARD_RAM_BASE, UMEM_RAM), 0);
}

/* The system-call line over the machine: /dev/iommu and every device as
 * /dev/vfio/devices/vfio<i>. */
static inline void sim_machine_publish(struct sim_machine *m)
{
	m->sys = sys_create(m->umem);
	assert_non_null(m->sys);
	if (IS_ENABLED(CONFIG_IOMMUFD))
		assert_int_equal(iommufd_register(m->sys), 0);
	if (IS_ENABLED(CONFIG_VFIO_TYPE1))
		assert_int_equal(vfio_type1_register(m->sys), 0);
	for (unsigned i = 0; i < m->ndev; i++) {
		m->devs[i].vfio_ops = &sim_vfio_ops;
		m->devs[i].priv = &m->resets[i];
		assert_int_equal(vfio_device_publish(m->sys, &m->devs[i], i, "pci"), 0);
		/* Each group once (a shared group is devs[0]'s). */
		if (IS_ENABLED(CONFIG_VFIO_TYPE1) &&
		    m->devs[i].group->devices[0] == &m->devs[i])
			assert_int_equal(vfio_type1_publish_group(m->sys,
						m->devs[i].group), 0);
	}
}

static inline void sim_machine_fini(struct sim_machine *m)
{
	sys_destroy(m->sys);
	umem_destroy(m->umem);
	for (unsigned i = 0; i < m->ndev; i++)
		iommu_group_release(&m->groups[i]);
	sim_iommu_driver_remove(m->iommu);
	assert_int_equal(page_pool_free_pages(&m->pool), m->pool.npages);
	page_pool_destroy(&m->pool);
	sim_board_fini(&m->board);
}

/* Physical address of a pointer into the user part of RAM. */
static inline uint64_t sim_pa(struct sim_machine *m, const void *p)
{
	return sim_board_ram_pa(&m->board, p);
}

#endif
