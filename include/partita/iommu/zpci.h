/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The s390 zPCI IOMMU driver (drivers/iommu/hw/zpci): every zPCI
 * function translates its DMA through tables registered for it (MODIFY
 * PCI FUNCTION CONTROLS), in the s390 DAT format of the page-table layer.
 * A domain is one such table tree; attaching a function registers it
 * with the function's DMA window as its bounds, blocking deregisters it
 * (an unregistered function's DMA is refused: deny by default). The
 * machine uses only translations it was told of, so every map and every
 * unmap is followed by one REFRESH PCI TRANSLATIONS over the range, for
 * each function attached. Functions are known by their fid (the
 * device's stream id), their handles looked up with CLP.
 */
#ifndef PARTITA_IOMMU_ZPCI_H
#define PARTITA_IOMMU_ZPCI_H

#include <stdint.h>

struct iommu_device;
struct page_pool;

/* The driver, its tables from pool: ERR_PTR(-ENODEV) when the machine
 * has no zPCI facility (STFLE bit 69), which it says; -ENOMEM. */
struct iommu_device *zpci_iommu_probe(struct page_pool *pool);
/* Deregister every function; domains must be gone. */
void zpci_iommu_remove(struct iommu_device *iommu);

/* What the driver did, for the boot report and benchmarks. */
struct zpci_iommu_stats {
	unsigned long rpcits;            /* REFRESH PCI TRANSLATIONS issued */
	unsigned long registrations;     /* translation tables registered */
};
void zpci_iommu_stats(const struct iommu_device *iommu,
		      struct zpci_iommu_stats *st);

#endif
