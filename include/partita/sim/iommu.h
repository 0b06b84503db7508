/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The simulated IOMMU of the host board, all of it in one place:
 *  1. its programming interface, the "data sheet" the hardware model
 *     (arch/host/sim/iommu.c) and the driver (drivers/iommu/hw/sim/)
 *     share and nothing else;
 *  2. the hardware model: devices of the board send every DMA through
 *     it; tests read what it recorded;
 *  3. the driver's entry points, which the board calls to take the unit
 *     over.
 */
#ifndef PARTITA_SIM_IOMMU_H
#define PARTITA_SIM_IOMMU_H

#include <partita/mm/memory.h>
#include <stdbool.h>
#include <stdint.h>

struct iommu_device;
struct page_pool;

/* ---- 1. the programming interface --------------------------------------- */
/*
 * A 4 KiB register frame; a stream table in memory with one 32-byte
 * entry (STE, four little-endian u64) per stream id. The unit walks the
 * page tables an STE points at, in any of the three formats Partita
 * builds (Arm LPAE stage 1 or 2, s390 zPCI DAT), caches translations in
 * an IOTLB that only commands invalidate, records faults, and with HD
 * marks stage-1 pages dirty the DBM way. Disabled, or for an invalid or
 * aborting STE, DMA is refused: there is no default bypass.
 */

#define SIM_IOMMU_REG_IDR          0x00   /* RO: capabilities */
#define   SIM_IOMMU_IDR_LPAE_S1    (1ULL << 0)
#define   SIM_IOMMU_IDR_LPAE_S2    (1ULL << 1)
#define   SIM_IOMMU_IDR_ZPCI       (1ULL << 2)
#define   SIM_IOMMU_IDR_HD         (1ULL << 3)
#define   SIM_IOMMU_IDR_SID_BITS(idr) (((idr) >> 8) & 0xff)
#define SIM_IOMMU_REG_CTRL         0x08   /* RW: bit 0 enable */
#define   SIM_IOMMU_CTRL_EN        (1ULL << 0)
#define SIM_IOMMU_REG_STRTAB       0x10   /* RW: stream table base (PA) */
#define SIM_IOMMU_REG_ARG0         0x18   /* RW: command argument */
#define SIM_IOMMU_REG_ARG1         0x20   /* RW: command argument */
#define SIM_IOMMU_REG_CMD          0x28   /* WO: runs a command at once */
#define   SIM_IOMMU_CMD_CFGI_STE   1      /* ARG0 = sid: re-read its STE */
#define   SIM_IOMMU_CMD_TLBI_ALL   2
#define   SIM_IOMMU_CMD_TLBI_TAG   3      /* ARG0 = tag */
#define   SIM_IOMMU_CMD_TLBI_RANGE 4      /* ARG0 = tag, ARG1 = iova;
					     * CMD bits 63:8 = pages */
#define SIM_IOMMU_REG_FAULTS       0x30   /* RO: faults recorded so far */
#define SIM_IOMMU_MMIO_SIZE        0x1000

#define SIM_STE_SIZE               32
/* STE word 0 */
#define SIM_STE0_VALID             (1ULL << 0)
#define SIM_STE0_CFG_SHIFT         1      /* 2 bits */
#define   SIM_STE_CFG_ABORT        0ULL
#define   SIM_STE_CFG_BYPASS       1ULL
#define   SIM_STE_CFG_TRANSLATE    2ULL
#define SIM_STE0_FMT_SHIFT         3      /* 2 bits */
#define   SIM_STE_FMT_LPAE_S1      0ULL
#define   SIM_STE_FMT_LPAE_S2      1ULL
#define   SIM_STE_FMT_ZPCI         2ULL
#define SIM_STE0_HD                (1ULL << 5)
#define SIM_STE0_TAG_SHIFT         16     /* 16 bits: TLB tag (domain) */
/* STE word 1: root table (TTBR, VTTBR or IOTA); word 2: TCR/VTCR, whose
 * low 6 bits (T0SZ) give the input size for LPAE; word 3: zero. */

/* ---- 2. the hardware model ----------------------------------------------- */

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

/* ---- 3. the driver (drivers/iommu/hw/sim/) ------------------------------- */

/* Which table format the driver builds for its domains. */
enum sim_iommu_fmt {
	SIM_IOMMU_FMT_LPAE_S1,   /* dirty tracking when the unit has HD */
	SIM_IOMMU_FMT_LPAE_S2,
	SIM_IOMMU_FMT_ZPCI,
};

/* Take over the unit at base on bus: stream table made, every stream
 * blocked, unit enabled. ERR_PTR(-ENODEV) when the unit lacks the
 * format, ERR_PTR(-ENOMEM). */
struct iommu_device *sim_iommu_driver_probe(AddressSpace *bus, uint64_t base,
					    struct page_pool *pool,
					    enum sim_iommu_fmt fmt);
/* Disable the unit and free the stream table; domains must be gone. */
void sim_iommu_driver_remove(struct iommu_device *iommu);

#endif
