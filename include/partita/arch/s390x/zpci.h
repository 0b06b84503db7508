/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * s390x zPCI instructions and blocks (Linux's arch/s390/include/asm/
 * clp.h, pci_clp.h and pci_insn.h, QEMU's hw/s390x/s390-pci-*.h give the
 * layouts; the code is Partita's), for zPCI discovery and the zPCI IOMMU
 * driver: CALL LOGICAL PROCESSOR with the PCI commands, PCI LOAD and
 * PCI STORE (config space and BARs: MIO is off, so there is no MMIO),
 * MODIFY and STORE PCI FUNCTION CONTROLS, REFRESH PCI TRANSLATIONS.
 * Each returns its condition code; the PCI instructions' status byte
 * comes back through *status. Only built for s390x; check facility 69
 * (<partita/arch/s390x/facility.h>) first.
 */
#ifndef PARTITA_ARCH_S390X_ZPCI_H
#define PARTITA_ARCH_S390X_ZPCI_H

#include <stdint.h>
#include <string.h>

/* ---- CLP ------------------------------------------------------------- */

#define CLP_BLOCK_SIZE          4096    /* request at +0, response after it */
#define CLP_REQUEST_LEN         32      /* every PCI request */
#define CLP_LIST_PCI            0x0002
#define CLP_QUERY_PCI_FN        0x0003
#define CLP_QUERY_PCI_FNGRP     0x0004
#define CLP_SET_PCI_FN          0x0005
#define CLP_RC_OK               0x0010
#define CLP_SET_ENABLE          0
#define CLP_SET_DISABLE         1

struct clp_req {
	uint16_t len, cmd;
	uint32_t fmt;
	uint64_t reserved1;
	union {
		uint64_t resume_token;          /* list */
		struct {
			uint32_t fh;            /* query, set */
			uint16_t reserved2;
			uint8_t oc, ndas;       /* set: operation, DMA spaces */
		};
		uint32_t pfgid;                 /* query group: low byte */
	};
	uint64_t reserved3;
} __attribute__((packed));

struct clp_fh_entry {
	uint16_t device, vendor;
	uint32_t config;                        /* bit 31: configured */
	uint32_t fid, fh;
} __attribute__((packed));

#define CLP_FH_CONFIGURED       0x80000000u
#define CLP_FH_ENABLED          0x80000000u     /* in the handle itself */

struct clp_rsp_list {
	uint16_t len, rsp;
	uint32_t fmt;
	uint64_t reserved1;
	uint64_t resume_token;
	uint32_t mdd;
	uint16_t max_fn;
	uint8_t flags, entry_size;
	struct clp_fh_entry fh[];
} __attribute__((packed));

struct clp_rsp_query {
	uint16_t len, rsp;
	uint32_t fmt;
	uint64_t reserved1;
	uint16_t vfn;
	uint8_t flags, pfgid;
	uint32_t fid;
	uint8_t bar_size[6];                    /* log2, 0: none */
	uint16_t pchid;
	uint32_t bar[6];
	uint8_t pfip[4];
	uint16_t reserved2;
	uint8_t fmbl, pft;
	uint64_t sdma, edma;                    /* the DMA window, inclusive */
	uint32_t reserved3[11];
	uint32_t uid;
	uint8_t util[64];
} __attribute__((packed));

struct clp_rsp_query_group {
	uint16_t len, rsp;
	uint32_t fmt;
	uint64_t reserved1;
	uint16_t noi;                           /* low 12 bits */
	uint8_t version, fr;
	uint16_t maxstbl, mui;
	uint64_t reserved3;
	uint64_t dasm, msia;
	uint64_t reserved4, reserved5;
} __attribute__((packed));

struct clp_rsp_set {
	uint16_t len, rsp;
	uint32_t fmt;
	uint64_t reserved1;
	uint32_t fh;
	uint32_t reserved2;
	uint64_t reserved3;
} __attribute__((packed));

_Static_assert(sizeof(struct clp_req) == CLP_REQUEST_LEN, "clp_req");
_Static_assert(sizeof(struct clp_rsp_list) == 32, "clp_rsp_list");
_Static_assert(__builtin_offsetof(struct clp_rsp_query, sdma) == 64, "sdma");
_Static_assert(__builtin_offsetof(struct clp_rsp_query, uid) == 124, "uid");

/* The block at blk (CLP_BLOCK_SIZE, page aligned): request filled in,
 * the response's len set to the room it has. */
static inline int clp_call(void *blk)
{
	uint64_t ignored;
	int cc;

	__asm__ volatile(".insn rrf,0xb9a00000,%[ign],%[blk],0,2\n\t"
			 "ipm %[cc]\n\t"
			 "srl %[cc],28"
			 : [cc] "=d"(cc), [ign] "=d"(ignored)
			 : [blk] "a"(blk) : "cc", "memory");
	return cc;
}

/* The response of the last request in blk. */
static inline void *clp_response(void *blk)
{
	return (uint8_t *)blk + CLP_REQUEST_LEN;
}

/* One PCI command in blk: arg is the resume token (List), the function
 * group (Query Group) or the function handle (Query, Set, with oc the
 * operation). The response code, or 0 when CLP refused the block. */
static inline uint16_t clp_pci(void *blk, uint16_t cmd, uint64_t arg,
			       uint8_t oc)
{
	struct clp_req *req = blk;
	struct clp_rsp_list *rsp = clp_response(blk);

	memset(blk, 0, CLP_BLOCK_SIZE);
	req->len = CLP_REQUEST_LEN;
	req->cmd = cmd;
	if (cmd == CLP_LIST_PCI) {
		req->resume_token = arg;
	} else if (cmd == CLP_QUERY_PCI_FNGRP) {
		req->pfgid = (uint32_t)arg;
	} else {
		req->fh = (uint32_t)arg;
		req->oc = oc;
		req->ndas = cmd == CLP_SET_PCI_FN && oc == CLP_SET_ENABLE;
	}
	rsp->len = CLP_BLOCK_SIZE - CLP_REQUEST_LEN;
	return clp_call(blk) ? 0 : rsp->rsp;
}

/* A List response's entries (their size is the response's to say). */
static inline unsigned clp_list_count(const struct clp_rsp_list *rsp)
{
	unsigned size = rsp->entry_size ? rsp->entry_size :
			sizeof(struct clp_fh_entry);

	return rsp->len > sizeof(*rsp) ? (rsp->len - sizeof(*rsp)) / size : 0;
}

static inline const struct clp_fh_entry *
clp_list_entry(const struct clp_rsp_list *rsp, unsigned i)
{
	unsigned size = rsp->entry_size ? rsp->entry_size :
			sizeof(struct clp_fh_entry);

	return (const void *)((const uint8_t *)rsp->fh + i * size);
}

/* ---- PCI load/store -------------------------------------------------- */

#define ZPCI_SPACE_CONFIG       15      /* 0..5: BAR n */

static inline uint64_t zpci_req(uint32_t fh, unsigned space, unsigned len)
{
	return (uint64_t)fh << 32 | (uint64_t)space << 16 | len;
}

/* len bytes at off: *data holds them as the big-endian image of the
 * bytes the device has there (the device is little-endian: swap). */
static inline int zpci_load(uint64_t *data, uint64_t req, uint64_t off,
			    uint8_t *status)
{
	register uint64_t even __asm__("2") = req;
	register uint64_t odd __asm__("3") = off;
	uint64_t v = 0;
	int cc;

	__asm__ volatile(".insn rre,0xb9d20000,%[v],%[even]\n\t"
			 "ipm %[cc]\n\t"
			 "srl %[cc],28"
			 : [cc] "=d"(cc), [v] "+d"(v), [even] "+d"(even)
			 : "d"(odd) : "cc", "memory");
	*data = v;
	*status = (uint8_t)(even >> 24);
	return cc;
}

static inline int zpci_store(uint64_t data, uint64_t req, uint64_t off,
			     uint8_t *status)
{
	register uint64_t even __asm__("2") = req;
	register uint64_t odd __asm__("3") = off;
	int cc;

	__asm__ volatile(".insn rre,0xb9d00000,%[v],%[even]\n\t"
			 "ipm %[cc]\n\t"
			 "srl %[cc],28"
			 : [cc] "=d"(cc), [even] "+d"(even)
			 : [v] "d"(data), "d"(odd) : "cc", "memory");
	*status = (uint8_t)(even >> 24);
	return cc;
}

/* ---- function controls and translation ------------------------------ */

/* The function information block MPCIFC reads and STPCIFC writes. */
struct zpci_fib {
	uint32_t fmt;
	uint32_t reserved0;
	uint8_t fc;                             /* ZPCI_FC_* (STPCIFC) */
	uint8_t reserved1[7];
	uint64_t pba, pal;                      /* the DMA window, inclusive */
	uint64_t iota;
	uint32_t irq;                           /* isc, noi, aibv offset, sum ... */
	uint32_t reserved2;
	uint64_t aibv, aisb;
	uint64_t fmb;
	uint64_t reserved3;
} __attribute__((packed, aligned(8)));

#define ZPCI_MOD_REG_IOAT       4
#define ZPCI_MOD_DEREG_IOAT     5
#define ZPCI_MOD_RESET_ERROR    7
#define ZPCI_FC_ENABLED         0x80    /* STPCIFC fc ... */
#define ZPCI_FC_BLOCKED         0x40    /* loads, stores and DMA blocked */
#define ZPCI_FC_ERROR           0x20    /* in the error state */
#define ZPCI_FC_REGISTERED      0x10    /* DMA translation registered */
#define ZPCI_IOTA_STO_R3        0x4     /* region-third table origin */
#define ZPCI_IOTA_FLAG_VALID    0x800

static inline uint64_t zpci_fc_req(uint32_t fh, unsigned dmaas, unsigned op)
{
	return (uint64_t)fh << 32 | (uint64_t)dmaas << 16 | op;
}

static inline int zpci_mpcifc(uint64_t req, const struct zpci_fib *fib,
			      uint8_t *status)
{
	int cc;

	__asm__ volatile(".insn rxy,0xe300000000d0,%[req],%[fib]\n\t"
			 "ipm %[cc]\n\t"
			 "srl %[cc],28"
			 : [cc] "=d"(cc), [req] "+d"(req)
			 : [fib] "Q"(*fib) : "cc", "memory");
	*status = (uint8_t)(req >> 24);
	return cc;
}

static inline int zpci_stpcifc(uint64_t req, struct zpci_fib *fib,
			       uint8_t *status)
{
	int cc;

	__asm__ volatile(".insn rxy,0xe300000000d4,%[req],%[fib]\n\t"
			 "ipm %[cc]\n\t"
			 "srl %[cc],28"
			 : [cc] "=d"(cc), [req] "+d"(req), [fib] "=Q"(*fib)
			 : : "cc", "memory");
	*status = (uint8_t)(req >> 24);
	return cc;
}

/* ---- events: a function in error reports through the channel
 * subsystem (a channel report word, then CHSC Store Event Information) */

#define CHSC_BLOCK_SIZE         4096    /* page aligned */
#define CHSC_SEI                0x000e
#define CHSC_SEI_REQ_LEN        0x10
#define CHSC_SEI_NT2_MASK       (1ULL << 61)    /* PCI events */
#define CHSC_RSP_OK             0x0001
#define CHSC_SEI_MORE           0x80            /* response +8 */
#define CHSC_SEI_PCI_ERROR      1               /* nt 2, cc 1 */

/* A PCI error event's content-code-dependent field (response +64). */
struct chsc_pci_error {
	uint32_t reserved1;
	uint32_t fh, fid;
	uint32_t e;
	uint64_t faddr;                         /* the failing DMA address */
	uint32_t reserved2;
	uint16_t reserved3;
	uint16_t pec;                           /* PCI error code */
} __attribute__((packed));

static inline int chsc_call(void *blk)
{
	int cc;

	__asm__ volatile(".insn rre,0xb25f0000,%[blk],0\n\t"
			 "ipm %[cc]\n\t"
			 "srl %[cc],28"
			 : [cc] "=d"(cc) : [blk] "d"(blk) : "cc", "memory");
	return cc;
}

/* STORE CHANNEL REPORT WORD: 0 with one stored, 1 when none is pending. */
static inline int stcrw(uint32_t *crw)
{
	int cc;

	__asm__ volatile("stcrw %[crw]\n\t"
			 "ipm %[cc]\n\t"
			 "srl %[cc],28"
			 : [cc] "=d"(cc), [crw] "=Q"(*crw) : : "cc", "memory");
	return cc;
}

/* REFRESH PCI TRANSLATIONS for [start, start + len) of function fh. */
static inline int zpci_rpcit(uint32_t fh, uint64_t start, uint64_t len,
			     uint8_t *status)
{
	register uint64_t even __asm__("2") = start;
	register uint64_t odd __asm__("3") = len;
	uint64_t fn = (uint64_t)fh << 32;
	int cc;

	__asm__ volatile(".insn rre,0xb9d30000,%[fn],%[even]\n\t"
			 "ipm %[cc]\n\t"
			 "srl %[cc],28"
			 : [cc] "=d"(cc), [fn] "+d"(fn)
			 : [even] "d"(even), "d"(odd) : "cc", "memory");
	*status = (uint8_t)(fn >> 24);
	return cc;
}

#endif
