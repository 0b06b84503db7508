/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The vfio-ccw I/O region, as Linux's include/uapi/linux/vfio_ccw.h
 * defines it (written from the published layout; checked by
 * tests/unit/test-uapi-layout.c).
 */
#ifndef _UAPI_VFIO_CCW_H_
#define _UAPI_VFIO_CCW_H_

#include <uapi/linux/types.h>

/* Region 0 (VFIO_CCW_CONFIG_REGION_INDEX): a start function request in,
 * its interruption response block out. */
struct ccw_io_region {
#define ORB_AREA_SIZE 12
	__u8 orb_area[ORB_AREA_SIZE];
#define SCSW_AREA_SIZE 12
	__u8 scsw_area[SCSW_AREA_SIZE];
#define IRB_AREA_SIZE 96
	__u8 irb_area[IRB_AREA_SIZE];
	__u32 ret_code;
} __attribute__((packed));

#endif
