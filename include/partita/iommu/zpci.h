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
/* Deregister every function; domains must be gone. Logs what the driver
 * did (zpci_iommu_stats) on the way out. */
void zpci_iommu_remove(struct iommu_device *iommu);

/* A blocked DMA: the function went to the error state and said so in a
 * PCI error event. */
struct zpci_fault {
	uint32_t fid;
	uint64_t addr;                   /* the DMA address that failed */
	uint16_t code;                   /* the PCI error code (pec) */
};

/* The PCI error events since the last call (at most max kept; the rest
 * are counted lost), each function named in one recovered (MPCIFC reset
 * error) so it works again; its device must be set up again, as after a
 * reset. Logged at debug level. */
unsigned zpci_iommu_read_faults(struct iommu_device *iommu,
				struct zpci_fault *out, unsigned max);
/* "E_OUT_OF_RANGE", "E_TRANSLATION", ... */
const char *zpci_error_name(uint16_t code);

/* What the driver did, for the boot report and benchmarks. */
struct zpci_iommu_stats {
	unsigned long rpcits;            /* REFRESH PCI TRANSLATIONS issued */
	unsigned long registrations;     /* translation tables registered */
	unsigned long faults, recoveries;
	unsigned long maps, unmaps;      /* ranges made valid / invalid */
	unsigned long long pte_writes;   /* table entries of freed domains */
};
void zpci_iommu_stats(const struct iommu_device *iommu,
		      struct zpci_iommu_stats *st);

#endif
