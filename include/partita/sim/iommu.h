/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The simulated IOMMU unit of the host board (a hardware model; its
 * programming interface is <partita/hw/sim-iommu.h>). Devices of the board
 * send every DMA through it; tests read what it recorded.
 */
#ifndef PARTITA_SIM_IOMMU_H
#define PARTITA_SIM_IOMMU_H

#include <partita/memory.h>
#include <stdbool.h>
#include <stdint.h>

struct sim_iommu;

enum sim_fault_reason {
	SIM_FAULT_NONE,         /* (a walk that succeeded) */
	SIM_FAULT_DISABLED,     /* unit off: no DMA at all */
	SIM_FAULT_BAD_STREAM,   /* sid out of range or STE not valid */
	SIM_FAULT_ABORT,        /* STE says abort (blocked device) */
	SIM_FAULT_TRANSLATION,  /* no valid leaf */
	SIM_FAULT_PERMISSION,   /* write to read-only, or read not allowed */
	SIM_FAULT_ADDRESS_SIZE, /* iova beyond the table's input size */
	SIM_FAULT_WALK,         /* a table read hit nothing (bad pointer) */
};

struct sim_fault {
	uint32_t sid;
	uint64_t iova;
	bool write;
	enum sim_fault_reason reason;
};

struct sim_iommu_stats {
	uint64_t walks;        /* page-table walks */
	uint64_t tlb_hits;
	uint64_t dirty_marks;  /* leaves made dirty (DBM) */
};

/* A unit with capabilities idr (SIM_IOMMU_IDR_*) and 2^sid_bits streams
 * that reads tables from and moves data through mem (physical memory).
 * NULL when out of memory. */
struct sim_iommu *sim_iommu_create(MemoryContext *ctx, AddressSpace *mem,
				   uint64_t idr, unsigned sid_bits);
void sim_iommu_destroy(struct sim_iommu *iommu);
/* Its register frame, for the board to place in the physical map. */
MemoryRegion *sim_iommu_mmio(struct sim_iommu *iommu);

/* One DMA access of len bytes at iova by stream sid: translate page by
 * page and move the data. On a fault, records it and returns false; the
 * bytes before the faulting page have moved (as on hardware). */
bool sim_iommu_dma(struct sim_iommu *iommu, uint32_t sid, uint64_t iova,
		   void *buf, uint64_t len, bool write);

/* Faults recorded since the last clear, oldest first (up to max). */
size_t sim_iommu_faults(const struct sim_iommu *iommu, struct sim_fault *out,
			size_t max);
void sim_iommu_clear_faults(struct sim_iommu *iommu);
struct sim_iommu_stats sim_iommu_stats(const struct sim_iommu *iommu);

#endif
