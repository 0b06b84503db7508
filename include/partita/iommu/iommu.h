/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IOMMU core: devices behind IOMMUs, their groups, and domains (one
 * translation context each: IO page tables plus the hardware state that
 * points a device's DMA at them). Hardware drivers (drivers/iommu/hw/)
 * implement the ops; the iommufd and type1 services use the helpers.
 *
 * Deny by default: a device with no domain has its DMA blocked (aborted
 * by the IOMMU), never passed through untranslated.
 */
#ifndef PARTITA_IOMMU_IOMMU_H
#define PARTITA_IOMMU_IOMMU_H

#include <partita/mm/pgtable/io-pgtable.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct device;
struct iommu_domain;
struct iommu_group;
struct iommu_device;
struct iova_bitmap;

/* Why a device cannot be handed to a partition: who else owns it. */
enum device_owner {
	DEVICE_OWNER_NONE,      /* no driver: free to assign */
	DEVICE_OWNER_KERNEL,    /* bound to an in-image driver */
	DEVICE_OWNER_USER,      /* claimed through VFIO (iommufd or type1) */
};

/* A reserved IOVA window of a device (an MSI doorbell, say): never
 * mappable while the device is attached. Inclusive bounds. */
struct iommu_resv_region {
	uint64_t start, last;
};

enum iommu_cap {
	IOMMU_CAP_CACHE_COHERENCY,
	IOMMU_CAP_DIRTY_TRACKING,
};

/* What an IOMMU instance's driver provides. */
struct iommu_ops {
	/* A paging domain for dev; flags: IOMMU_DOMAIN_F_DIRTY.
	 * ERR_PTR(-ENOMEM, -EOPNOTSUPP) on failure. */
	struct iommu_domain *(*domain_alloc_paging)(struct device *dev,
						    unsigned flags);
	/* Point dev's DMA at domain (replacing any other), or -errno. */
	int (*attach_dev)(struct iommu_domain *domain, struct device *dev);
	/* Block dev's DMA: no domain. */
	void (*block_dev)(struct device *dev);
	bool (*capable)(struct device *dev, enum iommu_cap cap);
	/* Hardware description for IOMMU_GET_HW_INFO: fills up to *len
	 * bytes of data, sets *len to the driver's full size and *type to
	 * an enum iommu_hw_info_type. */
	void (*hw_info)(struct device *dev, void *data, uint32_t *len,
			uint32_t *type);
	/* Reserved windows of dev, or 0 of them. */
	size_t (*resv_regions)(struct device *dev,
			       const struct iommu_resv_region **out);
};

#define IOMMU_DOMAIN_F_DIRTY (1u << 0)

struct iommu_domain_ops {
	int (*map_pages)(struct iommu_domain *d, uint64_t iova, uint64_t paddr,
			 size_t pgsize, size_t pgcount, int prot, size_t *mapped);
	size_t (*unmap_pages)(struct iommu_domain *d, uint64_t iova,
			      size_t pgsize, size_t pgcount,
			      struct iommu_iotlb_gather *gather);
	void (*iotlb_sync)(struct iommu_domain *d,
			   struct iommu_iotlb_gather *gather);
	/* Optional: [iova, iova + size) was just mapped, for IOMMUs that use
	 * only translations they were told of (zPCI's RPCIT; Linux's
	 * iotlb_sync_map). Once per iommu_map; on failure the map is undone
	 * and fails with its -errno. */
	int (*iotlb_sync_map)(struct iommu_domain *d, uint64_t iova,
			      uint64_t size);
	uint64_t (*iova_to_phys)(struct iommu_domain *d, uint64_t iova);
	/* Dirty tracking (NULL when the domain has none). */
	int (*set_dirty_tracking)(struct iommu_domain *d, bool enable);
	int (*read_and_clear_dirty)(struct iommu_domain *d, uint64_t iova,
				    size_t size, unsigned flags,
				    struct iova_bitmap *bitmap);
	void (*free)(struct iommu_domain *d);
};

struct iommu_domain {
	const struct iommu_domain_ops *ops;
	struct iommu_device *iommu;
	uint64_t pgsize_bitmap;
	uint64_t aperture_start, aperture_end;   /* inclusive */
	bool dirty_tracking;                     /* enabled now */
	unsigned users;                          /* devices attached */
	/* The IO page tables behind it, when the driver uses io-pgtable
	 * (for tests and benchmarks to look at; NULL otherwise). */
	struct io_pgtable_ops *pgtable;
};

/* One IOMMU instance. */
struct iommu_device {
	const char *name;
	const struct iommu_ops *ops;
	void *priv;
};

struct iommu_group {
	int id;                       /* /dev/vfio/<id> */
	struct device **devices;
	size_t ndevices;
	struct iommu_domain *domain;  /* shared by every device, or NULL */
	void *owner;                  /* who claimed the group's DMA (type1
	                               * container or iommufd), or NULL */
	unsigned owner_count;         /* devices claimed under owner */
	/* A group of mediated devices (vfio-ap, vfio-ccw): no IOMMU and no
	 * domain; their drivers reach the user's DMA space through
	 * vfio_pin_pages() and vfio_dma_rw() instead (Linux's
	 * VFIO_EMULATED_IOMMU groups). */
	bool emulated;
};


struct device {
	const char *name;                 /* "0000:00:02.0", "fe000000.uart" */
	enum device_owner owner;
	struct iommu_device *iommu;       /* NULL: not behind an IOMMU */
	uint32_t stream_id;               /* the IOMMU's name for it */
	struct iommu_group *group;
	struct iommu_domain *domain;      /* attached domain, NULL = blocked */
	/* The object of the driver the device is bound to (Linux's
	 * dev_get_drvdata), or NULL; the IOMMU core never looks at it. */
	void *driver_data;
};

/* ---- groups ------------------------------------------------------------ */

/* Put dev in group (made by the board); -ENOMEM. */
int iommu_group_add_device(struct iommu_group *group, struct device *dev);
void iommu_group_release(struct iommu_group *group);
/* No device of the group is owned by an in-image driver. */
bool iommu_group_viable(const struct iommu_group *group);

/* ---- domains ------------------------------------------------------------ */

/* The driver's domain_alloc_paging (ERR_PTR(-ENODEV) without an IOMMU). */
struct iommu_domain *iommu_domain_alloc_paging(struct device *dev,
					       unsigned flags);
void iommu_domain_free(struct iommu_domain *domain);

/* Attach every device of dev's group to domain (a group shares one
 * domain, as Linux requires); on failure the group is as before. */
int iommu_attach_group(struct iommu_domain *domain, struct iommu_group *group);
/* Back to blocked DMA for the whole group. */
void iommu_detach_group(struct iommu_group *group);

/* Map [iova, iova + size) to paddr with the largest page sizes the
 * domain allows for the alignment (io_pgtable_pgsize); all or nothing. -EINVAL for
 * misaligned arguments, -ENOMEM, -EEXIST. */
int iommu_map(struct iommu_domain *domain, uint64_t iova, uint64_t paddr,
	      uint64_t size, int prot);
/* The same with page sizes limited to pgsizes (a subset of the domain's;
 * PAGE_SIZE alone when an IOAS disables huge pages). */
int iommu_map_sizes(struct iommu_domain *domain, uint64_t iova, uint64_t paddr,
		    uint64_t size, int prot, uint64_t pgsizes);
/* Unmap and invalidate; returns the bytes unmapped (stops at a hole). */
uint64_t iommu_unmap(struct iommu_domain *domain, uint64_t iova,
		     uint64_t size);
uint64_t iommu_iova_to_phys(struct iommu_domain *domain, uint64_t iova);

struct umem;
/* Map the user memory [uva, uva + len) at iova, through um's physical
 * pieces: RAM as cacheable memory, device memory (only if allow_io) as
 * MMIO. Whole pages only. All or nothing: -EFAULT for memory that is not
 * declared (or is device memory without allow_io, or is not page
 * granular), else iommu_map's errors. Pinning is the caller's. */
int iommu_map_user(struct iommu_domain *domain, struct umem *um,
		   uint64_t iova, uint64_t uva, uint64_t len, int prot,
		   bool allow_io, uint64_t pgsizes);

bool device_iommu_capable(struct device *dev, enum iommu_cap cap);

/* ---- for drivers whose domain is one io-pgtable (domain->pgtable) ----- */

int iommu_pgtable_map_pages(struct iommu_domain *d, uint64_t iova,
			    uint64_t paddr, size_t pgsize, size_t pgcount,
			    int prot, size_t *mapped);
size_t iommu_pgtable_unmap_pages(struct iommu_domain *d, uint64_t iova,
				 size_t pgsize, size_t pgcount,
				 struct iommu_iotlb_gather *gather);
uint64_t iommu_pgtable_iova_to_phys(struct iommu_domain *d, uint64_t iova);
/* io-pgtable's tlb_add_page: widen the gathered range (synced later). */
void iommu_pgtable_gather_page(struct iommu_iotlb_gather *g, uint64_t iova,
			       size_t granule, void *cookie);

#endif
