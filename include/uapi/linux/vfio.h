/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VFIO user interface, written for Partita from the public Linux UAPI
 * (include/uapi/linux/vfio.h, Linux 6.7 era): the container
 * (/dev/vfio/vfio), group (/dev/vfio/<n>) and device requests, with the
 * same layouts, numbers and flags. Every struct starts with argsz, the
 * size the caller provides; the callee reads what it needs and, where a
 * reply is variable, says in argsz how much it needed.
 */
#ifndef PARTITA_UAPI_LINUX_VFIO_H
#define PARTITA_UAPI_LINUX_VFIO_H

#include <uapi/linux/ioctl.h>
#include <uapi/linux/types.h>

#define VFIO_API_VERSION 0

/* Extensions (VFIO_CHECK_EXTENSION, VFIO_SET_IOMMU). */
#define VFIO_TYPE1_IOMMU        1
#define VFIO_SPAPR_TCE_IOMMU    2
#define VFIO_TYPE1v2_IOMMU      3
#define VFIO_DMA_CC_IOMMU       4
#define VFIO_EEH                5
#define VFIO_TYPE1_NESTING_IOMMU 6
#define VFIO_SPAPR_TCE_v2_IOMMU 7
#define VFIO_NOIOMMU_IOMMU      8
#define VFIO_UNMAP_ALL          9
#define VFIO_UPDATE_VADDR       10

#define VFIO_TYPE (';')
#define VFIO_BASE 100

/* Capability chains: each header's next is the offset of the following
 * header from the start of the info struct, 0 at the end. */
struct vfio_info_cap_header {
	__u16 id;
	__u16 version;
	__u32 next;
};

/* ---- container ---------------------------------------------------------- */

#define VFIO_GET_API_VERSION    _IO(VFIO_TYPE, VFIO_BASE + 0)
#define VFIO_CHECK_EXTENSION    _IO(VFIO_TYPE, VFIO_BASE + 1)
#define VFIO_SET_IOMMU          _IO(VFIO_TYPE, VFIO_BASE + 2)

/* ---- group -------------------------------------------------------------- */

struct vfio_group_status {
	__u32 argsz;
	__u32 flags;
#define VFIO_GROUP_FLAGS_VIABLE         (1 << 0)
#define VFIO_GROUP_FLAGS_CONTAINER_SET  (1 << 1)
};
#define VFIO_GROUP_GET_STATUS   _IO(VFIO_TYPE, VFIO_BASE + 3)
/* argument: pointer to the container's fd (__s32) */
#define VFIO_GROUP_SET_CONTAINER _IO(VFIO_TYPE, VFIO_BASE + 4)
#define VFIO_GROUP_UNSET_CONTAINER _IO(VFIO_TYPE, VFIO_BASE + 5)
/* argument: the device's name, a NUL-terminated string */
#define VFIO_GROUP_GET_DEVICE_FD _IO(VFIO_TYPE, VFIO_BASE + 6)

/* ---- device ------------------------------------------------------------- */

struct vfio_device_info {
	__u32 argsz;
	__u32 flags;
#define VFIO_DEVICE_FLAGS_RESET     (1 << 0)
#define VFIO_DEVICE_FLAGS_PCI       (1 << 1)
#define VFIO_DEVICE_FLAGS_PLATFORM  (1 << 2)
#define VFIO_DEVICE_FLAGS_AMBA      (1 << 3)
#define VFIO_DEVICE_FLAGS_CCW       (1 << 4)
#define VFIO_DEVICE_FLAGS_AP        (1 << 5)
#define VFIO_DEVICE_FLAGS_FSL_MC    (1 << 6)
#define VFIO_DEVICE_FLAGS_CAPS      (1 << 7)
#define VFIO_DEVICE_FLAGS_CDX       (1 << 8)
	__u32 num_regions;
	__u32 num_irqs;
	__u32 cap_offset;
	__u32 pad;
};
#define VFIO_DEVICE_GET_INFO    _IO(VFIO_TYPE, VFIO_BASE + 7)

#define VFIO_DEVICE_API_PCI_STRING      "vfio-pci"
#define VFIO_DEVICE_API_PLATFORM_STRING "vfio-platform"
#define VFIO_DEVICE_API_AMBA_STRING     "vfio-amba"
#define VFIO_DEVICE_API_CCW_STRING      "vfio-ccw"
#define VFIO_DEVICE_API_AP_STRING       "vfio-ap"

struct vfio_region_info {
	__u32 argsz;
	__u32 flags;
#define VFIO_REGION_INFO_FLAG_READ  (1 << 0)
#define VFIO_REGION_INFO_FLAG_WRITE (1 << 1)
#define VFIO_REGION_INFO_FLAG_MMAP  (1 << 2)
#define VFIO_REGION_INFO_FLAG_CAPS  (1 << 3)
	__u32 index;
	__u32 cap_offset;
	__aligned_u64 size;
	__aligned_u64 offset;       /* of the region within the device fd */
};
#define VFIO_DEVICE_GET_REGION_INFO _IO(VFIO_TYPE, VFIO_BASE + 8)

#define VFIO_REGION_INFO_CAP_SPARSE_MMAP 1

struct vfio_region_sparse_mmap_area {
	__aligned_u64 offset;
	__aligned_u64 size;
};

struct vfio_region_info_cap_sparse_mmap {
	struct vfio_info_cap_header header;
	__u32 nr_areas;
	__u32 reserved;
	struct vfio_region_sparse_mmap_area areas[];
};

#define VFIO_REGION_INFO_CAP_TYPE 2

struct vfio_region_info_cap_type {
	struct vfio_info_cap_header header;
	__u32 type;
	__u32 subtype;
};

struct vfio_irq_info {
	__u32 argsz;
	__u32 flags;
#define VFIO_IRQ_INFO_EVENTFD       (1 << 0)
#define VFIO_IRQ_INFO_MASKABLE      (1 << 1)
#define VFIO_IRQ_INFO_AUTOMASKED    (1 << 2)
#define VFIO_IRQ_INFO_NORESIZE      (1 << 3)
	__u32 index;
	__u32 count;
};
#define VFIO_DEVICE_GET_IRQ_INFO _IO(VFIO_TYPE, VFIO_BASE + 9)

struct vfio_irq_set {
	__u32 argsz;
	__u32 flags;
#define VFIO_IRQ_SET_DATA_NONE      (1 << 0)
#define VFIO_IRQ_SET_DATA_BOOL      (1 << 1)
#define VFIO_IRQ_SET_DATA_EVENTFD   (1 << 2)
#define VFIO_IRQ_SET_ACTION_MASK    (1 << 3)
#define VFIO_IRQ_SET_ACTION_UNMASK  (1 << 4)
#define VFIO_IRQ_SET_ACTION_TRIGGER (1 << 5)
	__u32 index;
	__u32 start;
	__u32 count;
	__u8 data[];
};
#define VFIO_DEVICE_SET_IRQS    _IO(VFIO_TYPE, VFIO_BASE + 10)
#define VFIO_IRQ_SET_DATA_TYPE_MASK (VFIO_IRQ_SET_DATA_NONE | \
				     VFIO_IRQ_SET_DATA_BOOL | \
				     VFIO_IRQ_SET_DATA_EVENTFD)
#define VFIO_IRQ_SET_ACTION_TYPE_MASK (VFIO_IRQ_SET_ACTION_MASK | \
				       VFIO_IRQ_SET_ACTION_UNMASK | \
				       VFIO_IRQ_SET_ACTION_TRIGGER)

#define VFIO_DEVICE_RESET       _IO(VFIO_TYPE, VFIO_BASE + 11)

/* Fixed region and IRQ indexes of the bus drivers. */
enum {
	VFIO_PCI_BAR0_REGION_INDEX,
	VFIO_PCI_BAR1_REGION_INDEX,
	VFIO_PCI_BAR2_REGION_INDEX,
	VFIO_PCI_BAR3_REGION_INDEX,
	VFIO_PCI_BAR4_REGION_INDEX,
	VFIO_PCI_BAR5_REGION_INDEX,
	VFIO_PCI_ROM_REGION_INDEX,
	VFIO_PCI_CONFIG_REGION_INDEX,
	VFIO_PCI_VGA_REGION_INDEX,
	VFIO_PCI_NUM_REGIONS = 9
};

enum {
	VFIO_PCI_INTX_IRQ_INDEX,
	VFIO_PCI_MSI_IRQ_INDEX,
	VFIO_PCI_MSIX_IRQ_INDEX,
	VFIO_PCI_ERR_IRQ_INDEX,
	VFIO_PCI_REQ_IRQ_INDEX,
	VFIO_PCI_NUM_IRQS
};

enum {
	VFIO_CCW_CONFIG_REGION_INDEX,
	VFIO_CCW_NUM_REGIONS
};

enum {
	VFIO_CCW_IO_IRQ_INDEX,
	VFIO_CCW_CRW_IRQ_INDEX,
	VFIO_CCW_REQ_IRQ_INDEX,
	VFIO_CCW_NUM_IRQS
};

enum {
	VFIO_AP_REQ_IRQ_INDEX,
	VFIO_AP_NUM_IRQS
};

/* The device cdev (/dev/vfio/devices/vfioN) and iommufd. */
struct vfio_device_bind_iommufd {
	__u32 argsz;
	__u32 flags;
	__s32 iommufd;
	__u32 out_devid;
};
#define VFIO_DEVICE_BIND_IOMMUFD _IO(VFIO_TYPE, VFIO_BASE + 18)

struct vfio_device_attach_iommufd_pt {
	__u32 argsz;
	__u32 flags;
	__u32 pt_id;
};
#define VFIO_DEVICE_ATTACH_IOMMUFD_PT _IO(VFIO_TYPE, VFIO_BASE + 19)

struct vfio_device_detach_iommufd_pt {
	__u32 argsz;
	__u32 flags;
};
#define VFIO_DEVICE_DETACH_IOMMUFD_PT _IO(VFIO_TYPE, VFIO_BASE + 20)

/* ---- type1 IOMMU (on the container) ------------------------------------- */

struct vfio_iommu_type1_info {
	__u32 argsz;
	__u32 flags;
#define VFIO_IOMMU_INFO_PGSIZES (1 << 0)
#define VFIO_IOMMU_INFO_CAPS    (1 << 1)
	__aligned_u64 iova_pgsizes;
	__u32 cap_offset;
	__u32 pad;
};

#define VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE 1

struct vfio_iova_range {
	__aligned_u64 start;
	__aligned_u64 end;          /* inclusive */
};

struct vfio_iommu_type1_info_cap_iova_range {
	struct vfio_info_cap_header header;
	__u32 nr_iovas;
	__u32 reserved;
	struct vfio_iova_range iova_ranges[];
};

#define VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION 2

struct vfio_iommu_type1_info_cap_migration {
	struct vfio_info_cap_header header;
	__u32 flags;
	__aligned_u64 pgsize_bitmap;
	__aligned_u64 max_dirty_bitmap_size;    /* bytes */
};

#define VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL 3

struct vfio_iommu_type1_info_dma_avail {
	struct vfio_info_cap_header header;
	__u32 avail;
};

#define VFIO_IOMMU_GET_INFO     _IO(VFIO_TYPE, VFIO_BASE + 12)

struct vfio_iommu_type1_dma_map {
	__u32 argsz;
	__u32 flags;
#define VFIO_DMA_MAP_FLAG_READ  (1 << 0)
#define VFIO_DMA_MAP_FLAG_WRITE (1 << 1)
#define VFIO_DMA_MAP_FLAG_VADDR (1 << 2)
	__aligned_u64 vaddr;
	__aligned_u64 iova;
	__aligned_u64 size;
};
#define VFIO_IOMMU_MAP_DMA      _IO(VFIO_TYPE, VFIO_BASE + 13)

/* A dirty bitmap: one bit per pgsize page, in u64 words. */
struct vfio_bitmap {
	__aligned_u64 pgsize;
	__aligned_u64 size;         /* bytes at data */
	__u64 *data;
};

struct vfio_iommu_type1_dma_unmap {
	__u32 argsz;
	__u32 flags;
#define VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP (1 << 0)
#define VFIO_DMA_UNMAP_FLAG_ALL              (1 << 1)
#define VFIO_DMA_UNMAP_FLAG_VADDR            (1 << 2)
	__aligned_u64 iova;
	__aligned_u64 size;
	__u8 data[];                /* struct vfio_bitmap with DIRTY_BITMAP */
};
#define VFIO_IOMMU_UNMAP_DMA    _IO(VFIO_TYPE, VFIO_BASE + 14)

#define VFIO_IOMMU_ENABLE       _IO(VFIO_TYPE, VFIO_BASE + 15)
#define VFIO_IOMMU_DISABLE      _IO(VFIO_TYPE, VFIO_BASE + 16)

struct vfio_iommu_type1_dirty_bitmap {
	__u32 argsz;
	__u32 flags;
#define VFIO_IOMMU_DIRTY_PAGES_FLAG_START      (1 << 0)
#define VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP       (1 << 1)
#define VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP (1 << 2)
	__u8 data[];                /* struct vfio_iommu_type1_dirty_bitmap_get */
};

struct vfio_iommu_type1_dirty_bitmap_get {
	__aligned_u64 iova;
	__aligned_u64 size;
	struct vfio_bitmap bitmap;
};
#define VFIO_IOMMU_DIRTY_PAGES  _IO(VFIO_TYPE, VFIO_BASE + 17)

/* ---- device features (VFIO_DEVICE_FEATURE) ------------------------------ */

struct vfio_device_feature {
	__u32 argsz;
	__u32 flags;
#define VFIO_DEVICE_FEATURE_MASK   (0xffff)    /* the feature index */
#define VFIO_DEVICE_FEATURE_GET    (1 << 16)
#define VFIO_DEVICE_FEATURE_SET    (1 << 17)
#define VFIO_DEVICE_FEATURE_PROBE  (1 << 18)
	__u8 data[];
};
#define VFIO_DEVICE_FEATURE        _IO(VFIO_TYPE, VFIO_BASE + 17)

struct vfio_device_feature_migration {
	__aligned_u64 flags;
#define VFIO_MIGRATION_STOP_COPY   (1 << 0)
#define VFIO_MIGRATION_P2P         (1 << 1)
#define VFIO_MIGRATION_PRE_COPY    (1 << 2)
};
#define VFIO_DEVICE_FEATURE_MIGRATION 1
#define VFIO_DEVICE_FEATURE_DMA_LOGGING_START 6

/* The layouts are ABI: any change here is a bug. */
#define VFIO_LAYOUT(type, size_)                                           \
	_Static_assert(sizeof(struct type) == (size_), #type " size")
#define VFIO_OFFSET(type, field, off)                                      \
	_Static_assert(__builtin_offsetof(struct type, field) == (off),     \
		       #type "." #field " offset")
VFIO_LAYOUT(vfio_info_cap_header, 8);
VFIO_LAYOUT(vfio_group_status, 8);
VFIO_LAYOUT(vfio_device_info, 24);
VFIO_OFFSET(vfio_device_info, cap_offset, 16);
VFIO_LAYOUT(vfio_region_info, 32);
VFIO_OFFSET(vfio_region_info, size, 16);
VFIO_OFFSET(vfio_region_info, offset, 24);
VFIO_LAYOUT(vfio_region_info_cap_sparse_mmap, 16);
VFIO_LAYOUT(vfio_region_info_cap_type, 16);
VFIO_LAYOUT(vfio_irq_info, 16);
VFIO_LAYOUT(vfio_irq_set, 20);
VFIO_LAYOUT(vfio_device_bind_iommufd, 16);
VFIO_OFFSET(vfio_device_bind_iommufd, out_devid, 12);
VFIO_LAYOUT(vfio_device_attach_iommufd_pt, 12);
VFIO_LAYOUT(vfio_device_detach_iommufd_pt, 8);
VFIO_LAYOUT(vfio_iommu_type1_info, 24);
VFIO_OFFSET(vfio_iommu_type1_info, iova_pgsizes, 8);
VFIO_OFFSET(vfio_iommu_type1_info, cap_offset, 16);
VFIO_LAYOUT(vfio_iova_range, 16);
VFIO_LAYOUT(vfio_iommu_type1_info_cap_iova_range, 16);
VFIO_LAYOUT(vfio_iommu_type1_info_cap_migration, 32);
VFIO_OFFSET(vfio_iommu_type1_info_cap_migration, pgsize_bitmap, 16);
VFIO_OFFSET(vfio_iommu_type1_info_cap_migration, max_dirty_bitmap_size, 24);
VFIO_LAYOUT(vfio_iommu_type1_info_dma_avail, 12);
VFIO_LAYOUT(vfio_iommu_type1_dma_map, 32);
VFIO_OFFSET(vfio_iommu_type1_dma_map, vaddr, 8);
VFIO_OFFSET(vfio_iommu_type1_dma_map, iova, 16);
VFIO_OFFSET(vfio_iommu_type1_dma_map, size, 24);
VFIO_LAYOUT(vfio_bitmap, 24);
VFIO_LAYOUT(vfio_iommu_type1_dma_unmap, 24);
VFIO_LAYOUT(vfio_iommu_type1_dirty_bitmap, 8);
VFIO_LAYOUT(vfio_iommu_type1_dirty_bitmap_get, 40);
VFIO_LAYOUT(vfio_device_feature, 8);
VFIO_LAYOUT(vfio_device_feature_migration, 8);
#undef VFIO_LAYOUT
#undef VFIO_OFFSET


#endif
