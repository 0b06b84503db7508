/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Arm SMMUv3 driver (drivers/iommu/hw/smmu-v3): stage 1 translation
 * with one context descriptor per domain, a linear stream table in which
 * every stream starts aborted (deny by default), the command queue for
 * configuration and TLB invalidation, and the event queue read for
 * faults. The register frame is reached by the CPU's own loads and
 * stores (an identity-mapped firmware).
 */
#ifndef PARTITA_IOMMU_SMMU_V3_H
#define PARTITA_IOMMU_SMMU_V3_H

#include <partita/error.h>
#include <stdbool.h>
#include <stdint.h>

struct iommu_device;
struct page_pool;

/* A fault the SMMU recorded (an event queue entry). */
struct smmu_v3_fault {
	uint8_t type;                /* SMMU_EVT_* (0x10 F_TRANSLATION...) */
	uint32_t sid;
	uint64_t addr;               /* the input address, for F_* events */
	bool read;
};

/* Take over the SMMU at base (physical = virtual): stream table, queues
 * and tables from pool. Below the system-call line, so ERR_PTR(-errno)
 * when it cannot: -ENODEV when the unit cannot do what the driver needs
 * (AArch64 stage-1 tables, 4 KiB granule, linear stream table) or does
 * not answer, -ENOMEM; the driver warns with the cause, as Linux's do. */
struct iommu_device *smmu_v3_probe(uint64_t base, struct page_pool *pool);
/* Disable the unit and give its tables back; domains must be gone. */
void smmu_v3_remove(struct iommu_device *iommu);

/* The events recorded since the last call, oldest first, at most max
 * (the rest stay for the next call; an overflow of the queue is
 * acknowledged, the lost ones gone). Logged at debug level only: one
 * faulting transfer can record hundreds. */
unsigned smmu_v3_read_faults(struct iommu_device *iommu,
			     struct smmu_v3_fault *out, unsigned max);
/* "F_TRANSLATION", "C_BAD_STE", ... */
const char *smmu_v3_event_name(uint8_t type);

#endif
