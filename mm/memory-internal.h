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

/* Tell as's listeners the difference between old and new. */
void memory_listeners_update(AddressSpace *as, const FlatView *old,
			     const FlatView *new);

#endif
