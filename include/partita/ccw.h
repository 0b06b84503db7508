/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * s390 channel I/O as the architecture defines it (z/Architecture
 * Principles of Operation, chapters 13-16), the parts Partita uses:
 * format-1 CCWs, format-2 IDAWs, the command-mode ORB and the SCSW. All
 * big-endian in storage; these helpers read and write bytes, so they work
 * on any host.
 *
 * Channel I/O has no IOMMU: a channel program's addresses are absolute.
 * Isolation therefore lives in the vfio-ccw driver, which translates each
 * address of a partition's program through that partition's IO address
 * space before the channel sees it (drivers/iommu/vfio/vfio-ccw-cp.c).
 */
#ifndef PARTITA_CCW_H
#define PARTITA_CCW_H

#include <stdint.h>

/* Format-1 CCW: command, flags, count, 31-bit data address. */
#define CCW_SIZE            8
#define CCW_CMD_WRITE       0x01
#define CCW_CMD_READ        0x02
#define CCW_CMD_NOOP        0x03
#define CCW_CMD_TIC         0x08     /* low four bits; the rest ignored */
#define CCW_FLAG_CD         0x80     /* data chaining */
#define CCW_FLAG_CC         0x40     /* command chaining */
#define CCW_FLAG_SLI        0x20     /* suppress incorrect length */
#define CCW_FLAG_SKIP       0x10     /* no transfer to storage */
#define CCW_FLAG_PCI        0x08
#define CCW_FLAG_IDA        0x04     /* data address names an IDAL */
#define CCW_FLAG_SUSPEND    0x02
#define CCW_FLAG_MIDA       0x01
#define CCW_ADDR_LIMIT      0x80000000ULL   /* 31-bit addresses */

/* Format-2 IDAW: a 64-bit address; blocks end on 4 KiB boundaries, and
 * every IDAW but the first must start on one. */
#define IDAW_SIZE           8
#define IDAW_BLOCK          4096u

struct ccw1 {
	uint8_t cmd, flags;
	uint16_t count;
	uint32_t cda;
};

static inline uint32_t ccw_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void ccw_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static inline uint64_t ccw_get_be64(const uint8_t *p)
{
	return (uint64_t)ccw_get_be32(p) << 32 | ccw_get_be32(p + 4);
}

static inline void ccw_put_be64(uint8_t *p, uint64_t v)
{
	ccw_put_be32(p, v >> 32);
	ccw_put_be32(p + 4, (uint32_t)v);
}

static inline struct ccw1 ccw_decode(const uint8_t b[CCW_SIZE])
{
	return (struct ccw1){ b[0], b[1], (uint16_t)(b[2] << 8 | b[3]),
			      ccw_get_be32(b + 4) };
}

static inline void ccw_encode(uint8_t b[CCW_SIZE], struct ccw1 c)
{
	b[0] = c.cmd;
	b[1] = c.flags;
	b[2] = c.count >> 8;
	b[3] = (uint8_t)c.count;
	ccw_put_be32(b + 4, c.cda);
}

static inline int ccw_is_tic(uint8_t cmd)
{
	return (cmd & 0x0f) == CCW_CMD_TIC;
}

/* Command-mode ORB, the 12 bytes vfio-ccw's I/O region carries: word 0
 * the interruption parameter, word 1 the flags, word 2 the channel
 * program address. */
#define ORB_SIZE            12
#define ORB_W1_FMT          0x00800000u   /* format-1 CCWs */
#define ORB_W1_PFCH         0x00400000u   /* prefetch allowed */
#define ORB_W1_C64          0x00020000u   /* format-2 (64-bit) IDAWs */
#define ORB_W1_LPM(w)       (((w) >> 8) & 0xff)

/* SCSW (12 bytes): word 0 flags and controls, word 1 the CCW address,
 * word 2 device status, subchannel status and residual count. */
#define SCSW_SIZE           12
#define SCSW_W0_CC(w)       (((w) >> 24) & 3)
#define SCSW_FCTL_START     0x00004000u
#define SCSW_FCTL_HALT      0x00002000u
#define SCSW_FCTL_CLEAR     0x00001000u
#define SCSW_STCTL_ALERT    0x00000010u
#define SCSW_STCTL_PRIMARY  0x00000004u
#define SCSW_STCTL_SECONDARY 0x00000002u
#define SCSW_STCTL_PENDING  0x00000001u
#define DEV_STAT_CHN_END    0x08
#define DEV_STAT_DEV_END    0x04
#define DEV_STAT_UNIT_CHECK 0x02
#define DEV_STAT_UNIT_EXCEP 0x01
#define SCH_STAT_INCORR_LEN 0x40
#define SCH_STAT_PROG_CHECK 0x20
#define SCH_STAT_PROT_CHECK 0x10
#define SCH_STAT_CHN_DATA_CHK 0x08

/* IRB: the SCSW, then the extended status and control words. */
#define IRB_SIZE            96

/* What a subchannel reports when a start function ends. */
struct ccw_status {
	uint32_t cpa;           /* address of the last CCW executed + 8 */
	uint8_t dstat, cstat;   /* device and subchannel status */
	uint16_t count;         /* residual count */
};

#endif
