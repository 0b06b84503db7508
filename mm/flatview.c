// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Rendering a region tree into a FlatView, as QEMU's render_memory_region:
 * regions are visited highest priority first and each terminal region
 * (RAM, ram-device, MMIO) claims only the parts of its clipped extent that
 * nothing rendered before it claimed. Arithmetic is 128-bit because alias
 * offsets can move a subtree's base below zero before clipping.
 */
#include <partita/heap.h>
#include <partita/mm/memory.h>
#include <string.h>
#include "memory-internal.h"

typedef __int128 i128;

struct render {
	FlatView *fv;
	bool failed;
	/* First pass: each terminal region's clipped extent appended as it
	 * is, unsorted (see flatview_render). */
	bool collect;
};

bool flatview_reserve(FlatView *fv, size_t n)
{
	FlatRange *grown;
	size_t cap;

	if (n <= fv->cap)
		return true;
	cap = fv->cap ? fv->cap * 2 : 16;
	while (cap < n)
		cap *= 2;
	grown = heap_realloc(fv->ranges, cap * sizeof(*grown));
	if (!grown)
		return false;
	fv->ranges = grown;
	fv->cap = cap;
	return true;
}

bool flatview_insert(FlatView *fv, size_t pos, const FlatRange *fr)
{
	if (!flatview_reserve(fv, fv->nr + 1))
		return false;
	memmove(&fv->ranges[pos + 1], &fv->ranges[pos],
		(fv->nr - pos) * sizeof(*fr));
	fv->ranges[pos] = *fr;
	fv->nr++;
	return true;
}

/* Fill the gaps of [start, end) with pieces of mr. */
static bool claim(FlatView *fv, MemoryRegion *mr, i128 start, i128 end,
		  i128 offset_in_region, bool readonly)
{
	FlatRange fr = { .mr = mr, .readonly = readonly,
			 .protected = mr->protected };
	i128 base = start;
	size_t i = 0;

	/* Skip ranges wholly before us (the view is sorted). */
	while (i < fv->nr &&
	       (i128)fv->ranges[i].addr + fv->ranges[i].size <= base)
		i++;
	while (base < end) {
		i128 gap_end = end;

		if (i < fv->nr && (i128)fv->ranges[i].addr <= base) {
			/* Already claimed: step over this range. */
			base = (i128)fv->ranges[i].addr + fv->ranges[i].size;
			i++;
			continue;
		}
		if (i < fv->nr && (i128)fv->ranges[i].addr < gap_end)
			gap_end = fv->ranges[i].addr;
		fr.addr = (uint64_t)base;
		fr.size = (uint64_t)(gap_end - base);
		fr.offset_in_region = (uint64_t)(offset_in_region + (base - start));
		if (!flatview_insert(fv, i, &fr))
			return false;
		i++;
		base = gap_end;
	}
	return true;
}

static void render(struct render *r, MemoryRegion *mr, i128 base,
		   i128 clip_start, i128 clip_end, bool readonly)
{
	i128 start, end;

	if (r->failed || !mr->enabled)
		return;
	base += mr->addr;
	readonly |= mr->readonly;
	start = base > clip_start ? base : clip_start;
	end = base + mr->size < clip_end ? base + mr->size : clip_end;
	if (start >= end)
		return;

	if (mr->kind == MR_ALIAS) {
		/* The target is rendered as if placed at base - alias_offset;
		 * render() adds the target's own addr back. */
		render(r, mr->alias, base - mr->alias->addr - mr->alias_offset,
		       start, end, readonly);
		return;
	}
	for (MemoryRegion *s = mr->subregions; s; s = s->next_sibling)
		render(r, s, base, start, end, readonly);
	if (!memory_region_is_terminal(mr))
		return;
	if (r->collect) {
		FlatView *fv = r->fv;

		if (!flatview_reserve(fv, fv->nr + 1)) {
			r->failed = true;
			return;
		}
		fv->ranges[fv->nr++] = (FlatRange){
			.mr = mr, .addr = (uint64_t)start,
			.size = (uint64_t)(end - start),
			.offset_in_region = (uint64_t)(start - base),
			.readonly = readonly, .protected = mr->protected };
	} else if (!claim(r->fv, mr, start, end, start - base, readonly)) {
		r->failed = true;
	}
}

/* Bottom-up merge sort of v[0..n) by address, through tmp (n entries). */
static void sort_ranges(FlatRange *v, FlatRange *tmp, size_t n)
{
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t a = lo, b = mid, o = lo;

			while (a < mid && b < hi)
				tmp[o++] = v[b].addr < v[a].addr ? v[b++] : v[a++];
			while (a < mid)
				tmp[o++] = v[a++];
			while (b < hi)
				tmp[o++] = v[b++];
		}
		memcpy(v, tmp, n * sizeof(*v));
	}
}

/* Sorted, and no two extents overlap: then each region claims all of
 * its extent, and the collected pieces are the view. Out of memory for
 * the sort fails the render (r->failed). */
static bool sorted_disjoint(struct render *r)
{
	FlatView *fv = r->fv;
	FlatRange *tmp;

	if (fv->nr < 2)
		return true;
	tmp = heap_alloc(fv->nr * sizeof(*tmp));
	if (!tmp) {
		r->failed = true;
		return true;
	}
	sort_ranges(fv->ranges, tmp, fv->nr);
	heap_free(tmp);
	for (size_t i = 0; i + 1 < fv->nr; i++)
		if ((i128)fv->ranges[i].addr + fv->ranges[i].size >
		    (i128)fv->ranges[i + 1].addr)
			return false;
	return true;
}

static bool can_merge(const FlatRange *a, const FlatRange *b)
{
	return a->mr == b->mr && a->addr + a->size == b->addr &&
	       a->offset_in_region + a->size == b->offset_in_region &&
	       a->readonly == b->readonly && a->protected == b->protected;
}

static void simplify(FlatView *fv)
{
	size_t out = 0;

	for (size_t i = 0; i < fv->nr; i++) {
		if (out && can_merge(&fv->ranges[out - 1], &fv->ranges[i]))
			fv->ranges[out - 1].size += fv->ranges[i].size;
		else
			fv->ranges[out++] = fv->ranges[i];
	}
	fv->nr = out;
}

FlatView *flatview_render(MemoryRegion *root, Error **errp)
{
	struct render r = { .fv = heap_zalloc(sizeof(FlatView)) };

	if (!r.fv)
		goto nomem;
	/* The root sits at 0 whatever its addr says. Regions usually do
	 * not overlap: their extents, collected and sorted, are then the
	 * view (n log n). Otherwise the priority walk, where each claims
	 * only what nothing before it did (quadratic in the worst case). */
	r.collect = true;
	if (root)
		render(&r, root, -(i128)root->addr, 0, (i128)UINT64_MAX, false);
	r.fv->disjoint = true;
	if (!r.failed && !sorted_disjoint(&r)) {
		r.fv->disjoint = false;
		r.fv->nr = 0;
		r.collect = false;
		if (root)
			render(&r, root, -(i128)root->addr, 0, (i128)UINT64_MAX,
			       false);
	}
	if (r.failed) {
		flatview_free(r.fv);
		goto nomem;
	}
	simplify(r.fv);
	return r.fv;
nomem:
	error_setg(errp, "out of memory rendering address space '%s'",
		   root ? root->name : "(empty)");
	return NULL;
}

void flatview_free(FlatView *fv)
{
	if (!fv)
		return;
	heap_free(fv->ranges);
	heap_free(fv);
}

const FlatRange *flatview_lookup(const FlatView *fv, uint64_t addr)
{
	size_t lo = 0, hi = fv->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const FlatRange *fr = &fv->ranges[mid];

		if (addr < fr->addr)
			hi = mid;
		else if (addr - fr->addr >= fr->size)
			lo = mid + 1;
		else
			return fr;
	}
	return NULL;
}

bool flatrange_equal(const FlatRange *a, const FlatRange *b)
{
	return a->addr == b->addr && a->size == b->size && a->mr == b->mr &&
	       a->offset_in_region == b->offset_in_region &&
	       a->readonly == b->readonly && a->protected == b->protected;
}
