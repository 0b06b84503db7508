/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The iommufd user interface (/dev/iommu), written for Partita from the
 * public Linux UAPI (include/uapi/linux/iommufd.h, Linux 6.7 era, plus
 * the Arm SMMUv3 hw-info type of 6.12): same layouts, numbers and flags.
 *
 * Every request passes a struct whose first u32 is its size. The callee
 * accepts a shorter struct back to the last mandatory field (zero-filling
 * the rest) and a longer one if the bytes it does not know are zero
 * (E2BIG otherwise). Errnos: ENOTTY unknown request, EOPNOTSUPP unknown
 * flag or non-zero reserved field, EINVAL a bad value, ENOENT a missing
 * ID or IOVA, EOVERFLOW arithmetic overflow.
 */
#ifndef PARTITA_UAPI_LINUX_IOMMUFD_H
#define PARTITA_UAPI_LINUX_IOMMUFD_H

#include <uapi/linux/ioctl.h>
#include <uapi/linux/types.h>

#define IOMMUFD_TYPE (';')

enum {
	IOMMUFD_CMD_BASE = 0x80,
	IOMMUFD_CMD_DESTROY = IOMMUFD_CMD_BASE,
	IOMMUFD_CMD_IOAS_ALLOC,                 /* 0x81 */
	IOMMUFD_CMD_IOAS_ALLOW_IOVAS,           /* 0x82 */
	IOMMUFD_CMD_IOAS_COPY,                  /* 0x83 */
	IOMMUFD_CMD_IOAS_IOVA_RANGES,           /* 0x84 */
	IOMMUFD_CMD_IOAS_MAP,                   /* 0x85 */
	IOMMUFD_CMD_IOAS_UNMAP,                 /* 0x86 */
	IOMMUFD_CMD_OPTION,                     /* 0x87 */
	IOMMUFD_CMD_VFIO_IOAS,                  /* 0x88 */
	IOMMUFD_CMD_HWPT_ALLOC,                 /* 0x89 */
	IOMMUFD_CMD_GET_HW_INFO,                /* 0x8a */
	IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING,    /* 0x8b */
	IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP,      /* 0x8c */
};

/* Destroy any object by ID (IOAS, HWPT). */
struct iommu_destroy {
	__u32 size;
	__u32 id;
};
#define IOMMU_DESTROY _IO(IOMMUFD_TYPE, IOMMUFD_CMD_DESTROY)

/* Make an empty IO address space; flags must be 0. */
struct iommu_ioas_alloc {
	__u32 size;
	__u32 flags;
	__u32 out_ioas_id;
};
#define IOMMU_IOAS_ALLOC _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_ALLOC)

/* An inclusive IOVA interval. */
struct iommu_iova_range {
	__aligned_u64 start;
	__aligned_u64 last;
};

/* The usable IOVA ranges: num_iovas in = room in allowed_iovas[], out =
 * the total (EMSGSIZE when the room was short). */
struct iommu_ioas_iova_ranges {
	__u32 size;
	__u32 ioas_id;
	__u32 num_iovas;
	__u32 __reserved;
	__aligned_u64 allowed_iovas;        /* user pointer */
	__aligned_u64 out_iova_alignment;
};
#define IOMMU_IOAS_IOVA_RANGES _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_IOVA_RANGES)

/* Replace the list of IOVA ranges that must stay usable. */
struct iommu_ioas_allow_iovas {
	__u32 size;
	__u32 ioas_id;
	__u32 num_iovas;
	__u32 __reserved;
	__aligned_u64 allowed_iovas;        /* user pointer */
};
#define IOMMU_IOAS_ALLOW_IOVAS _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_ALLOW_IOVAS)

enum iommufd_ioas_map_flags {
	IOMMU_IOAS_MAP_FIXED_IOVA = 1 << 0,
	IOMMU_IOAS_MAP_WRITEABLE = 1 << 1,
	IOMMU_IOAS_MAP_READABLE = 1 << 2,
};

/* Map user memory; the IOVA is given (FIXED_IOVA) or chosen and returned. */
struct iommu_ioas_map {
	__u32 size;
	__u32 flags;
	__u32 ioas_id;
	__u32 __reserved;
	__aligned_u64 user_va;
	__aligned_u64 length;
	__aligned_u64 iova;
};
#define IOMMU_IOAS_MAP _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_MAP)

/* Map in dst what src maps at src_iova, sharing the pinned memory. */
struct iommu_ioas_copy {
	__u32 size;
	__u32 flags;
	__u32 dst_ioas_id;
	__u32 src_ioas_id;
	__aligned_u64 length;
	__aligned_u64 dst_iova;
	__aligned_u64 src_iova;
};
#define IOMMU_IOAS_COPY _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_COPY)

/* Unmap whole areas inside [iova, iova + length); 0 and U64_MAX unmap
 * everything. length returns the bytes unmapped. */
struct iommu_ioas_unmap {
	__u32 size;
	__u32 ioas_id;
	__aligned_u64 iova;
	__aligned_u64 length;
};
#define IOMMU_IOAS_UNMAP _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_UNMAP)

enum iommufd_option {
	IOMMU_OPTION_RLIMIT_MODE = 0,       /* global; object_id 0 */
	IOMMU_OPTION_HUGE_PAGES = 1,        /* per IOAS */
};

enum iommufd_option_ops {
	IOMMU_OPTION_OP_SET = 0,
	IOMMU_OPTION_OP_GET = 1,
};

struct iommu_option {
	__u32 size;
	__u32 option_id;
	__u16 op;
	__u16 __reserved;
	__u32 object_id;
	__aligned_u64 val64;
};
#define IOMMU_OPTION _IO(IOMMUFD_TYPE, IOMMUFD_CMD_OPTION)

enum iommufd_vfio_ioas_op {
	IOMMU_VFIO_IOAS_GET = 0,
	IOMMU_VFIO_IOAS_SET = 1,
	IOMMU_VFIO_IOAS_CLEAR = 2,
};

struct iommu_vfio_ioas {
	__u32 size;
	__u32 ioas_id;
	__u16 op;
	__u16 __reserved;
};
#define IOMMU_VFIO_IOAS _IO(IOMMUFD_TYPE, IOMMUFD_CMD_VFIO_IOAS)

enum iommufd_hwpt_alloc_flags {
	IOMMU_HWPT_ALLOC_NEST_PARENT = 1 << 0,
	IOMMU_HWPT_ALLOC_DIRTY_TRACKING = 1 << 1,
};

enum iommu_hwpt_data_type {
	IOMMU_HWPT_DATA_NONE = 0,
	IOMMU_HWPT_DATA_VTD_S1 = 1,
};

/* A hardware page table for dev_id, holding the mappings of IOAS pt_id. */
struct iommu_hwpt_alloc {
	__u32 size;
	__u32 flags;
	__u32 dev_id;
	__u32 pt_id;
	__u32 out_hwpt_id;
	__u32 __reserved;
	__u32 data_type;
	__u32 data_len;
	__aligned_u64 data_uptr;
};
#define IOMMU_HWPT_ALLOC _IO(IOMMUFD_TYPE, IOMMUFD_CMD_HWPT_ALLOC)

enum iommu_hw_info_type {
	IOMMU_HW_INFO_TYPE_NONE = 0,
	IOMMU_HW_INFO_TYPE_INTEL_VTD = 1,
	IOMMU_HW_INFO_TYPE_ARM_SMMUV3 = 2,
};

/* IOMMU_HW_INFO_TYPE_ARM_SMMUV3: the SMMU's ID registers. */
struct iommu_hw_info_arm_smmuv3 {
	__u32 flags;
	__u32 __reserved;
	__u32 idr[6];
	__u32 iidr;
	__u32 aidr;
};

enum iommufd_hw_capabilities {
	IOMMU_HW_CAP_DIRTY_TRACKING = 1 << 0,
};

/* What the IOMMU behind dev_id is; data_len in = buffer size, out = the
 * driver's size. */
struct iommu_hw_info {
	__u32 size;
	__u32 flags;
	__u32 dev_id;
	__u32 data_len;
	__aligned_u64 data_uptr;
	__u32 out_data_type;
	__u32 __reserved;
	__aligned_u64 out_capabilities;
};
#define IOMMU_GET_HW_INFO _IO(IOMMUFD_TYPE, IOMMUFD_CMD_GET_HW_INFO)

enum iommufd_hwpt_set_dirty_tracking_flags {
	IOMMU_HWPT_DIRTY_TRACKING_ENABLE = 1,
};

struct iommu_hwpt_set_dirty_tracking {
	__u32 size;
	__u32 flags;
	__u32 hwpt_id;
	__u32 __reserved;
};
#define IOMMU_HWPT_SET_DIRTY_TRACKING \
	_IO(IOMMUFD_TYPE, IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING)

enum iommufd_hwpt_get_dirty_bitmap_flags {
	IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR = 1,
};

/* Set bit (x - iova) / page_size of the u64 array at data for every dirty
 * IOVA x; bits are only ever set, never cleared. */
struct iommu_hwpt_get_dirty_bitmap {
	__u32 size;
	__u32 hwpt_id;
	__u32 flags;
	__u32 __reserved;
	__aligned_u64 iova;
	__aligned_u64 length;
	__aligned_u64 page_size;
	__aligned_u64 data;                 /* user pointer */
};
#define IOMMU_HWPT_GET_DIRTY_BITMAP \
	_IO(IOMMUFD_TYPE, IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP)


/* The layouts are ABI: any change here is a bug. */
#define IOMMUFD_LAYOUT(type, size_)                                        \
	_Static_assert(sizeof(struct type) == (size_), #type " size")
#define IOMMUFD_OFFSET(type, field, off)                                   \
	_Static_assert(__builtin_offsetof(struct type, field) == (off),     \
		       #type "." #field " offset")
IOMMUFD_LAYOUT(iommu_destroy, 8);
IOMMUFD_LAYOUT(iommu_ioas_alloc, 12);
IOMMUFD_LAYOUT(iommu_iova_range, 16);
IOMMUFD_LAYOUT(iommu_ioas_iova_ranges, 32);
IOMMUFD_OFFSET(iommu_ioas_iova_ranges, allowed_iovas, 16);
IOMMUFD_OFFSET(iommu_ioas_iova_ranges, out_iova_alignment, 24);
IOMMUFD_LAYOUT(iommu_ioas_allow_iovas, 24);
IOMMUFD_OFFSET(iommu_ioas_allow_iovas, allowed_iovas, 16);
IOMMUFD_LAYOUT(iommu_ioas_map, 40);
IOMMUFD_OFFSET(iommu_ioas_map, user_va, 16);
IOMMUFD_OFFSET(iommu_ioas_map, length, 24);
IOMMUFD_OFFSET(iommu_ioas_map, iova, 32);
IOMMUFD_LAYOUT(iommu_ioas_copy, 40);
IOMMUFD_OFFSET(iommu_ioas_copy, length, 16);
IOMMUFD_OFFSET(iommu_ioas_copy, dst_iova, 24);
IOMMUFD_OFFSET(iommu_ioas_copy, src_iova, 32);
IOMMUFD_LAYOUT(iommu_ioas_unmap, 24);
IOMMUFD_OFFSET(iommu_ioas_unmap, iova, 8);
IOMMUFD_OFFSET(iommu_ioas_unmap, length, 16);
IOMMUFD_LAYOUT(iommu_option, 24);
IOMMUFD_OFFSET(iommu_option, op, 8);
IOMMUFD_OFFSET(iommu_option, object_id, 12);
IOMMUFD_OFFSET(iommu_option, val64, 16);
IOMMUFD_LAYOUT(iommu_vfio_ioas, 12);
IOMMUFD_LAYOUT(iommu_hwpt_alloc, 40);
IOMMUFD_OFFSET(iommu_hwpt_alloc, data_type, 24);
IOMMUFD_OFFSET(iommu_hwpt_alloc, data_uptr, 32);
IOMMUFD_LAYOUT(iommu_hw_info_arm_smmuv3, 40);
IOMMUFD_LAYOUT(iommu_hw_info, 40);
IOMMUFD_OFFSET(iommu_hw_info, data_uptr, 16);
IOMMUFD_OFFSET(iommu_hw_info, out_data_type, 24);
IOMMUFD_OFFSET(iommu_hw_info, out_capabilities, 32);
IOMMUFD_LAYOUT(iommu_hwpt_set_dirty_tracking, 16);
IOMMUFD_LAYOUT(iommu_hwpt_get_dirty_bitmap, 48);
IOMMUFD_OFFSET(iommu_hwpt_get_dirty_bitmap, iova, 16);
IOMMUFD_OFFSET(iommu_hwpt_get_dirty_bitmap, length, 24);
IOMMUFD_OFFSET(iommu_hwpt_get_dirty_bitmap, page_size, 32);
IOMMUFD_OFFSET(iommu_hwpt_get_dirty_bitmap, data, 40);
#undef IOMMUFD_LAYOUT
#undef IOMMUFD_OFFSET

#endif
