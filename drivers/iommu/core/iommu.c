// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The IOMMU core: groups, domains, and map/unmap that picks page sizes.
 * Hardware specifics live behind struct iommu_ops / iommu_domain_ops.
 */
#include <partita/err.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/iommu/iommu.h>
#include <partita/mm/page-alloc.h>
#include <partita/mm/user-mem.h>

int iommu_group_add_device(struct iommu_group *group, struct device *dev)
{
	struct device **devs = heap_realloc(group->devices,
					    (group->ndevices + 1) * sizeof(*devs));

	if (!devs)
		return -ENOMEM;
	devs[group->ndevices++] = dev;
	group->devices = devs;
	dev->group = group;
	return 0;
}

void iommu_group_release(struct iommu_group *group)
{
	heap_free(group->devices);
	group->devices = NULL;
	group->ndevices = 0;
}

bool iommu_group_viable(const struct iommu_group *group)
{
	for (size_t i = 0; i < group->ndevices; i++)
		if (group->devices[i]->owner == DEVICE_OWNER_KERNEL)
			return false;
	return true;
}

bool device_iommu_capable(struct device *dev, enum iommu_cap cap)
{
	return dev->iommu && dev->iommu->ops->capable &&
	       dev->iommu->ops->capable(dev, cap);
}

struct iommu_domain *iommu_domain_alloc_paging(struct device *dev,
					       unsigned flags)
{
	struct iommu_domain *d;

	if (!dev->iommu)
		return ERR_PTR(-ENODEV);
	d = dev->iommu->ops->domain_alloc_paging(dev, flags);
	if (!IS_ERR(d))
		d->iommu = dev->iommu;
	return d;
}

void iommu_domain_free(struct iommu_domain *domain)
{
	if (domain)
		domain->ops->free(domain);
}

static void restore(struct iommu_group *group, size_t upto)
{
	for (size_t i = 0; i < upto; i++) {
		struct device *dev = group->devices[i];

		if (group->domain)
			dev->iommu->ops->attach_dev(group->domain, dev);
		else
			dev->iommu->ops->block_dev(dev);
		dev->domain = group->domain;
	}
}

int iommu_attach_group(struct iommu_domain *domain, struct iommu_group *group)
{
	if (group->domain == domain)
		return 0;
	for (size_t i = 0; i < group->ndevices; i++) {
		struct device *dev = group->devices[i];
		int ret;

		if (dev->iommu != domain->iommu) {
			restore(group, i);
			return -EINVAL;
		}
		ret = dev->iommu->ops->attach_dev(domain, dev);
		if (ret) {
			restore(group, i);
			return ret;
		}
		dev->domain = domain;
	}
	if (group->domain)
		group->domain->users -= (unsigned)group->ndevices;
	group->domain = domain;
	domain->users += (unsigned)group->ndevices;
	return 0;
}

void iommu_detach_group(struct iommu_group *group)
{
	if (!group->domain)
		return;
	for (size_t i = 0; i < group->ndevices; i++) {
		struct device *dev = group->devices[i];

		dev->iommu->ops->block_dev(dev);
		dev->domain = NULL;
	}
	group->domain->users -= (unsigned)group->ndevices;
	group->domain = NULL;
}

int iommu_map(struct iommu_domain *domain, uint64_t iova, uint64_t paddr,
	      uint64_t size, int prot)
{
	return iommu_map_sizes(domain, iova, paddr, size, prot,
			       domain->pgsize_bitmap);
}

int iommu_map_sizes(struct iommu_domain *domain, uint64_t iova, uint64_t paddr,
		    uint64_t size, int prot, uint64_t pgsizes)
{
	uint64_t min = pgsizes & -pgsizes;
	uint64_t orig_iova = iova, done = 0;
	int ret = 0;

	pgsizes &= domain->pgsize_bitmap;
	if (!pgsizes || !size || ((iova | paddr | size) & (min - 1)) ||
	    iova + size - 1 < iova)
		return -EINVAL;
	while (done < size) {
		size_t count, mapped = 0;
		size_t pgsize = io_pgtable_pgsize(pgsizes, iova, paddr, size - done,
					     &count);

		ret = domain->ops->map_pages(domain, iova, paddr, pgsize, count,
					     prot, &mapped);
		done += mapped;
		iova += mapped;
		paddr += mapped;
		if (ret)
			break;
	}
	if (!ret && domain->ops->iotlb_sync_map)
		ret = domain->ops->iotlb_sync_map(domain, orig_iova, size);
	if (ret && done)
		iommu_unmap(domain, orig_iova, done);
	return ret;
}

uint64_t iommu_unmap(struct iommu_domain *domain, uint64_t iova, uint64_t size)
{
	struct iommu_iotlb_gather gather;
	uint64_t done = 0;

	iommu_iotlb_gather_init(&gather);
	while (done < size) {
		size_t count;
		size_t pgsize = io_pgtable_pgsize(domain->pgsize_bitmap, iova, iova,
					     size - done, &count);
		size_t n = domain->ops->unmap_pages(domain, iova, pgsize, count,
						    &gather);

		if (!n)
			break;
		done += n;
		iova += n;
	}
	if (domain->ops->iotlb_sync)
		domain->ops->iotlb_sync(domain, &gather);
	return done;
}

uint64_t iommu_iova_to_phys(struct iommu_domain *domain, uint64_t iova)
{
	return domain->ops->iova_to_phys(domain, iova);
}

struct map_user {
	struct iommu_domain *domain;
	uint64_t iova, done, pgsizes;
	int prot;
};

static int map_user_piece(void *opaque, uint64_t va, uint64_t pa, uint64_t len,
			  enum umem_kind kind)
{
	struct map_user *m = opaque;
	int ret;

	/* Pieces must be whole pages: an IOMMU maps nothing smaller. */
	if ((pa | len) & (PAGE_SIZE - 1))
		return -EFAULT;
	ret = iommu_map_sizes(m->domain, m->iova, pa, len,
			      m->prot | (kind == UMEM_IO ? IOMMU_MMIO : IOMMU_CACHE),
			      m->pgsizes);
	if (ret)
		return ret;
	m->iova += len;
	m->done += len;
	return 0;
}

int iommu_map_user(struct iommu_domain *domain, struct umem *um,
		   uint64_t iova, uint64_t uva, uint64_t len, int prot,
		   bool allow_io, uint64_t pgsizes)
{
	struct map_user m = { domain, iova, 0, pgsizes, prot };
	int ret = umem_walk(um, uva, len, allow_io ? UMEM_ALLOW_IO : 0,
			    map_user_piece, &m);

	if (ret && m.done)
		iommu_unmap(domain, iova, m.done);
	return ret;
}

int iommu_pgtable_map_pages(struct iommu_domain *d, uint64_t iova,
			    uint64_t paddr, size_t pgsize, size_t pgcount,
			    int prot, size_t *mapped)
{
	return d->pgtable->map_pages(d->pgtable, iova, paddr, pgsize, pgcount,
				     prot, mapped);
}

size_t iommu_pgtable_unmap_pages(struct iommu_domain *d, uint64_t iova,
				 size_t pgsize, size_t pgcount,
				 struct iommu_iotlb_gather *gather)
{
	return d->pgtable->unmap_pages(d->pgtable, iova, pgsize, pgcount, gather);
}

uint64_t iommu_pgtable_iova_to_phys(struct iommu_domain *d, uint64_t iova)
{
	return d->pgtable->iova_to_phys(d->pgtable, iova);
}

void iommu_pgtable_gather_page(struct iommu_iotlb_gather *g, uint64_t iova,
			       size_t granule, void *cookie)
{
	if (iova < g->start)
		g->start = iova;
	if (iova + granule - 1 > g->end || g->end < g->start)
		g->end = iova + granule - 1;
}
