/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IO page table behind an IOAS: what IOVA maps which user memory
 * (areas), what may never be mapped (reserved ranges: outside a domain's
 * aperture, a device's MSI window), what must stay mappable (allowed
 * ranges), and the domains that mirror it in hardware.
 *
 * Rules as Linux's drivers/iommu/iommufd/io_pagetable.c: areas are
 * created and removed whole; a new area is put into every domain before
 * it is published, and a failure undoes it; domains get every area when
 * they are added; user memory is pinned (and checked to be RAM) only when
 * a domain needs it.
 */
#ifndef IOMMUFD_IO_PAGETABLE_H
#define IOMMUFD_IO_PAGETABLE_H

#include <partita/interval-tree.h>
#include <partita/iommu/iommu.h>
#include <uapi/linux/iommufd.h>
#include <stdbool.h>
#include <stdint.h>

struct umem;

/* A run of user memory; COPY shares one between areas of several IOASes. */
/* A physically contiguous piece of it: bytes [off, off + len) of the
 * run are at pa. */
struct iopt_pfn_run {
	uint64_t off, pa, len;
};

struct iopt_pages {
	unsigned refs;
	uint64_t uva;
	uint64_t length;
	bool writable;
	/* While any domain holds some of it pinned (pin_users fills), the
	 * memory cannot change, so its physical runs are read from the
	 * user's memory map once and every later fill (another domain, an
	 * area COPY made in another IOAS) maps from them: Linux keeps the
	 * pinned PFNs of an iopt_pages the same way. Dropped with the last
	 * pin. */
	unsigned pin_users;
	struct iopt_pfn_run *runs;
	size_t nruns;
};

struct iopt_area {
	struct interval_node node;      /* [iova, last] */
	struct iopt_pages *pages;
	uint64_t pages_offset;          /* of the area's first byte */
	int prot;                       /* IOMMU_READ | IOMMU_WRITE */
};

struct iopt_reserved {
	struct interval_node node;
	const void *owner;
};

struct io_pagetable {
	struct interval_tree areas;
	struct interval_tree reserved;
	struct interval_tree allowed;
	struct iommu_domain **domains;
	size_t ndomains;
	uint64_t iova_alignment;
	bool disable_large_pages;
	struct umem *umem;
};

/* A slice of pages for COPY. */
struct iopt_pages_slice {
	struct iopt_pages *pages;
	uint64_t offset, length;
};

void iopt_init(struct io_pagetable *iopt, struct umem *umem);
/* Unmaps everything; no domain may remain. */
void iopt_destroy(struct io_pagetable *iopt);

/* MAP: *iova in (fixed) or out. Errnos as IOMMU_IOAS_MAP after the ioctl's
 * own checks. */
int iopt_map_user(struct io_pagetable *iopt, uint64_t *iova, uint64_t uva,
		  uint64_t length, int prot, bool fixed);
/* COPY's two halves: the pages under [iova, iova + length) of src (each
 * slice takes a reference), then their mapping in dst. */
int iopt_get_pages(struct io_pagetable *iopt, uint64_t iova, uint64_t length,
		   struct iopt_pages_slice **out, size_t *count);
void iopt_put_pages(struct iopt_pages_slice *slices, size_t count);
int iopt_map_pages(struct io_pagetable *iopt, uint64_t *iova,
		   const struct iopt_pages_slice *slices, size_t count,
		   uint64_t length, int prot, bool fixed);

int iopt_unmap_iova(struct io_pagetable *iopt, uint64_t iova, uint64_t length,
		    uint64_t *unmapped);
int iopt_unmap_all(struct io_pagetable *iopt, uint64_t *unmapped);

/* Replace the allowed list (inclusive ranges, checked by the caller to be
 * non-empty and disjoint): -EADDRINUSE if one meets a reserved range. */
int iopt_set_allow_iova(struct io_pagetable *iopt,
			const struct iommu_iova_range *ranges, size_t n);

/* Reserve [start, last] for owner: -EADDRINUSE over an area or an allowed
 * range. Remove every reservation of owner. */
int iopt_reserve(struct io_pagetable *iopt, uint64_t start, uint64_t last,
		 const void *owner);
void iopt_remove_reserved(struct io_pagetable *iopt, const void *owner);

/* The usable IOVA: the holes between reserved ranges over [0, U64_MAX],
 * lowest first. fn returns non-zero to stop. Returns the number of
 * holes visited. */
size_t iopt_for_each_hole(struct io_pagetable *iopt,
			  void (*fn)(void *opaque, uint64_t start, uint64_t last),
			  void *opaque);

int iopt_table_add_domain(struct io_pagetable *iopt,
			  struct iommu_domain *domain);
void iopt_table_remove_domain(struct io_pagetable *iopt,
			      struct iommu_domain *domain);

int iopt_set_large_pages(struct io_pagetable *iopt, bool enable);

/* GET_DIRTY_BITMAP over a range the areas cover contiguously (-EINVAL
 * otherwise); bitmap NULL only clears. */
int iopt_read_and_clear_dirty(struct io_pagetable *iopt,
			      struct iommu_domain *domain, uint64_t iova,
			      uint64_t length, struct iova_bitmap *bitmap,
			      unsigned flags);
/* Clean every area of domain (done before enabling tracking). */
void iopt_clear_dirty(struct io_pagetable *iopt, struct iommu_domain *domain);

/* An access's view (Linux's iopt_area_contig_for_each): fn for each
 * piece of [iova, iova + length) with the user address behind it, in
 * order, once the whole range is known to be mapped (-ENOENT otherwise)
 * and, for write, writable (-EPERM). A non-zero fn return stops the walk
 * and is returned. */
typedef int (*iopt_uva_fn)(void *opaque, uint64_t iova, uint64_t uva,
			   uint64_t len);
int iopt_access_walk(struct io_pagetable *iopt, uint64_t iova, uint64_t length,
		     bool write, iopt_uva_fn fn, void *opaque);

#endif
