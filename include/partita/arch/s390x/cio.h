/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * s390x channel-subsystem instructions (Principles of Operation, "I/O
 * Instructions"), for the s390x board and discovery: STORE SUBCHANNEL,
 * MODIFY SUBCHANNEL, START SUBCHANNEL, TEST SUBCHANNEL, CLEAR SUBCHANNEL
 * and TEST PENDING INTERRUPTION, each returning its condition code. The
 * block formats (CCW, ORB words, SCSW bits) are <partita/ccw.h>'s. Only
 * built for s390x.
 */
#ifndef PARTITA_ARCH_S390X_CIO_H
#define PARTITA_ARCH_S390X_CIO_H

#include <partita/ccw.h>
#include <stdbool.h>
#include <stdint.h>

/* Subchannel ids in GR1: bit 15 set, the subchannel set above it. */
#define CIO_SCHID(ssid, schno)  (0x00010000u | (uint32_t)(ssid) << 17 | (schno))

/* The path-management control word, the first 28 bytes of a SCHIB. */
struct pmcw {
	uint32_t intparm;
	uint32_t w1;                 /* isc, enabled, device number ... */
	uint8_t lpm, pnom, lpum, pim;
	uint16_t mbi;
	uint8_t pom, pam;
	uint8_t chpid[8];
	uint32_t w6;                 /* subchannel type ... */
} __attribute__((packed));

#define PMCW_W1_ISC(isc)        ((uint32_t)(isc) << 27)
#define PMCW_W1_ISC_MASK        0x38000000u
#define PMCW_W1_ENABLED         0x00800000u
#define PMCW_W1_DNV             0x00010000u     /* device number valid */
#define PMCW_W1_DEVNO(w)        ((w) & 0xffff)
#define PMCW_W6_TYPE(w)         (((w) >> 21) & 7)
#define PMCW_TYPE_IO            0

struct schib {
	struct pmcw pmcw;
	uint32_t scsw[3];
	uint8_t mda[12];
} __attribute__((packed, aligned(4)));

struct orb {
	uint32_t intparm, w1, cpa;
	uint32_t reserved[5];
} __attribute__((packed, aligned(4)));

struct irb {
	uint32_t scsw[3];
	uint8_t esw[20], ecw[32], emw[32];
} __attribute__((packed, aligned(4)));

_Static_assert(sizeof(struct schib) == 52, "schib");
_Static_assert(sizeof(struct irb) == IRB_SIZE, "irb");

#define CIO_INSN(name, insn, type)                                         \
static inline int name(uint32_t schid, type *blk)                          \
{                                                                           \
	register uint32_t r1 __asm__("1") = schid;                         \
	int cc;                                                             \
                                                                            \
	__asm__ volatile(insn " %[blk]\n\t"                                \
			 "ipm %[cc]\n\t"                                    \
			 "srl %[cc],28"                                     \
			 : [cc] "=d"(cc), [blk] "+Q"(*blk)                  \
			 : "d"(r1) : "cc", "memory");                       \
	return cc;                                                          \
}

CIO_INSN(cio_stsch, "stsch", struct schib)
CIO_INSN(cio_msch, "msch", struct schib)
CIO_INSN(cio_ssch, "ssch", struct orb)
CIO_INSN(cio_tsch, "tsch", struct irb)
#undef CIO_INSN

static inline int cio_csch(uint32_t schid)
{
	register uint32_t r1 __asm__("1") = schid;
	int cc;

	__asm__ volatile("csch\n\tipm %[cc]\n\tsrl %[cc],28"
			 : [cc] "=d"(cc) : "d"(r1) : "cc", "memory");
	return cc;
}

/* TEST PENDING INTERRUPTION into code[0] (subchannel id) and code[1]
 * (interruption parameter): 1 when one of the ISCs CR6 enables was
 * pending (and is now taken), 0 when none. */
static inline int cio_tpi(uint32_t code[2])
{
	int cc;

	__asm__ volatile("tpi %[code]\n\tipm %[cc]\n\tsrl %[cc],28"
			 : [cc] "=d"(cc), [code] "=Q"(*(uint64_t *)code)
			 : : "cc", "memory");
	return cc;
}

/* The one I/O interruption subclass Partita uses. */
#define CIO_ISC 3

/*
 * Run the channel program the ORB names on subchannel schid (enabled
 * with CIO_ISC) and wait for its primary status, at most timeout_ns
 * (arch/s390x/cio.c): 0 with the IRB stored; -EBUSY (cc 1/2 of SSCH),
 * -ENODEV (not operational) or -ETIMEDOUT (the subchannel is cleared).
 */
int s390x_cio_run(uint32_t schid, const struct orb *orb, struct irb *irb,
		  uint64_t timeout_ns);
/* Enable (with CIO_ISC) or disable schid: 0, or -ENODEV/-EBUSY/-EIO. */
int s390x_cio_enable(uint32_t schid, bool enable);

#endif
