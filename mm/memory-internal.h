/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared between the files of mm/ only. */
#ifndef PARTITA_MM_MEMORY_INTERNAL_H
#define PARTITA_MM_MEMORY_INTERNAL_H

#include <partita/mm/memory.h>

/*
 * Record that the region map of ctx changed at where (a region whose
 * placement, fields or subregions changed). Outside a transaction this
 * commits at once; false (with errp) means the new map could not be
 * rendered and the caller must undo its change, then call
 * memory_change_undone(ctx, was_pending).
 */
bool memory_changed(MemoryContext *ctx, MemoryRegion *where, Error **errp);
void memory_change_undone(MemoryContext *ctx, bool was_pending);

/*
 * The same for sub placed in (placed) or removed from container. When
 * sub is a leaf (a terminal region without subregions) the change is
 * logged, so that a view can be patched (flatview-patch.c).
 */
bool memory_leaf_changed(MemoryContext *ctx, MemoryRegion *container,
			 MemoryRegion *leaf, bool placed, Error **errp);

/* RAM, ram-device or MMIO: a region that claims addresses itself (a
 * container or alias only places others). */
static inline bool memory_region_is_terminal(const MemoryRegion *mr)
{
	return mr->kind == MR_RAM || mr->kind == MR_RAM_DEVICE ||
	       mr->kind == MR_MMIO;
}

/* Room for n ranges; false when out of memory (fv unchanged). */
bool flatview_reserve(FlatView *fv, size_t n);
/* Insert fr at pos, growing the array; false when out of memory. */
bool flatview_insert(FlatView *fv, size_t pos, const FlatRange *fr);

/*
 * Bring as's view up to date with ctx's leaf log in place, recording in
 * as->undo how to take it back. False, with the view as it was, when the
 * view cannot be patched (rendered with overlaps, a leaf that would
 * overlap another, out of memory): render it instead.
 */
bool flatview_patch(AddressSpace *as, const MemoryContext *ctx);
/* Take back the last flatview_patch() of as. */
void flatview_unpatch(AddressSpace *as);

/* Tell as's listeners the difference between old and new. */
void memory_listeners_update(AddressSpace *as, const FlatView *old,
			     const FlatView *new);

#endif
