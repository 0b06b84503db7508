// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /dev/vfio/vfio with the type1 IOMMU model: user mappings kept whole in
 * an interval tree, mirrored in one domain per IOMMU instance, pinned
 * through the user memory map (device memory allowed: peer-to-peer), at
 * most 65535 of them. Checks and errnos follow Linux's container.c and
 * vfio_iommu_type1.c, in their order.
 */
#include "type1-private.h"
#include <partita/compiler.h>
#include <partita/err.h>
#include <partita/heap.h>
#include <partita/iommu/vfio-type1.h>
#include <partita/iova-bitmap.h>
#include <partita/mm/page-alloc.h>
#include <partita/mm/user-mem.h>
#include <uapi/linux/vfio.h>
#include <partita/errno.h>
#include <partita/sys/namespace.h>
#include <string.h>

#define OFFSETOFEND(type, field) \
	(offsetof(type, field) + sizeof(((type *)0)->field))
/* Linux: DIRTY_BITMAP_BYTES(INT_MAX pages). */
#define DIRTY_BITMAP_SIZE_MAX 0x10000000ULL

static struct umem *container_umem(struct type1_container *c)
{
	return sys_umem(c->file->sys);
}

/* The smallest page every domain maps, folded to PAGE_SIZE (Linux). */
static uint64_t pgsize_bitmap(struct type1_container *c)
{
	uint64_t bm = ~0ULL;

	for (struct type1_domain *d = c->domains; d; d = d->next)
		bm &= d->domain->pgsize_bitmap;
	if (!c->domains)
		bm = PAGE_SIZE;
	if (bm & (PAGE_SIZE - 1)) {
		bm &= ~(PAGE_SIZE - 1);
		bm |= PAGE_SIZE;
	}
	return bm;
}

static uint64_t min_pgsize(struct type1_container *c)
{
	uint64_t bm = pgsize_bitmap(c);

	return bm & -bm;
}

/* ---- pinning and mapping a vfio_dma ----------------------------------- */

static uint64_t dma_size(const struct vfio_dma *dma)
{
	return dma->node.last - dma->node.start + 1;
}

static int dma_map_domain(struct type1_container *c, struct vfio_dma *dma,
			  struct iommu_domain *d)
{
	return iommu_map_user(d, container_umem(c), dma->node.start, dma->vaddr,
			      dma_size(dma), dma->prot, true, d->pgsize_bitmap);
}

/* Pin and map into every domain, or nothing. */
static int dma_pin_map(struct type1_container *c, struct vfio_dma *dma)
{
	struct type1_domain *d;
	int ret;

	/* A device may write only memory its owner may write. */
	if (umem_pin(container_umem(c), dma->vaddr, dma_size(dma),
		     UMEM_ALLOW_IO | (dma->prot & IOMMU_WRITE ? UMEM_WRITE : 0)))
		return -EFAULT;
	for (d = c->domains; d; d = d->next) {
		ret = dma_map_domain(c, dma, d->domain);
		if (ret)
			goto undo;
	}
	dma->pinned = true;
	return 0;
undo:
	for (struct type1_domain *u = c->domains; u != d; u = u->next)
		iommu_unmap(u->domain, dma->node.start, dma_size(dma));
	umem_unpin(container_umem(c), dma->vaddr, dma_size(dma));
	return ret;
}

static void dma_remove(struct type1_container *c, struct vfio_dma *dma)
{
	if (dma->pinned) {
		for (struct type1_domain *d = c->domains; d; d = d->next)
			iommu_unmap(d->domain, dma->node.start, dma_size(dma));
		umem_unpin(container_umem(c), dma->vaddr, dma_size(dma));
	}
	interval_tree_remove(&c->dmas, &dma->node);
	heap_free(dma);
	c->dma_avail++;
}

static void remove_all(struct type1_container *c)
{
	struct interval_node *n;

	while ((n = interval_tree_first(&c->dmas)))
		dma_remove(c, container_of(n, struct vfio_dma, node));
}

/* ---- valid IOVA ---------------------------------------------------------- */

/* Group g's devices' reserved windows into the container's set, each
 * window once (at most TYPE1_MAX_RESV distinct ones). */
static void windows_add(struct type1_container *c, const struct type1_group *g)
{
	for (size_t i = 0; i < g->group->ndevices; i++) {
		struct device *dev = g->group->devices[i];
		const struct iommu_resv_region *r;
		size_t k = dev->iommu->ops->resv_regions ?
			   dev->iommu->ops->resv_regions(dev, &r) : 0;

		for (size_t j = 0; j < k; j++) {
			unsigned have = 0;

			while (have < c->nresv &&
			       (c->resv[have].start != r[j].start ||
				c->resv[have].last != r[j].last))
				have++;
			if (have == c->nresv && c->nresv < TYPE1_MAX_RESV)
				c->resv[c->nresv++] = r[j];
		}
	}
}

/* The reserved windows of every attached group's devices, each once:
 * c->resv[0 .. the count returned). */
static unsigned attached_windows(struct type1_container *c)
{
	if (c->resv_stale) {
		c->nresv = 0;
		for (struct type1_group *g = c->groups; g; g = g->next)
			if (g->domain)
				windows_add(c, g);
		c->resv_stale = false;
	}
	return c->nresv;
}

/* Inside every domain's aperture (and extra's, a domain about to join)
 * and outside the reserved windows of every attached group's devices. */
static bool iova_fits(struct type1_container *c, struct iommu_domain *extra,
		      uint64_t start, uint64_t last)
{
	const struct iommu_resv_region *resv = c->resv;
	unsigned n;

	if (extra && (start < extra->aperture_start || last > extra->aperture_end))
		return false;
	for (struct type1_domain *d = c->domains; d; d = d->next)
		if (start < d->domain->aperture_start || last > d->domain->aperture_end)
			return false;
	n = attached_windows(c);
	for (unsigned k = 0; k < n; k++)
		if (start <= resv[k].last && resv[k].start <= last)
			return false;
	return true;
}

static bool iova_valid(struct type1_container *c, uint64_t start, uint64_t last)
{
	return iova_fits(c, NULL, start, last);
}

/* ---- groups joining and leaving --------------------------------------- */

static int attach_group(struct type1_container *c, struct type1_group *g)
{
	struct device *dev = g->group->devices[0];
	struct type1_domain *td;
	bool fresh = false;
	int ret, err = 0;

	/* Mediated devices: no domain, their drivers pin through us. */
	if (g->group->emulated) {
		type1_emulated_attach(c, g);
		return 0;
	}
	for (td = c->domains; td; td = td->next)
		if (td->domain->iommu == dev->iommu)
			break;
	if (!td) {
		td = heap_zalloc(sizeof(*td));
		if (!td)
			return -ENOMEM;
		td->domain = iommu_domain_alloc_paging(dev, 0);
		if (IS_ERR(td->domain)) {
			err = (int)PTR_ERR(td->domain);
			heap_free(td);
			return err;
		}
		fresh = true;
	}
	/* The existing mappings must fit the new aperture and the group's
	 * windows (counted while g->domain is set). */
	g->domain = td;
	if (!c->resv_stale)
		windows_add(c, g);
	for (struct interval_node *n = interval_tree_first(&c->dmas); n;
	     n = interval_tree_next(n)) {
		if (!iova_fits(c, fresh ? td->domain : NULL, n->start, n->last)) {
			ret = -EINVAL;
			goto fail;
		}
	}
	if (fresh) {
		/* Replay every mapping into the new domain. */
		for (struct interval_node *n = interval_tree_first(&c->dmas); n;
		     n = interval_tree_next(n)) {
			struct vfio_dma *dma = container_of(n, struct vfio_dma, node);

			ret = dma->pinned ? dma_map_domain(c, dma, td->domain) :
					    dma_pin_map(c, dma);
			if (ret) {
				for (struct interval_node *m = interval_tree_first(&c->dmas);
				     m != n; m = interval_tree_next(m))
					iommu_unmap(td->domain, m->start,
						    m->last - m->start + 1);
				goto fail;
			}
		}
	}
	ret = iommu_attach_group(td->domain, g->group);
	if (ret) {
		if (fresh)
			iommu_unmap(td->domain, 0, UINT64_MAX);
		goto fail;
	}
	if (fresh) {
		td->next = c->domains;
		c->domains = td;
	}
	td->groups++;
	return 0;
fail:
	g->domain = NULL;
	c->resv_stale = true;
	if (fresh) {
		iommu_domain_free(td->domain);
		heap_free(td);
	}
	return ret;
}

static void detach_group(struct type1_container *c, struct type1_group *g)
{
	struct type1_domain *td = g->domain, **link;

	if (g->group->emulated) {
		type1_emulated_detach(g);
		return;
	}
	if (!td)
		return;
	c->resv_stale = true;            /* gathered again when next asked */
	iommu_detach_group(g->group);
	g->domain = NULL;
	if (--td->groups)
		return;
	for (struct interval_node *n = interval_tree_first(&c->dmas); n;
	     n = interval_tree_next(n))
		iommu_unmap(td->domain, n->start, n->last - n->start + 1);
	for (link = &c->domains; *link != td; link = &(*link)->next)
		;
	*link = td->next;
	iommu_domain_free(td->domain);
	heap_free(td);
}

int type1_container_add_group(struct type1_container *c, struct type1_group *g)
{
	if (c->iommu_set) {
		int ret = attach_group(c, g);

		if (ret)
			return ret;
	}
	g->container = c;
	g->next = c->groups;
	c->groups = g;
	return 0;
}

void type1_container_remove_group(struct type1_container *c,
				  struct type1_group *g)
{
	struct type1_group **link;

	detach_group(c, g);
	for (link = &c->groups; *link != g; link = &(*link)->next)
		;
	*link = g->next;
	g->container = NULL;
	/* The last group out takes the IOMMU model and every mapping. */
	if (!c->groups) {
		remove_all(c);
		c->iommu_set = false;
		c->v2 = false;
		c->dirty_tracking = false;
	}
}

/* ---- the ioctls ------------------------------------------------------------ */

static long check_extension(struct type1_container *c, unsigned long ext)
{
	switch (ext) {
	case VFIO_TYPE1_IOMMU:
	case VFIO_TYPE1v2_IOMMU:
	case VFIO_TYPE1_NESTING_IOMMU:
	case VFIO_UNMAP_ALL:
		return 1;
	case VFIO_UPDATE_VADDR:
	case VFIO_DMA_CC_IOMMU:
		/* Known only once the IOMMU model is set. */
		return c->iommu_set;
	default:
		return 0;
	}
}

static long set_iommu(struct type1_container *c, unsigned long type)
{
	struct type1_group *g;
	int ret;

	if (!c->groups || c->iommu_set)
		return -EINVAL;
	if (type != VFIO_TYPE1_IOMMU && type != VFIO_TYPE1v2_IOMMU &&
	    type != VFIO_TYPE1_NESTING_IOMMU)
		return -ENODEV;
	/* Nesting needs a domain the IOMMU can nest (Linux's
	 * iommu_enable_nesting at attach); none of Partita's can (QEMU's
	 * SMMUv3 has stage 1 only), so the attach fails as Linux's does
	 * on an IOMMU without it, and the container stays unset. */
	if (type == VFIO_TYPE1_NESTING_IOMMU)
		return -EINVAL;
	for (g = c->groups; g; g = g->next) {
		ret = attach_group(c, g);
		if (ret)
			goto undo;
	}
	c->iommu_set = true;
	c->v2 = type != VFIO_TYPE1_IOMMU;
	c->dma_avail = TYPE1_DMA_ENTRY_LIMIT;
	return 0;
undo:
	for (struct type1_group *u = c->groups; u != g; u = u->next)
		detach_group(c, u);
	return ret;
}

/* Append a capability to buf (grown on the heap); *size is the chain's
 * length so far. Offsets are fixed up to the info struct later. NULL
 * only when out of memory. */
static void *add_cap(uint8_t **buf, size_t *size, size_t len, uint16_t id)
{
	uint8_t *grown = heap_realloc(*buf, *size + len);
	struct vfio_info_cap_header *h;

	if (!grown)
		return NULL;
	memset(grown + *size, 0, len);
	h = (struct vfio_info_cap_header *)(grown + *size);
	h->id = id;
	h->version = 1;
	*buf = grown;
	*size += len;
	return h;
}

struct iova_list {
	struct vfio_iova_range r[16];
	uint32_t n;
};

/* The valid IOVA list: apertures minus reserved windows (Linux's
 * iova_list), sorted. */
static void build_iova_list(struct type1_container *c, struct iova_list *l)
{
	uint64_t start = 0, end = UINT64_MAX;
	const struct iommu_resv_region *resv = c->resv;
	unsigned nresv;

	for (struct type1_domain *d = c->domains; d; d = d->next) {
		if (d->domain->aperture_start > start)
			start = d->domain->aperture_start;
		if (d->domain->aperture_end < end)
			end = d->domain->aperture_end;
	}
	nresv = attached_windows(c);
	l->n = 0;
	/* Walk [start, end] skipping reserved windows, lowest first. */
	while (start <= end && l->n < ARRAY_SIZE(l->r)) {
		uint64_t stop = end, next = 0;
		bool hit = false;

		for (unsigned k = 0; k < nresv; k++) {
			if (resv[k].last < start || resv[k].start > stop)
				continue;
			if (resv[k].start <= start) {
				hit = true;
				next = resv[k].last;
				break;
			}
			stop = resv[k].start - 1;
		}
		if (hit) {
			if (next >= end)
				break;
			start = next + 1;
			continue;
		}
		l->r[l->n++] = (struct vfio_iova_range){ start, stop };
		if (stop == end)
			break;
		start = stop + 1;
	}
}

static long get_info(struct type1_container *c, void *arg)
{
	const size_t minsz = OFFSETOFEND(struct vfio_iommu_type1_info, iova_pgsizes);
	const size_t capsz = OFFSETOFEND(struct vfio_iommu_type1_info, cap_offset);
	struct vfio_iommu_type1_info info;
	struct vfio_iommu_type1_info_cap_migration *mig;
	struct vfio_iommu_type1_info_dma_avail *avail;
	struct vfio_iommu_type1_info_cap_iova_range *ranges;
	struct iova_list list;
	uint8_t *caps = NULL;
	size_t size = 0, copy = minsz, off_mig, off_avail, off_ranges;

	memcpy(&info, arg, minsz);
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_IOMMU_INFO_PGSIZES;
	if (info.argsz >= capsz) {
		copy = capsz;
		info.flags |= VFIO_IOMMU_INFO_CAPS;
	}
	info.iova_pgsizes = pgsize_bitmap(c);
	info.cap_offset = 0;
	build_iova_list(c, &list);

	/* Migration, DMA available, IOVA ranges: Linux's order. */
	off_mig = size;
	mig = add_cap(&caps, &size, sizeof(*mig), VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION);
	if (!mig)
		return -ENOMEM;
	mig->flags = 0;
	/* The dirty bitmap's granule: the smallest page size (Linux). */
	mig->pgsize_bitmap = min_pgsize(c);
	mig->max_dirty_bitmap_size = DIRTY_BITMAP_SIZE_MAX;
	off_avail = size;
	avail = add_cap(&caps, &size, sizeof(*avail) + 4, VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL);
	if (!avail) {
		heap_free(caps);
		return -ENOMEM;
	}
	avail->avail = c->dma_avail;
	off_ranges = size;
	ranges = add_cap(&caps, &size, sizeof(*ranges) + list.n * sizeof(list.r[0]),
			 VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE);
	if (!ranges) {
		heap_free(caps);
		return -ENOMEM;
	}
	ranges->nr_iovas = list.n;
	memcpy(ranges->iova_ranges, list.r, list.n * sizeof(list.r[0]));
	/* Chain them, offsets from the start of the info struct. */
	((struct vfio_info_cap_header *)(caps + off_mig))->next =
		(uint32_t)(sizeof(info) + off_avail);
	((struct vfio_info_cap_header *)(caps + off_avail))->next =
		(uint32_t)(sizeof(info) + off_ranges);

	info.flags |= VFIO_IOMMU_INFO_CAPS;
	if (info.argsz < sizeof(info) + size) {
		/* Too small: say how much is needed, succeed, no chain. */
		info.argsz = (uint32_t)(sizeof(info) + size);
	} else {
		memcpy((uint8_t *)arg + sizeof(info), caps, size);
		info.cap_offset = sizeof(info);
	}
	heap_free(caps);
	memcpy(arg, &info, copy);
	return 0;
}

struct vfio_dma *type1_find_dma(struct type1_container *c, uint64_t start,
				uint64_t last)
{
	struct interval_node *n = interval_tree_iter_first(&c->dmas, start, last);

	return n ? container_of(n, struct vfio_dma, node) : NULL;
}

/* Would [start, last] cut a mapping at either end? (v2 never splits.) */
static bool cuts_mapping(struct type1_container *c, uint64_t start,
			 uint64_t last)
{
	struct vfio_dma *d = type1_find_dma(c, start, start);

	if (d && d->node.start != start)
		return true;
	d = type1_find_dma(c, last, last);
	return d && d->node.last != last;
}

static long map_dma(struct type1_container *c, void *arg)
{
	const size_t minsz = OFFSETOFEND(struct vfio_iommu_type1_dma_map, size);
	const uint32_t mask = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE |
			      VFIO_DMA_MAP_FLAG_VADDR;
	struct vfio_iommu_type1_dma_map map;
	bool set_vaddr;
	struct vfio_dma *dma;
	uint64_t pgsize;
	int prot = 0, ret;

	memcpy(&map, arg, minsz);
	if (map.argsz < minsz || (map.flags & ~mask))
		return -EINVAL;
	set_vaddr = map.flags & VFIO_DMA_MAP_FLAG_VADDR;
	if (map.flags & VFIO_DMA_MAP_FLAG_READ)
		prot |= IOMMU_READ;
	if (map.flags & VFIO_DMA_MAP_FLAG_WRITE)
		prot |= IOMMU_WRITE;
	if ((prot && set_vaddr) || (!prot && !set_vaddr))
		return -EINVAL;
	pgsize = min_pgsize(c);
	if (!map.size || ((map.size | map.iova | map.vaddr) & (pgsize - 1)))
		return -EINVAL;
	if (map.iova + map.size - 1 < map.iova ||
	    map.vaddr + map.size - 1 < map.vaddr)
		return -EINVAL;
	dma = type1_find_dma(c, map.iova, map.iova + map.size - 1);
	if (set_vaddr) {
		if (!dma)
			return -ENOENT;
		if (!dma->vaddr_invalid || dma->node.start != map.iova ||
		    dma_size(dma) != map.size)
			return -EINVAL;
		dma->vaddr = map.vaddr;
		dma->vaddr_invalid = false;
		return 0;
	}
	if (dma)
		return -EEXIST;
	if (!c->dma_avail)
		return -ENOSPC;
	if (!iova_valid(c, map.iova, map.iova + map.size - 1))
		return -EINVAL;
	dma = heap_zalloc(sizeof(*dma));
	if (!dma)
		return -ENOMEM;
	dma->node.start = map.iova;
	dma->node.last = map.iova + map.size - 1;
	dma->vaddr = map.vaddr;
	dma->prot = prot;
	if (c->domains) {
		ret = dma_pin_map(c, dma);
		if (ret) {
			heap_free(dma);
			return ret;
		}
	}
	interval_tree_insert(&c->dmas, &dma->node);
	c->dma_avail--;
	return 0;
}

static int verify_bitmap_size(uint64_t npages, uint64_t bytes)
{
	if (!npages || !bytes || bytes > DIRTY_BITMAP_SIZE_MAX ||
	    bytes < (npages + 63) / 64 * 8)
		return -EINVAL;
	return 0;
}

/* Without page-pinning scope every mapped page counts as dirty (Linux). */
static void report_dirty(struct iova_bitmap *b, struct vfio_dma *dma)
{
	iova_bitmap_set(b, dma->node.start, dma_size(dma));
}

/* Make the user addresses of the mappings in [start, end) valid again:
 * a failed VADDR unmap's own invalidations (they were all valid). */
static void revalidate(struct type1_container *c, uint64_t start, uint64_t end)
{
	if (end <= start)
		return;
	for (struct interval_node *n = interval_tree_iter_first(&c->dmas, start,
								end - 1);
	     n; n = interval_tree_iter_next(n, start, end - 1))
		container_of(n, struct vfio_dma, node)->vaddr_invalid = false;
}

static long unmap_dma(struct type1_container *c, void *arg)
{
	const size_t minsz = OFFSETOFEND(struct vfio_iommu_type1_dma_unmap, size);
	const uint32_t mask = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP |
			      VFIO_DMA_UNMAP_FLAG_ALL | VFIO_DMA_UNMAP_FLAG_VADDR;
	struct vfio_iommu_type1_dma_unmap unmap;
	struct vfio_bitmap bitmap = { 0 };
	struct iova_bitmap ib;
	uint64_t pgsize, size, last, first, unmapped = 0;
	bool all, vaddr;

	memcpy(&unmap, arg, minsz);
	if (unmap.argsz < minsz || (unmap.flags & ~mask))
		return -EINVAL;
	all = unmap.flags & VFIO_DMA_UNMAP_FLAG_ALL;
	vaddr = unmap.flags & VFIO_DMA_UNMAP_FLAG_VADDR;
	if ((unmap.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) && (all || vaddr))
		return -EINVAL;
	if (unmap.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) {
		if (unmap.argsz < minsz + sizeof(bitmap))
			return -EINVAL;
		memcpy(&bitmap, (uint8_t *)arg + minsz, sizeof(bitmap));
		if (!bitmap.pgsize)
			return -EINVAL;
		if (verify_bitmap_size(unmap.size >> __builtin_ctzll(bitmap.pgsize),
				       bitmap.size))
			return -EINVAL;
	}
	pgsize = min_pgsize(c);
	if (unmap.iova & (pgsize - 1))
		return -EINVAL;
	size = unmap.size;
	if (all) {
		if (unmap.iova || unmap.size)
			return -EINVAL;
		size = UINT64_MAX;
	} else if (!size || (size & (pgsize - 1)) ||
		   unmap.iova + size - 1 < unmap.iova) {
		return -EINVAL;
	}
	if ((unmap.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) &&
	    (!c->dirty_tracking || bitmap.pgsize != pgsize))
		return -EINVAL;
	last = all ? UINT64_MAX : unmap.iova + size - 1;
	/* v2: no splitting a mapping at either end. */
	if (c->v2 && !all && cuts_mapping(c, unmap.iova, last))
		return -EINVAL;
	if (unmap.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) {
		/* Linux copies each mapping's bits out before removing it:
		 * with nowhere to copy to, the first fails and nothing goes. */
		if (!bitmap.data && type1_find_dma(c, unmap.iova, last))
			return -EFAULT;
		iova_bitmap_init(&ib, unmap.iova, size,
				 (unsigned)__builtin_ctzll(bitmap.pgsize), bitmap.data);
	}
	first = unmap.iova;
	for (;;) {
		struct vfio_dma *dma = type1_find_dma(c, unmap.iova, last);

		if (!dma)
			break;
		/* v1: a mapping that starts before the range stops the walk. */
		if (!c->v2 && dma->node.start < unmap.iova)
			break;
		if (vaddr) {
			/* Invalidate (not unmap) the user address, once; a
			 * call that meets one already invalid takes back its
			 * own invalidations (Linux rolls back). */
			if (dma->vaddr_invalid) {
				revalidate(c, first, dma->node.start);
				return -EINVAL;
			}
			dma->vaddr_invalid = true;
			unmapped += dma_size(dma);
			if (dma->node.last >= last)
				break;
			/* continue with mappings after this one */
			unmap.iova = dma->node.last + 1;
			continue;
		}
		if (unmap.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP)
			report_dirty(&ib, dma);
		unmapped += dma_size(dma);
		dma_remove(c, dma);
	}
	unmap.size = unmapped;
	memcpy(arg, &unmap, minsz);
	return 0;
}

static long dirty_pages(struct type1_container *c, void *arg)
{
	const size_t minsz = OFFSETOFEND(struct vfio_iommu_type1_dirty_bitmap, flags);
	const uint32_t mask = VFIO_IOMMU_DIRTY_PAGES_FLAG_START |
			      VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP |
			      VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP;
	struct vfio_iommu_type1_dirty_bitmap dirty;
	struct vfio_iommu_type1_dirty_bitmap_get range;
	struct iova_bitmap ib;
	uint64_t pgsize, last;

	if (!c->v2)
		return -EACCES;
	memcpy(&dirty, arg, minsz);
	if (dirty.argsz < minsz || (dirty.flags & ~mask))
		return -EINVAL;
	/* Exactly one flag. */
	if (!dirty.flags || (dirty.flags & (dirty.flags - 1)))
		return -EINVAL;
	if (dirty.flags & VFIO_IOMMU_DIRTY_PAGES_FLAG_START) {
		c->dirty_tracking = true;
		return 0;
	}
	if (dirty.flags & VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP) {
		c->dirty_tracking = false;
		return 0;
	}
	if (dirty.argsz - minsz < sizeof(range))
		return -EINVAL;
	memcpy(&range, (uint8_t *)arg + minsz, sizeof(range));
	if (range.iova + range.size < range.iova)
		return -EINVAL;
	if (!range.bitmap.pgsize)
		return -EINVAL;
	if (verify_bitmap_size(range.size >> __builtin_ctzll(range.bitmap.pgsize),
			       range.bitmap.size))
		return -EINVAL;
	pgsize = min_pgsize(c);
	if (range.bitmap.pgsize != pgsize || (range.iova & (pgsize - 1)) ||
	    !range.size || (range.size & (pgsize - 1)))
		return -EINVAL;
	if (!c->dirty_tracking)
		return -EINVAL;
	last = range.iova + range.size - 1;
	if (cuts_mapping(c, range.iova, last))
		return -EINVAL;
	/* Linux copies the bits of each mapping in the range out: with
	 * nowhere to copy to, that is EFAULT (a range mapping nothing
	 * copies nothing). */
	if (!range.bitmap.data && type1_find_dma(c, range.iova, last))
		return -EFAULT;
	iova_bitmap_init(&ib, range.iova, range.size,
			 (unsigned)__builtin_ctzll(pgsize), range.bitmap.data);
	for (struct interval_node *n = interval_tree_iter_first(&c->dmas, range.iova, last);
	     n; n = interval_tree_iter_next(n, range.iova, last))
		report_dirty(&ib, container_of(n, struct vfio_dma, node));
	return 0;
}

static long container_ioctl(struct sys_file *file, unsigned long request,
			    void *arg)
{
	struct type1_container *c = file->priv;

	switch (request) {
	case VFIO_GET_API_VERSION:
		return VFIO_API_VERSION;
	case VFIO_CHECK_EXTENSION:
		return check_extension(c, (unsigned long)(uintptr_t)arg);
	case VFIO_SET_IOMMU:
		return set_iommu(c, (unsigned long)(uintptr_t)arg);
	case VFIO_IOMMU_GET_INFO:
	case VFIO_IOMMU_MAP_DMA:
	case VFIO_IOMMU_UNMAP_DMA:
	case VFIO_IOMMU_DIRTY_PAGES:
		break;
	default:
		/* Linux passes what it does not know to the IOMMU model,
		 * which says ENOTTY; without one, the container says EINVAL. */
		return c->iommu_set ? -ENOTTY : -EINVAL;
	}
	/* Everything else needs the IOMMU model. */
	if (!c->iommu_set)
		return -EINVAL;
	if (!arg)
		return -EFAULT;
	switch (request) {
	case VFIO_IOMMU_GET_INFO:
		return get_info(c, arg);
	case VFIO_IOMMU_MAP_DMA:
		return map_dma(c, arg);
	case VFIO_IOMMU_UNMAP_DMA:
		return unmap_dma(c, arg);
	default:
		return dirty_pages(c, arg);
	}
}

static void container_release(struct sys_file *file)
{
	struct type1_container *c = file->priv;

	/* Groups hold the file while set, so none is left. */
	remove_all(c);
	heap_free(c);
}

static const struct sys_file_ops container_fops = {
	.ioctl = container_ioctl,
	.release = container_release,
};

struct type1_container *type1_container_from_file(struct sys_file *file)
{
	return sys_file_priv_of(file, &container_fops);
}

static int container_open(struct sys *sys, void *opaque, struct sys_file **out)
{
	struct type1_container *c = sys_file_open_new(sys, &container_fops,
						      sizeof(*c), out);

	if (IS_ERR(c))
		return (int)PTR_ERR(c);
	c->dma_avail = TYPE1_DMA_ENTRY_LIMIT;
	c->file = *out;
	return 0;
}

int vfio_type1_register(struct sys *sys)
{
	/* /dev/vfio/vfio is misc device 10:196 on Linux. */
	return sys_ns_add_chardev(sys, "/dev/vfio/vfio", 10, 196, container_open,
				  NULL);
}
