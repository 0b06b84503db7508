// SPDX-License-Identifier: GPL-2.0-or-later
#include "io-pagetable.h"
#include <partita/compiler.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/iova-bitmap.h>
#include <partita/mm/page-alloc.h>
#include <partita/mm/user-mem.h>
#include <string.h>

void iopt_init(struct io_pagetable *iopt, struct umem *umem)
{
	memset(iopt, 0, sizeof(*iopt));
	iopt->iova_alignment = 1;
	iopt->umem = umem;
}

static void pages_put(struct iopt_pages *pages)
{
	if (pages && !--pages->refs) {
		heap_free(pages->runs);
		heap_free(pages);
	}
}

static struct iopt_area *to_area(struct interval_node *n)
{
	return n ? container_of(n, struct iopt_area, node) : NULL;
}

static uint64_t area_uva(const struct iopt_area *a)
{
	return a->pages->uva + a->pages_offset;
}

static uint64_t area_len(const struct iopt_area *a)
{
	return a->node.last - a->node.start + 1;
}

static uint64_t large_sizes(const struct io_pagetable *iopt,
			    const struct iommu_domain *d)
{
	return iopt->disable_large_pages ? PAGE_SIZE : d->pgsize_bitmap;
}

/* ---- one area in one domain -------------------------------------------- */

struct runs_reader {
	struct iopt_pages *pages;
	size_t cap;
};

static int add_run(void *opaque, uint64_t va, uint64_t pa, uint64_t len,
		   enum umem_kind kind)
{
	struct runs_reader *r = opaque;
	struct iopt_pages *p = r->pages;

	(void)kind;                 /* RAM only: the walk refuses the rest */
	if (p->nruns == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 4;
		struct iopt_pfn_run *grown = heap_realloc(p->runs,
							  cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		p->runs = grown;
		r->cap = cap;
	}
	p->runs[p->nruns++] = (struct iopt_pfn_run){ va - p->uva, pa, len };
	return 0;
}

/* Read the pages' physical runs from the user's memory map: 0, or
 * -ENOMEM. Where a part of the pages (beyond the area being filled) is
 * not RAM there are no runs, and each fill looks its own range up. */
static int pages_read_runs(struct umem *um, struct iopt_pages *p)
{
	struct runs_reader r = { p, 0 };
	int ret = umem_walk(um, p->uva, p->length, 0, add_run, &r);

	if (ret) {
		heap_free(p->runs);
		p->runs = NULL;
		p->nruns = 0;
	}
	return ret == -ENOMEM ? ret : 0;
}

/* Map bytes [off, off + len) of the pages at iova from their runs (whole
 * pages only, as iommu_map_user). All or nothing. */
static int map_from_runs(struct iommu_domain *d, const struct iopt_pages *p,
			 uint64_t iova, uint64_t off, uint64_t len, int prot,
			 uint64_t pgsizes)
{
	uint64_t done = 0;

	for (size_t i = 0; i < p->nruns && done < len; i++) {
		const struct iopt_pfn_run *r = &p->runs[i];
		uint64_t from = off + done, n, pa;
		int ret;

		if (from >= r->off + r->len)
			continue;
		n = r->off + r->len - from;
		if (n > len - done)
			n = len - done;
		pa = r->pa + (from - r->off);
		ret = (pa | n) & (PAGE_SIZE - 1) ? -EFAULT :
		      iommu_map_sizes(d, iova + done, pa, n, prot | IOMMU_CACHE,
				      pgsizes);
		if (ret) {
			if (done)
				iommu_unmap(d, iova, done);
			return ret;
		}
		done += n;
	}
	if (done == len)
		return 0;
	if (done)
		iommu_unmap(d, iova, done);
	return -EFAULT;
}

static void pages_unpin_user(struct iopt_pages *p)
{
	if (--p->pin_users)
		return;
	heap_free(p->runs);
	p->runs = NULL;
	p->nruns = 0;
}

/* Pin the area's memory (RAM only: iommufd refuses device memory, as
 * pin_user_pages does) and map it into domain. All or nothing. */
static int area_fill_domain(struct io_pagetable *iopt, struct iopt_area *a,
			    struct iommu_domain *d)
{
	struct iopt_pages *p = a->pages;
	int ret = umem_pin(iopt->umem, area_uva(a), area_len(a),
			   a->prot & IOMMU_WRITE ? UMEM_WRITE : 0);

	if (ret)
		return -EFAULT;
	p->pin_users++;
	if (!p->runs)
		ret = pages_read_runs(iopt->umem, p);
	if (!ret && p->runs)
		ret = map_from_runs(d, p, a->node.start, a->pages_offset,
				    area_len(a), a->prot, large_sizes(iopt, d));
	else if (!ret)
		ret = iommu_map_user(d, iopt->umem, a->node.start, area_uva(a),
				     area_len(a), a->prot, false,
				     large_sizes(iopt, d));
	if (ret) {
		umem_unpin(iopt->umem, area_uva(a), area_len(a));
		pages_unpin_user(p);
	}
	return ret;
}

static void area_unfill_domain(struct io_pagetable *iopt, struct iopt_area *a,
			       struct iommu_domain *d)
{
	iommu_unmap(d, a->node.start, area_len(a));
	umem_unpin(iopt->umem, area_uva(a), area_len(a));
	pages_unpin_user(a->pages);
}

/* Into every domain, or into none. */
static int area_fill_domains(struct io_pagetable *iopt, struct iopt_area *a)
{
	for (size_t i = 0; i < iopt->ndomains; i++) {
		int ret = area_fill_domain(iopt, a, iopt->domains[i]);

		if (ret) {
			while (i--)
				area_unfill_domain(iopt, a, iopt->domains[i]);
			return ret;
		}
	}
	return 0;
}

static void area_remove(struct io_pagetable *iopt, struct iopt_area *a)
{
	for (size_t i = 0; i < iopt->ndomains; i++)
		area_unfill_domain(iopt, a, iopt->domains[i]);
	interval_tree_remove(&iopt->areas, &a->node);
	pages_put(a->pages);
	heap_free(a);
}

void iopt_destroy(struct io_pagetable *iopt)
{
	struct interval_node *n;

	while ((n = interval_tree_first(&iopt->areas)))
		area_remove(iopt, to_area(n));
	while ((n = interval_tree_first(&iopt->reserved))) {
		interval_tree_remove(&iopt->reserved, n);
		heap_free(container_of(n, struct iopt_reserved, node));
	}
	while ((n = interval_tree_first(&iopt->allowed))) {
		interval_tree_remove(&iopt->allowed, n);
		heap_free(n);
	}
	heap_free(iopt->domains);
	iopt->domains = NULL;
}

/* ---- finding IOVA ------------------------------------------------------- */

/* The first [start, start + len) at or after from, aligned as asked, that
 * no area and no reserved range touches and that ends by limit. */
static bool find_hole(struct io_pagetable *iopt, uint64_t from, uint64_t limit,
		      uint64_t len, uint64_t align, uint64_t page_offset,
		      uint64_t *out)
{
	uint64_t start = from;

	for (;;) {
		struct interval_node *a, *r, *hit;
		uint64_t cand = (PT_ALIGN_UP(start, align)) | page_offset, last;

		if (cand < start || cand > limit || limit - cand < len - 1)
			return false;
		last = cand + len - 1;
		a = interval_tree_iter_first(&iopt->areas, cand, last);
		r = interval_tree_iter_first(&iopt->reserved, cand, last);
		hit = !a ? r : !r ? a : (a->last > r->last ? a : r);
		if (!hit) {
			*out = cand;
			return true;
		}
		/* Skip past what is in the way (the later-ending one of the
		 * lowest-starting hits keeps this linear in their number). */
		if (hit->last == UINT64_MAX)
			return false;
		start = hit->last + 1;
	}
}

static int alloc_iova(struct io_pagetable *iopt, uint64_t uva, uint64_t len,
		      uint64_t *iova)
{
	uint64_t align, page_offset = uva & (PAGE_SIZE - 1);
	struct interval_node *n;

	/* Linux: len 0 or at least half the space overflows roundup. The
	 * IOVA keeps the user address's offset in its page (Linux ORs it
	 * into the aligned start). */
	if (!len || len >= UINT64_MAX / 2)
		return -EOVERFLOW;
	align = 1ULL << (64 - __builtin_clzll(len - 1 ? len - 1 : 1));
	if (len == 1)
		align = 1;
	/* Keep the user address's alignment, so large pages fit. */
	if (uva && (uva & -uva) < align)
		align = uva & -uva;
	if (align < iopt->iova_alignment)
		return -EINVAL;
	if (!iopt->allowed.count)
		return find_hole(iopt, PAGE_SIZE, UINT64_MAX - PAGE_SIZE, len, align,
				 page_offset, iova) ? 0 : -ENOSPC;
	for (n = interval_tree_first(&iopt->allowed); n; n = interval_tree_next(n)) {
		uint64_t from = n->start > PAGE_SIZE ? n->start : PAGE_SIZE;
		uint64_t limit = n->last < UINT64_MAX - PAGE_SIZE ?
				 n->last : UINT64_MAX - PAGE_SIZE;

		if (from <= limit &&
		    find_hole(iopt, from, limit, len, align, page_offset, iova))
			return 0;
	}
	return -ENOSPC;
}

static int check_fixed_iova(struct io_pagetable *iopt, uint64_t iova,
			    uint64_t len)
{
	uint64_t last;

	if (iova & (iopt->iova_alignment - 1))
		return -EINVAL;
	if (iova + (len - 1) < iova)
		return -EOVERFLOW;
	last = iova + len - 1;
	if (interval_tree_iter_first(&iopt->reserved, iova, last))
		return -EINVAL;
	if (interval_tree_iter_first(&iopt->areas, iova, last))
		return -EEXIST;
	return 0;
}

/* ---- MAP and COPY -------------------------------------------------------- */

/* Place areas for slices at *iova (fixed or found), fill every domain,
 * then publish; on failure nothing of it remains. */
static int map_slices(struct io_pagetable *iopt, uint64_t *iova,
		      const struct iopt_pages_slice *slices, size_t count,
		      uint64_t length, int prot, bool fixed, uint64_t uva)
{
	struct iopt_area **areas;
	uint64_t at;
	size_t made = 0;
	int ret;

	if (length % iopt->iova_alignment)
		return -EINVAL;
	if (fixed) {
		ret = check_fixed_iova(iopt, *iova, length);
		at = *iova;
	} else {
		ret = alloc_iova(iopt, uva, length, &at);
	}
	if (ret)
		return ret;
	/* The page offset of the memory must suit the IOVA alignment. */
	for (size_t i = 0; i < count; i++)
		if (((slices[i].pages->uva + slices[i].offset) % PAGE_SIZE) %
		    iopt->iova_alignment)
			return -EINVAL;
	areas = heap_calloc(count, sizeof(*areas));
	if (!areas)
		return -ENOMEM;
	for (uint64_t next = at; made < count; made++) {
		struct iopt_area *a = heap_zalloc(sizeof(*a));

		if (!a) {
			ret = -ENOMEM;
			goto undo;
		}
		a->node.start = next;
		a->node.last = next + slices[made].length - 1;
		a->pages = slices[made].pages;
		a->pages_offset = slices[made].offset;
		a->prot = prot;
		areas[made] = a;
		ret = area_fill_domains(iopt, a);
		if (ret) {
			heap_free(a);
			goto undo;
		}
		next += slices[made].length;
	}
	/* Publish. */
	for (size_t i = 0; i < count; i++) {
		areas[i]->pages->refs++;
		interval_tree_insert(&iopt->areas, &areas[i]->node);
	}
	heap_free(areas);
	*iova = at;
	return 0;
undo:
	while (made--) {
		for (size_t i = 0; i < iopt->ndomains; i++)
			area_unfill_domain(iopt, areas[made], iopt->domains[i]);
		heap_free(areas[made]);
	}
	heap_free(areas);
	return ret;
}

int iopt_map_user(struct io_pagetable *iopt, uint64_t *iova, uint64_t uva,
		  uint64_t length, int prot, bool fixed)
{
	struct iopt_pages_slice slice;
	struct iopt_pages *pages;
	int ret;

	if (!length || length > UINT64_MAX - PAGE_SIZE)
		return -EINVAL;
	if (uva + length < uva)
		return -EOVERFLOW;
	pages = heap_zalloc(sizeof(*pages));
	if (!pages)
		return -ENOMEM;
	pages->uva = uva;
	pages->length = length;
	pages->writable = prot & IOMMU_WRITE;
	slice = (struct iopt_pages_slice){ pages, 0, length };
	ret = map_slices(iopt, iova, &slice, 1, length, prot, fixed, uva);
	if (ret)
		heap_free(pages);      /* no area took a reference */
	return ret;
}

int iopt_get_pages(struct io_pagetable *iopt, uint64_t iova, uint64_t length,
		   struct iopt_pages_slice **out, size_t *count)
{
	struct iopt_pages_slice *s = NULL;
	uint64_t last, next = iova;
	size_t n = 0;

	if (!length)
		return -EINVAL;
	if (iova + (length - 1) < iova)
		return -EOVERFLOW;
	last = iova + length - 1;
	/* Contiguous areas must cover the whole range. */
	for (struct interval_node *nd = interval_tree_iter_first(&iopt->areas, iova, last);
	     nd; nd = interval_tree_iter_next(nd, iova, last)) {
		struct iopt_area *a = to_area(nd);
		uint64_t from = nd->start > iova ? nd->start : iova;
		uint64_t to = nd->last < last ? nd->last : last;
		struct iopt_pages_slice *grown;

		if (nd->start > next)
			break;
		grown = heap_realloc(s, (n + 1) * sizeof(*s));
		if (!grown) {
			iopt_put_pages(s, n);
			return -ENOMEM;
		}
		s = grown;
		s[n].pages = a->pages;
		s[n].offset = a->pages_offset + (from - nd->start);
		s[n].length = to - from + 1;
		a->pages->refs++;
		n++;
		if (to == last) {
			*out = s;
			*count = n;
			return 0;
		}
		next = to + 1;
	}
	iopt_put_pages(s, n);
	return -ENOENT;
}

void iopt_put_pages(struct iopt_pages_slice *slices, size_t count)
{
	for (size_t i = 0; i < count; i++)
		pages_put(slices[i].pages);
	heap_free(slices);
}

int iopt_map_pages(struct io_pagetable *iopt, uint64_t *iova,
		   const struct iopt_pages_slice *slices, size_t count,
		   uint64_t length, int prot, bool fixed)
{
	for (size_t i = 0; i < count; i++)
		if ((prot & IOMMU_WRITE) && !slices[i].pages->writable)
			return -EPERM;
	return map_slices(iopt, iova, slices, count, length, prot, fixed,
			  slices[0].pages->uva + slices[0].offset);
}

/* ---- UNMAP ---------------------------------------------------------------- */

static int unmap_range(struct io_pagetable *iopt, uint64_t start,
		       uint64_t last, uint64_t *unmapped)
{
	uint64_t done = 0;
	bool any = false;
	struct interval_node *n;

	/* Lowest first; an area not wholly inside stops the walk, and what
	 * was unmapped before it stays unmapped (as Linux). */
	while ((n = interval_tree_iter_first(&iopt->areas, start, last))) {
		struct iopt_area *a = to_area(n);

		if (n->start < start || n->last > last) {
			*unmapped = done;
			return -ENOENT;
		}
		any = true;
		done += area_len(a);
		area_remove(iopt, a);
	}
	*unmapped = done;
	return any ? 0 : -ENOENT;
}

int iopt_unmap_iova(struct io_pagetable *iopt, uint64_t iova, uint64_t length,
		    uint64_t *unmapped)
{
	*unmapped = 0;
	if (!length)
		return -EINVAL;
	if (iova + (length - 1) < iova)
		return -EOVERFLOW;
	return unmap_range(iopt, iova, iova + length - 1, unmapped);
}

int iopt_unmap_all(struct io_pagetable *iopt, uint64_t *unmapped)
{
	int ret = unmap_range(iopt, 0, UINT64_MAX, unmapped);

	return ret == -ENOENT ? 0 : ret;
}

/* ---- allowed and reserved ranges ------------------------------------------ */

int iopt_set_allow_iova(struct io_pagetable *iopt,
			const struct iommu_iova_range *ranges, size_t n)
{
	struct interval_tree fresh = INTERVAL_TREE_INIT;
	struct interval_node *nd;
	int ret = 0;

	for (size_t i = 0; i < n; i++) {
		if (interval_tree_iter_first(&iopt->reserved, ranges[i].start,
					     ranges[i].last)) {
			ret = -EADDRINUSE;
			goto out;
		}
		nd = heap_zalloc(sizeof(*nd));
		if (!nd) {
			ret = -ENOMEM;
			goto out;
		}
		nd->start = ranges[i].start;
		nd->last = ranges[i].last;
		interval_tree_insert(&fresh, nd);
	}
	/* Swap atomically: the old list goes. */
	{
		struct interval_tree old = iopt->allowed;

		iopt->allowed = fresh;
		fresh = old;
	}
out:
	while ((nd = interval_tree_first(&fresh))) {
		interval_tree_remove(&fresh, nd);
		heap_free(nd);
	}
	return ret;
}

int iopt_reserve(struct io_pagetable *iopt, uint64_t start, uint64_t last,
		 const void *owner)
{
	struct iopt_reserved *r;

	if (interval_tree_iter_first(&iopt->areas, start, last) ||
	    interval_tree_iter_first(&iopt->allowed, start, last))
		return -EADDRINUSE;
	r = heap_zalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->node.start = start;
	r->node.last = last;
	r->owner = owner;
	interval_tree_insert(&iopt->reserved, &r->node);
	return 0;
}

void iopt_remove_reserved(struct io_pagetable *iopt, const void *owner)
{
	struct interval_node *n = interval_tree_first(&iopt->reserved);

	while (n) {
		struct interval_node *next = interval_tree_next(n);
		struct iopt_reserved *r = container_of(n, struct iopt_reserved, node);

		if (r->owner == owner) {
			interval_tree_remove(&iopt->reserved, n);
			heap_free(r);
			/* Removal rebalances: start over from the lowest. */
			next = interval_tree_first(&iopt->reserved);
		}
		n = next;
	}
}

size_t iopt_for_each_hole(struct io_pagetable *iopt,
			  void (*fn)(void *opaque, uint64_t start, uint64_t last),
			  void *opaque)
{
	uint64_t next = 0;
	size_t holes = 0;
	bool done = false;

	for (struct interval_node *n = interval_tree_first(&iopt->reserved);
	     n && !done; n = interval_tree_next(n)) {
		if (n->start > next) {
			fn(opaque, next, n->start - 1);
			holes++;
		}
		if (n->last == UINT64_MAX)
			done = true;
		else if (n->last + 1 > next)
			next = n->last + 1;
	}
	if (!done) {
		fn(opaque, next, UINT64_MAX);
		holes++;
	}
	return holes;
}

/* ---- domains --------------------------------------------------------------- */

static uint64_t wanted_alignment(const struct io_pagetable *iopt,
				 const struct iommu_domain *extra)
{
	uint64_t align = iopt->disable_large_pages ? PAGE_SIZE : 1;

	for (size_t i = 0; i <= iopt->ndomains; i++) {
		const struct iommu_domain *d = i < iopt->ndomains ?
					       iopt->domains[i] : extra;
		uint64_t min;

		if (!d)
			continue;
		min = d->pgsize_bitmap & -d->pgsize_bitmap;
		if (min > align)
			align = min;
	}
	return align;
}

/* Raise (or lower) the alignment: -EADDRINUSE if an area breaks it. */
static int set_alignment(struct io_pagetable *iopt, uint64_t align)
{
	if (align > iopt->iova_alignment) {
		for (struct interval_node *n = interval_tree_first(&iopt->areas);
		     n; n = interval_tree_next(n))
			if ((n->start | (n->last + 1)) & (align - 1) ||
			    area_uva(to_area(n)) & (align - 1) & (PAGE_SIZE - 1))
				return -EADDRINUSE;
	}
	iopt->iova_alignment = align;
	return 0;
}

int iopt_table_add_domain(struct io_pagetable *iopt,
			  struct iommu_domain *domain)
{
	uint64_t min = domain->pgsize_bitmap & -domain->pgsize_bitmap;
	uint64_t old_align = iopt->iova_alignment;
	struct iommu_domain **grown;
	struct interval_node *n;
	int ret;

	if (!min || min > PAGE_SIZE)
		return -EINVAL;
	/* Everything outside the aperture is reserved for this domain. */
	if (domain->aperture_start) {
		ret = iopt_reserve(iopt, 0, domain->aperture_start - 1, domain);
		if (ret)
			goto fail;
	}
	if (domain->aperture_end != UINT64_MAX) {
		ret = iopt_reserve(iopt, domain->aperture_end + 1, UINT64_MAX,
				   domain);
		if (ret)
			goto fail;
	}
	ret = set_alignment(iopt, wanted_alignment(iopt, domain));
	if (ret)
		goto fail;
	for (n = interval_tree_first(&iopt->areas); n; n = interval_tree_next(n)) {
		ret = area_fill_domain(iopt, to_area(n), domain);
		if (ret)
			goto fail_unfill;
	}
	/* Only now grow the list, so a failure above leaves it untouched. */
	grown = heap_realloc(iopt->domains, (iopt->ndomains + 1) * sizeof(*grown));
	if (!grown) {
		ret = -ENOMEM;
		goto fail_unfill;
	}
	iopt->domains = grown;
	iopt->domains[iopt->ndomains++] = domain;
	return 0;
fail_unfill:
	for (struct interval_node *m = interval_tree_first(&iopt->areas); m != n;
	     m = interval_tree_next(m))
		area_unfill_domain(iopt, to_area(m), domain);
	iopt->iova_alignment = old_align;
fail:
	iopt_remove_reserved(iopt, domain);
	return ret;
}

void iopt_table_remove_domain(struct io_pagetable *iopt,
			      struct iommu_domain *domain)
{
	size_t i;

	for (i = 0; i < iopt->ndomains && iopt->domains[i] != domain; i++)
		;
	if (i == iopt->ndomains)
		return;
	for (struct interval_node *n = interval_tree_first(&iopt->areas); n;
	     n = interval_tree_next(n))
		area_unfill_domain(iopt, to_area(n), domain);
	iopt->domains[i] = iopt->domains[--iopt->ndomains];
	if (!iopt->ndomains) {
		heap_free(iopt->domains);
		iopt->domains = NULL;
	}
	iopt_remove_reserved(iopt, domain);
	/* Lowering the alignment never fails. */
	set_alignment(iopt, wanted_alignment(iopt, NULL));
}

int iopt_set_large_pages(struct io_pagetable *iopt, bool enable)
{
	int ret;

	if (enable == !iopt->disable_large_pages)
		return 0;
	if (enable) {
		iopt->disable_large_pages = false;
		set_alignment(iopt, wanted_alignment(iopt, NULL));
		return 0;
	}
	/* Large leaves already mapped cannot be split back. */
	if (iopt->ndomains && iopt->areas.count)
		return -EINVAL;
	iopt->disable_large_pages = true;
	ret = set_alignment(iopt, wanted_alignment(iopt, NULL));
	if (ret)
		iopt->disable_large_pages = false;
	return ret;
}

/* ---- dirty tracking ------------------------------------------------------- */

int iopt_read_and_clear_dirty(struct io_pagetable *iopt,
			      struct iommu_domain *domain, uint64_t iova,
			      uint64_t length, struct iova_bitmap *bitmap,
			      unsigned flags)
{
	uint64_t last = iova + length - 1, next = iova;

	if (!domain->ops->read_and_clear_dirty)
		return -EOPNOTSUPP;
	for (struct interval_node *n = interval_tree_iter_first(&iopt->areas, iova, last);
	     n; n = interval_tree_iter_next(n, iova, last)) {
		uint64_t from = n->start > iova ? n->start : iova;
		uint64_t to = n->last < last ? n->last : last;
		int ret;

		if (n->start > next)
			return -EINVAL;
		ret = domain->ops->read_and_clear_dirty(domain, from, to - from + 1,
							flags, bitmap);
		if (ret)
			return ret;
		if (to == last)
			return 0;
		next = to + 1;
	}
	return -EINVAL;
}

void iopt_clear_dirty(struct io_pagetable *iopt, struct iommu_domain *domain)
{
	for (struct interval_node *n = interval_tree_first(&iopt->areas); n;
	     n = interval_tree_next(n))
		domain->ops->read_and_clear_dirty(domain, n->start,
						  n->last - n->start + 1, 0, NULL);
}

/* ---- accesses (mediated devices) --------------------------------------- */

int iopt_access_walk(struct io_pagetable *iopt, uint64_t iova, uint64_t length,
		     bool write, iopt_uva_fn fn, void *opaque)
{
	uint64_t last, next;
	int ret;

	if (!length)
		return -EINVAL;
	if (iova + (length - 1) < iova)
		return -EOVERFLOW;
	last = iova + length - 1;
	/* Check the whole range first: a failure calls fn never. */
	next = iova;
	for (struct interval_node *nd = interval_tree_iter_first(&iopt->areas, iova, last);
	     nd; nd = interval_tree_iter_next(nd, iova, last)) {
		if (nd->start > next)
			return -ENOENT;
		if (write && !(to_area(nd)->prot & IOMMU_WRITE))
			return -EPERM;
		if (nd->last >= last)
			goto covered;
		next = nd->last + 1;
	}
	return -ENOENT;
covered:
	for (struct interval_node *nd = interval_tree_iter_first(&iopt->areas, iova, last);
	     nd; nd = interval_tree_iter_next(nd, iova, last)) {
		uint64_t from = nd->start > iova ? nd->start : iova;
		uint64_t to = nd->last < last ? nd->last : last;

		ret = fn(opaque, from, area_uva(to_area(nd)) + (from - nd->start),
			 to - from + 1);
		if (ret)
			return ret;
	}
	return 0;
}
