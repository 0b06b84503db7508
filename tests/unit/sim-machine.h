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
#include <partita/err.h>
#include <partita/iommu/iommufd.h>
#include <partita/iommu/vfio-type1.h>
#include <partita/iommu/vfio/vfio-main.h>
#include <partita/iommu/vfio/vfio-pci-core.h>
#include <partita/mm/page-alloc.h>
#include <partita/mm/user-mem.h>
#include <partita/sim/board.h>
#include <partita/sim/iommu.h>
#include <partita/sys/fd.h>
#if IS_ENABLED(CONFIG_VFIO_AP)
#include <partita/iommu/vfio/vfio-ap-ops.h>
#endif
#if IS_ENABLED(CONFIG_VFIO_PLATFORM)
#include <partita/iommu/vfio/vfio-platform.h>
#endif
#if IS_ENABLED(CONFIG_VFIO_CCW)
#include <partita/iommu/vfio/vfio-ccw-ops.h>
#include <partita/sim/subchannel.h>
#endif

#define SIM_M_RAM       (64ULL << 20)
#define SIM_M_POOL      (24ULL << 20)     /* at the top of RAM */
#define SIM_M_USER      (SIM_M_RAM - SIM_M_POOL)
#define SIM_M_MAX_SCH   2
#define SIM_M_SCH_GROUP 100       /* group id of subchannel 0's mdev */
#define SIM_M_MAX_MATRIX 2
#define SIM_M_AP_GROUP  110       /* group id of matrix 0's mdev */
#define SIM_M_PLAT_GROUP 120      /* group id of platform device 0 */

struct sim_machine {
	struct sim_board board;
	struct page_pool pool;
	struct iommu_device *iommu;
	struct device devs[SIM_BOARD_MAX_DMA];
	struct pci_func funcs[SIM_BOARD_MAX_DMA];
	struct iommu_group groups[SIM_BOARD_MAX_DMA];
	unsigned ndev;
	struct umem *umem;
	uint8_t *user;            /* host view of the user part of RAM */
	struct sys *sys;          /* after sim_machine_publish() */
	unsigned resets[SIM_BOARD_MAX_DMA];
#if IS_ENABLED(CONFIG_VFIO_CCW)
	/* Subchannels 0.0.0010... as vfio-ccw mdevs (sim_machine_add_ccw). */
	unsigned nsch;
	struct sim_subchannel *sch_hw[SIM_M_MAX_SCH];
	struct ccw_subchannel schs[SIM_M_MAX_SCH];
	struct device sch_devs[SIM_M_MAX_SCH];
	struct iommu_group sch_groups[SIM_M_MAX_SCH];
#endif
#if IS_ENABLED(CONFIG_VFIO_AP)
	/* The AP bus (adapters 03 and 05, domains 0004, 0047, 0050) and
	 * matrix mdevs (sim_machine_add_ap). */
	struct ap_bus ap;
	unsigned nmatrix;
	struct ap_matrix matrices[SIM_M_MAX_MATRIX];
	struct device matrix_devs[SIM_M_MAX_MATRIX];
	struct iommu_group matrix_groups[SIM_M_MAX_MATRIX];
#endif
#if IS_ENABLED(CONFIG_VFIO_PLATFORM)
	/* The board's platform DMA engines as device-tree platform devices
	 * "a100000.dma", "a110000.dma" (sim_machine_add_platform). */
	unsigned nplat;
	struct platform_device plats[SIM_BOARD_MAX_PDMA];
	struct device plat_devs[SIM_BOARD_MAX_PDMA];
	struct iommu_group plat_groups[SIM_BOARD_MAX_PDMA];
#endif
};

/* The DMA engines as PCI functions (vendor 1234, device 51d0): BAR0 the
 * engine's 4 KiB of registers (reached through the bus, not mappable),
 * BAR2 (64-bit, prefetchable) its 64 KiB of memory, which can be mapped;
 * INTx pin A, an MSI capability with 4 vectors, a PCIe capability;
 * function-level reset; migratable (STOP_COPY, P2P). */
static inline int sim_func_reset(struct pci_func *f)
{
	(*(unsigned *)f->opaque)++;
	return 0;
}

static inline void sim_func_init(struct sim_machine *m, unsigned i)
{
	struct pci_func *f = &m->funcs[i];
	uint8_t *c = f->config;

	memset(f, 0, sizeof(*f));
	f->dev = &m->devs[i];
	pci_set_word(c + PCI_VENDOR_ID, 0x1234);
	pci_set_word(c + PCI_DEVICE_ID, 0x51d0);
	pci_set_word(c + PCI_STATUS, PCI_STATUS_CAP_LIST);
	pci_set_long(c + PCI_CLASS_REVISION, 0x08800001);
	c[PCI_CAPABILITY_LIST] = 0x50;
	c[PCI_INTERRUPT_PIN] = 1;
	c[0x50] = PCI_CAP_ID_MSI;
	c[0x51] = 0x70;
	pci_set_word(c + 0x50 + PCI_MSI_FLAGS, 2u << 1);     /* 4 vectors */
	c[0x70] = PCI_CAP_ID_EXP;
	c[0x71] = 0;
	f->bars[0] = (struct pci_bar){ .pa = SIM_BOARD_DMA_BASE + i * 0x1000,
				       .size = 0x1000 };
	f->bars[2] = (struct pci_bar){ .pa = SIM_BOARD_BAR_BASE +
					     i * SIM_BOARD_BAR_SIZE,
				       .size = SIM_BOARD_BAR_SIZE,
				       .host = sim_board_bar_ptr(&m->board, i),
				       .mem64 = true, .prefetch = true };
	/* Where the bus put the BARs (the hardware's registers). */
	pci_set_long(c + PCI_BASE_ADDRESS_0, (uint32_t)f->bars[0].pa);
	pci_set_long(c + PCI_BASE_ADDRESS_0 + 8, (uint32_t)f->bars[2].pa |
		     PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH);
	f->bus_as = &m->board.phys;
	f->reset = sim_func_reset;
	f->opaque = &m->resets[i];
	/* Its state (registers) can be moved: STOP_COPY, and P2P. */
	f->migration_flags = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P;
	vfio_pci_core_init(f);
}

#define SIM_M_IDR_ALL (SIM_IOMMU_IDR_LPAE_S1 | SIM_IOMMU_IDR_LPAE_S2 | \
		       SIM_IOMMU_IDR_ZPCI | SIM_IOMMU_IDR_HD)

/* The same with the IOMMU's ID register chosen (without
 * SIM_IOMMU_IDR_HD: an IOMMU that cannot track dirty pages). */
static inline void sim_machine_init_idr(struct sim_machine *m, unsigned ndev,
					enum sim_iommu_fmt fmt, bool shared_group,
					uint64_t idr)
{
	const struct sim_board_config cfg = {
		.ram_size = SIM_M_RAM,
		.dma_engines = ndev,
		.platform_engines = IS_ENABLED(CONFIG_VFIO_PLATFORM) ?
				    SIM_BOARD_MAX_PDMA : 0,
		.iommu_idr = idr,
		.sid_bits = 8,
	};
	static const char *const names[] = {
		"0000:00:01.0", "0000:00:02.0", "0000:00:03.0", "0000:00:04.0",
		"0000:00:05.0", "0000:00:06.0", "0000:00:07.0", "0000:00:08.0",
	};

	memset(m, 0, sizeof(*m));
	assert_true(sim_board_init(&m->board, &cfg, &error_abort));
	assert_true(page_pool_init(&m->pool,
				   sim_board_ram_ptr(&m->board, SIM_BOARD_RAM_BASE +
						     SIM_M_USER),
				   SIM_BOARD_RAM_BASE + SIM_M_USER, SIM_M_POOL,
				   &error_abort));
	m->iommu = sim_iommu_driver_probe(&m->board.phys, SIM_BOARD_IOMMU_BASE,
					  &m->pool, fmt);
	assert_false(IS_ERR(m->iommu));
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

#if IS_ENABLED(CONFIG_VFIO_CCW)
static inline int sim_sch_start(struct ccw_subchannel *sch, uint32_t cpa,
				struct ccw_status *st)
{
	sim_subchannel_start(sch->opaque, cpa, st);
	return 0;
}

/* n subchannels (0.0.0010, 0.0.0011...) of the board's channel
 * subsystem, each handed out as a vfio-ccw mdev in an emulated group of
 * its own; published by sim_machine_publish() after the PCI functions. */
static inline void sim_machine_add_ccw(struct sim_machine *m, unsigned n)
{
	static const char *const uuids[SIM_M_MAX_SCH] = {
		"6dfd3ec5-e8b3-4e18-a6fe-57bc9eceb920",
		"6dfd3ec5-e8b3-4e18-a6fe-57bc9eceb921",
	};

	assert_true(n <= SIM_M_MAX_SCH);
	m->nsch = n;
	for (unsigned i = 0; i < n; i++) {
		struct ccw_subchannel *sch = &m->schs[i];

		m->sch_hw[i] = sim_subchannel_create(&m->board.phys);
		assert_non_null(m->sch_hw[i]);
		m->sch_devs[i].name = uuids[i];
		m->sch_groups[i].id = SIM_M_SCH_GROUP + (int)i;
		m->sch_groups[i].emulated = true;
		assert_int_equal(iommu_group_add_device(&m->sch_groups[i],
							&m->sch_devs[i]), 0);
		memset(sch, 0, sizeof(*sch));
		sch->dev = &m->sch_devs[i];
		sch->schno = (uint16_t)(0x10 + i);
		sch->start = sim_sch_start;
		sch->opaque = m->sch_hw[i];
		sch->pool = &m->pool;
		vfio_ccw_core_init(sch);
	}
}
#endif

#if IS_ENABLED(CONFIG_VFIO_AP)
/* n empty matrix mdevs on the board's AP bus; assign their adapters and
 * domains (vfio_ap_assign_*) before sim_machine_publish(). */
static inline void sim_machine_add_ap(struct sim_machine *m, unsigned n)
{
	static const char *const uuids[SIM_M_MAX_MATRIX] = {
		"2d8e1b4c-4a5e-4b7f-9d63-0a1b2c3d4e50",
		"2d8e1b4c-4a5e-4b7f-9d63-0a1b2c3d4e51",
	};

	assert_true(n <= SIM_M_MAX_MATRIX);
	memset(&m->ap, 0, sizeof(m->ap));
	bitmap_set_bit(m->ap.adapters, 0x03);
	bitmap_set_bit(m->ap.adapters, 0x05);
	bitmap_set_bit(m->ap.domains, 0x04);
	bitmap_set_bit(m->ap.domains, 0x47);
	bitmap_set_bit(m->ap.domains, 0x50);
	m->nmatrix = n;
	for (unsigned i = 0; i < n; i++) {
		m->matrix_devs[i].name = uuids[i];
		m->matrix_groups[i].id = SIM_M_AP_GROUP + (int)i;
		m->matrix_groups[i].emulated = true;
		assert_int_equal(iommu_group_add_device(&m->matrix_groups[i],
							&m->matrix_devs[i]), 0);
		m->matrices[i].dev = &m->matrix_devs[i];
		vfio_ap_matrix_init(&m->matrices[i], &m->ap);
	}
}
#endif

#if IS_ENABLED(CONFIG_VFIO_PLATFORM)
static inline void sim_pdma_irq(void *opaque)
{
	vfio_platform_irq(opaque, 0);
}

/* n of the board's platform engines as platform devices, each in its
 * own IOMMU group (120, 121), as discovery would find them in the device
 * tree: node /soc/dma@a1x0000, compatible "partita,sim-dma-v1" then
 * "partita,sim-dma", reg = 4 KiB of registers (reached through the bus)
 * and the 32 KiB SRAM (mappable), one level interrupt (SPI 40 + i).
 * Published by sim_machine_publish() after the mdevs; a test may change
 * plats[i].compatible before that. */
static inline void sim_machine_add_platform(struct sim_machine *m, unsigned n)
{
	static const char *const names[SIM_BOARD_MAX_PDMA] = {
		"a100000.dma", "a110000.dma",
	};
	static const char compat[] = "partita,sim-dma-v1\0partita,sim-dma";

	assert_true(n <= SIM_BOARD_MAX_PDMA);
	m->nplat = n;
	for (unsigned i = 0; i < n; i++) {
		struct platform_device *pd = &m->plats[i];
		uint64_t base = SIM_BOARD_PDMA_BASE + i * SIM_BOARD_PDMA_STRIDE;

		m->plat_devs[i].name = names[i];
		m->plat_devs[i].iommu = m->iommu;
		m->plat_devs[i].stream_id = SIM_BOARD_PDMA_SID(i);
		m->plat_groups[i].id = SIM_M_PLAT_GROUP + (int)i;
		assert_int_equal(iommu_group_add_device(&m->plat_groups[i],
							&m->plat_devs[i]), 0);
		memset(pd, 0, sizeof(*pd));
		pd->dev = &m->plat_devs[i];
		memcpy(pd->compatible, compat, sizeof(compat));
		pd->compatible_len = sizeof(compat);
		snprintf(pd->of_path, sizeof(pd->of_path), "/soc/dma@%llx",
			 (unsigned long long)base);
		pd->regions[0] = (struct platform_region){ base, 0x1000, NULL };
		pd->regions[1] = (struct platform_region){
			base + SIM_BOARD_PDMA_SRAM, SIM_BOARD_PDMA_SRAM_SIZE,
			sim_board_pdma_sram_ptr(&m->board, i) };
		pd->nregions = 2;
		pd->irqs[0] = (struct platform_irq){
			.spec = { 0, SIM_BOARD_PDMA_IRQ(i), 4 }, .level = true };
		pd->nirqs = 1;
		pd->bus_as = &m->board.phys;
		vfio_platform_core_init(pd);
		sim_dma_engine_connect_irq(sim_board_pdma(&m->board, i),
					   sim_pdma_irq, pd);
	}
}
#endif

/* The system-call line over the machine: /dev/iommu and every device as
 * /dev/vfio/devices/vfio<i>. */
static inline void sim_machine_init(struct sim_machine *m, unsigned ndev,
				    enum sim_iommu_fmt fmt, bool shared_group)
{
	sim_machine_init_idr(m, ndev, fmt, shared_group, SIM_M_IDR_ALL);
}

static inline void sim_machine_publish(struct sim_machine *m)
{
	m->sys = sys_create(m->umem);
	assert_non_null(m->sys);
	if (IS_ENABLED(CONFIG_IOMMUFD))
		assert_int_equal(iommufd_register(m->sys), 0);
	if (IS_ENABLED(CONFIG_VFIO_TYPE1))
		assert_int_equal(vfio_type1_register(m->sys), 0);
	for (unsigned i = 0; i < m->ndev; i++) {
		sim_func_init(m, i);
		assert_int_equal(vfio_register_device(m->sys, &m->devs[i], i, "pci"), 0);
		/* Each group once (a shared group is devs[0]'s). */
		if (IS_ENABLED(CONFIG_VFIO_TYPE1) &&
		    m->devs[i].group->devices[0] == &m->devs[i])
			assert_int_equal(vfio_type1_publish_group(m->sys,
						m->devs[i].group), 0);
	}
#if IS_ENABLED(CONFIG_VFIO_CCW)
	for (unsigned i = 0; i < m->nsch; i++) {
		char parent[64];

		snprintf(parent, sizeof(parent), "/sys/devices/css0/0.0.%04x",
			 m->schs[i].schno);
		assert_int_equal(vfio_mdev_publish(m->sys, &m->sch_devs[i],
						   m->ndev + i, parent), 0);
		if (IS_ENABLED(CONFIG_VFIO_TYPE1))
			assert_int_equal(vfio_type1_publish_group(m->sys,
						&m->sch_groups[i]), 0);
	}
#endif
#if IS_ENABLED(CONFIG_VFIO_AP)
	for (unsigned i = 0; i < m->nmatrix; i++) {
		unsigned index = m->ndev + i;

#if IS_ENABLED(CONFIG_VFIO_CCW)
		index += m->nsch;
#endif
		assert_int_equal(vfio_ap_publish(m->sys, &m->matrices[i], index), 0);
		if (IS_ENABLED(CONFIG_VFIO_TYPE1))
			assert_int_equal(vfio_type1_publish_group(m->sys,
						&m->matrix_groups[i]), 0);
	}
#endif
#if IS_ENABLED(CONFIG_VFIO_PLATFORM)
	for (unsigned i = 0; i < m->nplat; i++) {
		assert_int_equal(vfio_platform_publish(m->sys, &m->plats[i],
						       SIM_M_PLAT_GROUP + i), 0);
		if (IS_ENABLED(CONFIG_VFIO_TYPE1))
			assert_int_equal(vfio_type1_publish_group(m->sys,
						&m->plat_groups[i]), 0);
	}
#endif
}

static inline void sim_machine_fini(struct sim_machine *m)
{
	sys_destroy(m->sys);
	umem_destroy(m->umem);
	for (unsigned i = 0; i < m->ndev; i++)
		iommu_group_release(&m->groups[i]);
#if IS_ENABLED(CONFIG_VFIO_CCW)
	for (unsigned i = 0; i < m->nsch; i++) {
		iommu_group_release(&m->sch_groups[i]);
		sim_subchannel_destroy(m->sch_hw[i]);
	}
#endif
#if IS_ENABLED(CONFIG_VFIO_AP)
	for (unsigned i = 0; i < m->nmatrix; i++) {
		vfio_ap_matrix_fini(&m->matrices[i]);
		iommu_group_release(&m->matrix_groups[i]);
	}
#endif
#if IS_ENABLED(CONFIG_VFIO_PLATFORM)
	for (unsigned i = 0; i < m->nplat; i++) {
		sim_dma_engine_connect_irq(sim_board_pdma(&m->board, i), NULL, NULL);
		iommu_group_release(&m->plat_groups[i]);
	}
#endif
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
