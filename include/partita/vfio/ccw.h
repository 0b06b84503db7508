/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vfio-ccw front: an s390 subchannel given to a partition through
 * its mediated device (QEMU's hw/vfio/ccw.c and hw/s390x/s390-ccw.c).
 *
 * sysfsdev= is mandatory, even when fd= passes the device: the
 * subchannel's id (cssid.ssid.schno) is read from the directory above
 * the mdev's real path. The device attaches straight to the IOAS
 * (mediated) and allows RAM discard (pages it pins are in use). Realize
 * checks the I/O region, and makes the I/O interruption's notifier (a
 * failure is fatal) and the request notifier (a failure only warns).
 *
 * A partition starts channel programs with vfio_ccw_handle_request();
 * addresses in them are the partition's, and the driver below
 * translates them (anything outside the partition is refused).
 */
#ifndef PARTITA_VFIO_CCW_H
#define PARTITA_VFIO_CCW_H

#include <partita/vfio/device.h>
#include <partita/vfio/irq.h>
#include <uapi/linux/vfio_ccw.h>

struct opts;

/* QEMU's IOInstEnding: the condition code of the start instruction. */
enum vfio_ccw_cc {
	VFIO_CCW_CC_EXPECTED = 0,        /* an interruption follows */
	VFIO_CCW_CC_STATUS_PRESENT = 1,
	VFIO_CCW_CC_BUSY = 2,
	VFIO_CCW_CC_NOT_OPERATIONAL = 3,
};

struct vfio_ccw_device {
	struct vfio_device vbase;
	struct vfio_registry *reg;
	bool realized;
	bool force_orb_pfch, warned_orb_pfch;
	char *mdevid;
	unsigned cssid, ssid, schno;
	uint64_t io_region_offset;
	struct ccw_io_region io_region;
	struct vfio_irq_notifier io_notifier, req_notifier;
	uint8_t irb[IRB_AREA_SIZE];      /* the last interruption's IRB */
	unsigned io_interrupts;
	/* The request notifier: the host wants the subchannel back. Called
	 * with unplug_opaque; NULL: the device is unrealized at once. */
	void (*unplug)(struct vfio_ccw_device *vccw, void *opaque);
	void *unplug_opaque;
};

void vfio_ccw_init(struct vfio_ccw_device *vccw);
void vfio_ccw_fini(struct vfio_ccw_device *vccw);
/* -device vfio-ccw properties: sysfsdev, fd, iommufd, force-orb-pfch. */
bool vfio_ccw_set_props(struct vfio_registry *reg, struct vfio_ccw_device *vccw,
			struct opts *opts, Error **errp);
/* Attach for the partition whose DMA address space is as. */
/* The subchannel the mdev at sysfsdev belongs to, found as realize
 * finds it (QEMU's "No host device provided", "Host device '%s' not
 * found"), opening nothing. */
bool vfio_ccw_locate(struct vfio_registry *reg, struct vfio_ccw_device *vccw,
		     Error **errp);
bool vfio_ccw_realize(struct vfio_registry *reg, struct vfio_ccw_device *vccw,
		      AddressSpace *as, Error **errp);
void vfio_ccw_unrealize(struct vfio_ccw_device *vccw);
/* Start subchannel with orb (12 bytes, big-endian as in storage); on
 * VFIO_CCW_CC_EXPECTED irb holds the interruption's IRB: the channel's
 * status, or a unit exception when the driver refused the program. */
enum vfio_ccw_cc vfio_ccw_handle_request(struct vfio_ccw_device *vccw,
					 const uint8_t orb[ORB_AREA_SIZE],
					 uint8_t irb[IRB_AREA_SIZE]);

#endif
