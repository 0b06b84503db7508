/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The simulated IOMMU's programming interface: its "data sheet". The
 * hardware model (arch/host/sim/iommu.c) and the driver
 * (drivers/iommu/hw/sim/) share this and nothing else.
 *
 * A 4 KiB register frame; a stream table in memory with one 32-byte
 * entry (STE, four little-endian u64) per stream id. The unit walks the
 * page tables an STE points at, in any of the three formats Partita
 * builds (Arm LPAE stage 1 or 2, s390 zPCI DAT), caches translations in
 * an IOTLB that only commands invalidate, records faults, and with HD
 * marks stage-1 pages dirty the DBM way. Disabled, or for an invalid or
 * aborting STE, DMA is refused: there is no default bypass.
 */
#ifndef PARTITA_HW_SIM_IOMMU_H
#define PARTITA_HW_SIM_IOMMU_H

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

#endif
