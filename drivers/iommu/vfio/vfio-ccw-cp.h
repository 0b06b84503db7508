/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Channel-program translation for vfio-ccw (Linux's vfio_ccw_cp.c): a
 * user's program, whose addresses are IOVAs, becomes one the channel can
 * run, whose addresses are physical and pinned. Every data transfer goes
 * through an IDAL the driver writes (one IDAW per page), so pages need
 * not be contiguous; TICs are followed, and one that returns to a CCW
 * already translated points at its copy, so loops stay loops.
 */
#ifndef VFIO_CCW_CP_H
#define VFIO_CCW_CP_H

#include <partita/iommu/vfio/vfio-ccw-ops.h>
#include <stddef.h>

struct ccw_cp_pin {
	uint64_t iova;
	size_t npage;
};

struct ccw_cp {
	struct device *dev;
	struct page_pool *pool;
	uint8_t *block;                 /* translated CCWs, then IDALs */
	uint64_t block_pa;
	size_t idal_used;               /* bytes of the IDAL area used */
	uint32_t guest[VFIO_CCW_MAX_CCWS];   /* user address of each CCW */
	unsigned nccw;
	struct ccw_cp_pin *pins;
	size_t npins, pins_cap;
	bool one_idaw_block;            /* CCW_CP_ONE_IDAW_BLOCK */
};

/* ccw_cp_translate flags: refuse (-ERANGE) a CCW whose data would
 * need more than one 4 KiB IDAW block (QEMU 7.2 corrupts those). */
#define CCW_CP_ONE_IDAW_BLOCK (1u << 0)

/* Translate the program at cpa (an IOVA) for an ORB with flags orb_w1.
 * On success *cpa_pa is the translated program's address, its pages
 * are pinned until ccw_cp_free. On failure nothing is held: -EFAULT for
 * an address the user's space does not map (or maps read-only where the
 * channel writes), -EINVAL for a malformed program (a data CCW with count
 * 0, a misaligned IDAW, more than VFIO_CCW_MAX_CCWS), -EOPNOTSUPP for
 * format-0 CCWs, format-1 IDAWs or MIDAs, -ERANGE (CCW_CP_ONE_IDAW_BLOCK)
 * for a transfer across an IDAW block, -ENOMEM. */
int ccw_cp_translate(struct ccw_cp *cp, struct device *dev,
		     struct page_pool *pool, uint32_t orb_w1, uint32_t cpa,
		     unsigned flags, uint32_t *cpa_pa);
/* The user's address for a CCW address the channel reported. */
uint32_t ccw_cp_guest_cpa(const struct ccw_cp *cp, uint32_t cpa_pa);
void ccw_cp_free(struct ccw_cp *cp);

#endif
