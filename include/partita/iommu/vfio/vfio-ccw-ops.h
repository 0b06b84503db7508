/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vfio-ccw bus driver, the "kernel" side (Linux's vfio_ccw): a
 * subchannel handed to a user as a mediated device. Its device file has
 * one region, the I/O region (struct ccw_io_region): the user writes an
 * ORB and an SCSW asking for the start function; the driver translates
 * the channel program through the IO address space the device file is
 * bound to (an iommufd IOAS or a type1 container), runs it, and puts the
 * interruption response block in the region before the write returns.
 *
 * Translation is the isolation of channel I/O: every CCW, IDAW and data
 * address is an IOVA of the user's address space; each is looked up and
 * pinned, and a program naming anything that space does not map is
 * refused (-EFAULT) before the channel sees it. Formats: format-1 CCWs,
 * format-2 IDAWs (ORB c64); a program of at most VFIO_CCW_MAX_CCWS.
 */
#ifndef PARTITA_IOMMU_VFIO_VFIO_CCW_OPS_H
#define PARTITA_IOMMU_VFIO_VFIO_CCW_OPS_H

#include <partita/ccw.h>
#include <partita/iommu/iommu.h>
#include <partita/iommu/vfio/vfio-main.h>
#include <uapi/linux/vfio_ccw.h>

#define VFIO_CCW_MAX_CCWS 256

struct page_pool;

struct ccw_subchannel {
	struct device *dev;          /* the mdev; dev->name is its UUID */
	struct vfio_core_device vdev;       /* its VFIO side, once bound */
	uint8_t cssid, ssid;
	uint16_t schno;              /* 0.0.0010: cssid.ssid.schno */
	/* Start subchannel with the translated program at absolute cpa:
	 * the status, or -errno (-EBUSY, -ENODEV: not operational). */
	int (*start)(struct ccw_subchannel *sch, uint32_t cpa,
		     struct ccw_status *st);
	void *opaque;
	/* Where translated programs live: pages below 2 GiB (31-bit CCW
	 * addresses). */
	struct page_pool *pool;
	/* Refuse a CCW whose data spans more than one 4 KiB IDAW block
	 * (QEMU's channel subsystem would corrupt it). */
	bool one_idaw_block;
	/* Driver state. */
	struct ccw_io_region region;
	unsigned requests;           /* start functions accepted */
};

extern const struct vfio_device_ops vfio_ccw_ops;

/* Make sch->dev a vfio-ccw device. */
void vfio_ccw_core_init(struct ccw_subchannel *sch);
/* The host wants the subchannel back (Linux: the mdev is being removed):
 * signal the user's request trigger. false: nobody listens. */
bool vfio_ccw_request(struct ccw_subchannel *sch);

#endif
