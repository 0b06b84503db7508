// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Patching a view instead of rendering it again. When the only changes
 * since the last render are leaves placed or removed (the context's leaf
 * log) and the view was rendered without overlaps, each leaf is one range
 * of the view: its visible extent, found by walking up to the root with
 * the same clipping as render(). Placing it inserts that range, removing
 * it deletes it: a binary search and a move of the tail, where a render
 * walks and sorts the whole tree. A leaf that would overlap another needs
 * the priority rules, so the patch gives up and the view is rendered.
 *
 * Only for address spaces without listeners (address-space.c): the patch
 * changes the view in place, and listeners need the old view to diff.
 */
#include <partita/mm/memory.h>
#include <string.h>
#include "memory-internal.h"

typedef __int128 i128;

/*
 * The range change c makes in the view of root, as render() would clip
 * it; false when c's leaf is not under root or not visible there.
 */
static bool leaf_range(const MemoryRegion *root,
		       const struct memory_leaf_change *c, FlatRange *out)
{
	/* [start, end) and the leaf's base, in the coordinates of mr's
	 * contents as the walk goes up. */
	i128 base = c->addr, start = base, end = base + c->size;
	bool readonly = c->readonly;
	const MemoryRegion *mr = c->container;

	if (!c->enabled)
		return false;
	for (;;) {
		if (!mr->enabled)
			return false;
		if (start < 0)
			start = 0;
		if (end > (i128)mr->size)
			end = mr->size;
		readonly |= mr->readonly;
		if (mr == root)
			break;           /* the root sits at 0 */
		if (!mr->container)
			return false;    /* not under this root */
		base += mr->addr;
		start += mr->addr;
		end += mr->addr;
		mr = mr->container;
	}
	if (end > (i128)UINT64_MAX)
		end = UINT64_MAX;
	if (start >= end)
		return false;
	*out = (FlatRange){ .addr = (uint64_t)start,
			    .size = (uint64_t)(end - start), .mr = c->leaf,
			    .offset_in_region = (uint64_t)(start - base),
			    .readonly = readonly, .protected = c->protected };
	return true;
}

/* The first range ending after addr (the view is sorted, disjoint). */
static size_t lower_bound(const FlatView *fv, uint64_t addr)
{
	size_t lo = 0, hi = fv->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (fv->ranges[mid].addr + fv->ranges[mid].size <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void remove_at(FlatView *fv, size_t pos)
{
	memmove(&fv->ranges[pos], &fv->ranges[pos + 1],
		(fv->nr - pos - 1) * sizeof(fv->ranges[0]));
	fv->nr--;
}

/* Apply one change; false, with fv unchanged, when it cannot be. */
static bool patch_one(FlatView *fv, const FlatRange *fr, bool placed,
		      struct flatview_undo *undo)
{
	size_t pos = lower_bound(fv, fr->addr);

	if (placed) {
		/* Nothing may end after its start and begin before its end. */
		if (pos < fv->nr && fv->ranges[pos].addr < fr->addr + fr->size)
			return false;
		/* Room was reserved for every placed leaf. */
		if (!flatview_insert(fv, pos, fr))
			return false;
	} else {
		if (pos == fv->nr || !flatrange_equal(&fv->ranges[pos], fr))
			return false;
		remove_at(fv, pos);
	}
	undo->op[undo->n].inserted = placed;
	undo->op[undo->n].pos = pos;
	undo->op[undo->n].fr = *fr;
	undo->n++;
	return true;
}

bool flatview_patch(AddressSpace *as, const MemoryContext *ctx)
{
	FlatView *fv = as->view;
	size_t placed = 0;

	as->undo.n = 0;
	if (!fv->disjoint || ctx->leaf_log_lost || ctx->aliases)
		return false;
	for (unsigned i = 0; i < ctx->nleaf_log; i++)
		placed += ctx->leaf_log[i].placed;
	if (!flatview_reserve(fv, fv->nr + placed))
		return false;
	for (unsigned i = 0; i < ctx->nleaf_log; i++) {
		const struct memory_leaf_change *c = &ctx->leaf_log[i];
		FlatRange fr;

		if (!leaf_range(as->root, c, &fr))
			continue;        /* changes nothing this space shows */
		if (!patch_one(fv, &fr, c->placed, &as->undo)) {
			flatview_unpatch(as);
			return false;
		}
	}
	return true;
}

void flatview_unpatch(AddressSpace *as)
{
	FlatView *fv = as->view;

	while (as->undo.n) {
		struct flatview_undo_op *op = &as->undo.op[--as->undo.n];

		if (op->inserted)
			remove_at(fv, op->pos);
		else
			flatview_insert(fv, op->pos, &op->fr); /* room: it held it */
	}
}
