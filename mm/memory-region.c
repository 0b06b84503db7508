// SPDX-License-Identifier: GPL-2.0-or-later
#include <partita/heap.h>
#include <partita/mm/memory.h>
#include <assert.h>
#include <string.h>
#include "memory-internal.h"

static bool init_common(MemoryRegion *mr, MemoryContext *ctx, const char *name,
			enum memory_region_kind kind, uint64_t size,
			Error **errp)
{
	memset(mr, 0, sizeof(*mr));
	mr->name = heap_strdup(name ? name : "anonymous");
	if (!mr->name) {
		error_setg(errp, "out of memory naming region '%s'",
			   name ? name : "anonymous");
		return false;
	}
	mr->ctx = ctx;
	mr->kind = kind;
	mr->size = size;
	mr->enabled = true;
	return true;
}

bool memory_region_init(MemoryRegion *mr, MemoryContext *ctx,
			const char *name, uint64_t size, Error **errp)
{
	return init_common(mr, ctx, name, MR_CONTAINER, size, errp);
}

bool memory_region_init_ram(MemoryRegion *mr, MemoryContext *ctx,
			    const char *name, uint64_t size, Error **errp)
{
	void *ram;

	if (size > SIZE_MAX) {
		error_setg(errp, "RAM region '%s' of 0x%llx bytes does not fit "
			   "in the host's address space", name,
			   (unsigned long long)size);
		return false;
	}
	ram = heap_zalloc((size_t)size);
	if (!ram) {
		error_setg(errp, "cannot allocate 0x%llx bytes of RAM for '%s'",
			   (unsigned long long)size, name);
		return false;
	}
	if (!init_common(mr, ctx, name, MR_RAM, size, errp)) {
		heap_free(ram);
		return false;
	}
	mr->ram_ptr = ram;
	mr->ram_len = size;
	mr->ram_owned = true;
	return true;
}

static bool init_ram_ptr(MemoryRegion *mr, MemoryContext *ctx,
			 const char *name, enum memory_region_kind kind,
			 uint64_t size, void *ptr, Error **errp)
{
	if (!init_common(mr, ctx, name, kind, size, errp))
		return false;
	mr->ram_ptr = ptr;
	mr->ram_len = size;
	return true;
}

bool memory_region_init_ram_ptr(MemoryRegion *mr, MemoryContext *ctx,
				const char *name, uint64_t size, void *ptr,
				Error **errp)
{
	return init_ram_ptr(mr, ctx, name, MR_RAM, size, ptr, errp);
}

bool memory_region_init_ram_device_ptr(MemoryRegion *mr, MemoryContext *ctx,
				       const char *name, uint64_t size,
				       void *ptr, Error **errp)
{
	return init_ram_ptr(mr, ctx, name, MR_RAM_DEVICE, size, ptr, errp);
}

bool memory_region_init_io(MemoryRegion *mr, MemoryContext *ctx,
			   const MemoryRegionOps *ops, void *opaque,
			   const char *name, uint64_t size, Error **errp)
{
	if (!init_common(mr, ctx, name, MR_MMIO, size, errp))
		return false;
	mr->ops = ops;
	mr->opaque = opaque;
	return true;
}

bool memory_region_init_alias(MemoryRegion *mr, MemoryContext *ctx,
			      const char *name, MemoryRegion *orig,
			      uint64_t offset, uint64_t size, Error **errp)
{
	if (orig->ctx != ctx) {
		error_setg(errp, "alias '%s' and its target '%s' belong to "
			   "different memory contexts", name, orig->name);
		return false;
	}
	if (!init_common(mr, ctx, name, MR_ALIAS, size, errp))
		return false;
	mr->alias = orig;
	mr->alias_offset = offset;
	orig->alias_users++;
	ctx->aliases++;
	return true;
}

void memory_region_finalize(MemoryRegion *mr)
{
	assert(!mr->container && "finalizing a region that is still placed");
	assert(!mr->alias_users && "finalizing a region that is aliased");

	if (mr->subregions) {
		memory_region_transaction_begin(mr->ctx);
		while (mr->subregions)
			memory_region_del_subregion(mr, mr->subregions,
						    &error_abort);
		/* Unplaced regions reach no address space, so this renders
		 * nothing new that could fail. */
		memory_region_transaction_commit(mr->ctx, &error_abort);
	}
	if (mr->alias) {
		mr->alias->alias_users--;
		mr->ctx->aliases--;
	}
	if (mr->ram_owned)
		heap_free(mr->ram_ptr);
	heap_free(mr->name);
	memset(mr, 0, sizeof(*mr));
}

/* Does walking down from a (subregions and alias targets) reach b? */
static bool reaches(const MemoryRegion *a, const MemoryRegion *b)
{
	if (a == b)
		return true;
	if (a->alias && reaches(a->alias, b))
		return true;
	for (const MemoryRegion *s = a->subregions; s; s = s->next_sibling)
		if (reaches(s, b))
			return true;
	return false;
}

/* Put sub at *link, a link of container's sibling list. */
static void link_at(MemoryRegion *container, MemoryRegion **link,
		    MemoryRegion *sub)
{
	sub->next_sibling = *link;
	if (*link)
		(*link)->sibling_link = &sub->next_sibling;
	*link = sub;
	sub->sibling_link = link;
	sub->container = container;
}

static MemoryRegion **last_link(MemoryRegion *container)
{
	MemoryRegion **link = &container->subregions;

	while (*link)
		link = &(*link)->next_sibling;
	return link;
}

/* Insert by priority, highest first; a newcomer goes before equals, so
 * among equal priorities the newest wins (QEMU's order). */
static void link_subregion(MemoryRegion *container, MemoryRegion *sub)
{
	MemoryRegion **link = &container->subregions;

	while (*link && (*link)->priority > sub->priority)
		link = &(*link)->next_sibling;
	link_at(container, link, sub);
}

/* Returns the sibling that followed sub, for relink_before(). */
static MemoryRegion *unlink_subregion(MemoryRegion *sub)
{
	MemoryRegion *after = sub->next_sibling;

	*sub->sibling_link = after;
	if (after)
		after->sibling_link = sub->sibling_link;
	sub->next_sibling = NULL;
	sub->sibling_link = NULL;
	sub->container = NULL;
	return after;
}

/* Undo an unlink_subregion(): put sub back exactly where it was. */
static void relink_before(MemoryRegion *container, MemoryRegion *sub,
			  MemoryRegion *after)
{
	link_at(container, after ? after->sibling_link :
			   last_link(container), sub);
}

static bool fits(uint64_t addr, uint64_t size)
{
	return size <= UINT64_MAX - addr;
}

bool memory_region_add_subregion_overlap(MemoryRegion *container,
					 uint64_t offset, MemoryRegion *sub,
					 int priority, Error **errp)
{
	bool was_pending = container->ctx->txn_pending;

	if (sub->container) {
		error_setg(errp, "region '%s' is already placed in '%s'",
			   sub->name, sub->container->name);
		return false;
	}
	if (sub->ctx != container->ctx) {
		error_setg(errp, "regions '%s' and '%s' belong to different "
			   "memory contexts", container->name, sub->name);
		return false;
	}
	if (container->kind == MR_ALIAS) {
		error_setg(errp, "alias '%s' cannot hold subregions",
			   container->name);
		return false;
	}
	if (!fits(offset, sub->size)) {
		error_setg(errp, "region '%s' at 0x%llx + 0x%llx passes the end "
			   "of the 64-bit address space", sub->name,
			   (unsigned long long)offset,
			   (unsigned long long)sub->size);
		return false;
	}
	if (reaches(sub, container)) {
		error_setg(errp, "placing '%s' in '%s' would make a cycle",
			   sub->name, container->name);
		return false;
	}
	sub->addr = offset;
	sub->priority = priority;
	link_subregion(container, sub);
	if (memory_leaf_changed(container->ctx, container, sub, true, errp))
		return true;
	unlink_subregion(sub);
	memory_change_undone(container->ctx, was_pending);
	return false;
}

bool memory_region_add_subregion(MemoryRegion *container, uint64_t offset,
				 MemoryRegion *sub, Error **errp)
{
	return memory_region_add_subregion_overlap(container, offset, sub, 0,
						   errp);
}

bool memory_region_del_subregion(MemoryRegion *container, MemoryRegion *sub,
				 Error **errp)
{
	bool was_pending = container->ctx->txn_pending;
	MemoryRegion *after;

	if (sub->container != container) {
		error_setg(errp, "region '%s' is not placed in '%s'", sub->name,
			   container->name);
		return false;
	}
	after = unlink_subregion(sub);
	if (memory_leaf_changed(container->ctx, container, sub, false, errp))
		return true;
	relink_before(container, sub, after);
	memory_change_undone(container->ctx, was_pending);
	return false;
}

/*
 * The setters share one shape: change a field, commit, and on failure put
 * the old value back. SET_FIELD does that for fields whose change needs no
 * other bookkeeping.
 */
#define SET_FIELD(mr, field, value, errp)                                 \
	do {                                                              \
		bool was_pending_ = (mr)->ctx->txn_pending;               \
		__typeof__((mr)->field) old_ = (mr)->field;               \
		if (old_ == (value))                                      \
			return true;                                      \
		(mr)->field = (value);                                    \
		if (memory_changed((mr)->ctx, (mr), errp))                      \
			return true;                                      \
		(mr)->field = old_;                                       \
		memory_change_undone((mr)->ctx, was_pending_);            \
		return false;                                             \
	} while (0)

bool memory_region_set_enabled(MemoryRegion *mr, bool enabled, Error **errp)
{
	SET_FIELD(mr, enabled, enabled, errp);
}

bool memory_region_set_readonly(MemoryRegion *mr, bool readonly, Error **errp)
{
	SET_FIELD(mr, readonly, readonly, errp);
}

bool memory_region_set_protected(MemoryRegion *mr, bool protected_,
				 Error **errp)
{
	SET_FIELD(mr, protected, protected_, errp);
}

bool memory_region_set_alias_offset(MemoryRegion *mr, uint64_t offset,
				    Error **errp)
{
	if (mr->kind != MR_ALIAS) {
		error_setg(errp, "region '%s' is not an alias", mr->name);
		return false;
	}
	SET_FIELD(mr, alias_offset, offset, errp);
}

bool memory_region_set_address(MemoryRegion *mr, uint64_t addr, Error **errp)
{
	if (!fits(addr, mr->size)) {
		error_setg(errp, "region '%s' at 0x%llx + 0x%llx passes the end "
			   "of the 64-bit address space", mr->name,
			   (unsigned long long)addr,
			   (unsigned long long)mr->size);
		return false;
	}
	SET_FIELD(mr, addr, addr, errp);
}

bool memory_region_set_size(MemoryRegion *mr, uint64_t size, Error **errp)
{
	if (memory_region_is_ram(mr) && size > mr->ram_len) {
		error_setg(errp, "cannot grow RAM region '%s' to 0x%llx: its "
			   "backing is 0x%llx bytes", mr->name,
			   (unsigned long long)size,
			   (unsigned long long)mr->ram_len);
		return false;
	}
	if (mr->container && !fits(mr->addr, size)) {
		error_setg(errp, "region '%s' at 0x%llx + 0x%llx passes the end "
			   "of the 64-bit address space", mr->name,
			   (unsigned long long)mr->addr,
			   (unsigned long long)size);
		return false;
	}
	SET_FIELD(mr, size, size, errp);
}

bool memory_region_set_priority(MemoryRegion *mr, int priority, Error **errp)
{
	bool was_pending = mr->ctx->txn_pending;
	MemoryRegion *container = mr->container, *after;
	int old = mr->priority;

	if (old == priority)
		return true;
	if (!container) {
		mr->priority = priority;
		return true;
	}
	/* Re-link so the sibling order follows the new priority. */
	after = unlink_subregion(mr);
	mr->priority = priority;
	link_subregion(container, mr);
	if (memory_changed(mr->ctx, mr, errp))
		return true;
	unlink_subregion(mr);
	mr->priority = old;
	relink_before(container, mr, after);
	memory_change_undone(mr->ctx, was_pending);
	return false;
}

void *memory_region_get_ram_ptr(const MemoryRegion *mr)
{
	return memory_region_is_ram(mr) ? mr->ram_ptr : NULL;
}

const char *memory_region_name(const MemoryRegion *mr)
{
	return mr->name;
}
