/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The driver of the simulated IOMMU (drivers/iommu/hw/sim): found at a
 * register frame on the board's bus, it keeps its stream table and every
 * domain's page tables in pages of pool, which the unit reads.
 */
#ifndef PARTITA_IOMMU_SIM_H
#define PARTITA_IOMMU_SIM_H

#include <partita/iommu.h>
#include <partita/memory.h>

struct page_pool;

/* Which table format the driver builds for its domains. */
enum sim_iommu_fmt {
	SIM_IOMMU_FMT_LPAE_S1,   /* dirty tracking when the unit has HD */
	SIM_IOMMU_FMT_LPAE_S2,
	SIM_IOMMU_FMT_ZPCI,
};

/* Take over the unit at base on bus: stream table made, every stream
 * blocked, unit enabled. NULL with *err = -ENODEV (the unit lacks the
 * format), -ENOMEM. */
struct iommu_device *sim_iommu_driver_probe(AddressSpace *bus, uint64_t base,
					    struct page_pool *pool,
					    enum sim_iommu_fmt fmt, int *err);
/* Disable the unit and free the stream table; domains must be gone. */
void sim_iommu_driver_remove(struct iommu_device *iommu);

#endif
