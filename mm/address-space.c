// SPDX-License-Identifier: GPL-2.0-or-later
#include <partita/heap.h>
#include <partita/mm/memory.h>
#include <assert.h>
#include <string.h>
#include "memory-internal.h"

void memory_context_init(MemoryContext *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
}

void memory_context_destroy(MemoryContext *ctx)
{
	assert(!ctx->spaces && "address spaces still exist");
	assert(!ctx->txn_depth && "transaction still open");
	memset(ctx, 0, sizeof(*ctx));
}

void memory_region_transaction_begin(MemoryContext *ctx)
{
	ctx->txn_depth++;
}

static void log_reset(MemoryContext *ctx, bool lost)
{
	ctx->nleaf_log = 0;
	ctx->leaf_log_lost = lost;
}

/*
 * Render (or patch) every address space first and only then tell
 * listeners, so an allocation failure leaves every view (and every
 * listener) as it was.
 */
static bool apply(MemoryContext *ctx, Error **errp)
{
	AddressSpace *as;

	for (as = ctx->spaces; as; as = as->next) {
		if (!ctx->aliases && !as->root->view_stale)
			continue;          /* nothing under its root changed */
		if (!as->listeners && flatview_patch(as, ctx))
			continue;
		as->next_view = flatview_render(as->root, errp);
		if (!as->next_view)
			goto fail;
	}
	for (as = ctx->spaces; as; as = as->next) {
		as->undo.n = 0;
		as->root->view_stale = false;
		if (!as->next_view)
			continue;
		memory_listeners_update(as, as->view, as->next_view);
		flatview_free(as->view);
		as->view = as->next_view;
		as->next_view = NULL;
	}
	ctx->txn_pending = false;
	log_reset(ctx, false);
	return true;
fail:
	for (as = ctx->spaces; as; as = as->next) {
		flatview_unpatch(as);
		flatview_free(as->next_view);
		as->next_view = NULL;
	}
	/* The tree may yet be undone or changed again: render next time. */
	log_reset(ctx, true);
	return false;
}

bool memory_region_transaction_commit(MemoryContext *ctx, Error **errp)
{
	assert(ctx->txn_depth > 0);
	if (--ctx->txn_depth || !ctx->txn_pending)
		return true;
	return apply(ctx, errp);
}

static bool changed(MemoryContext *ctx, MemoryRegion *where, Error **errp)
{
	/* Every ancestor: an address space's root may sit anywhere above. */
	for (MemoryRegion *mr = where; mr; mr = mr->container)
		mr->view_stale = true;
	ctx->txn_pending = true;
	if (ctx->txn_depth)
		return true;
	return apply(ctx, errp);
}

bool memory_changed(MemoryContext *ctx, MemoryRegion *where, Error **errp)
{
	ctx->leaf_log_lost = true;
	return changed(ctx, where, errp);
}

bool memory_leaf_changed(MemoryContext *ctx, MemoryRegion *container,
			 MemoryRegion *leaf, bool placed, Error **errp)
{
	/* A leaf: terminal, with nothing placed over it. */
	if (!memory_region_is_terminal(leaf) || leaf->subregions ||
	    ctx->nleaf_log == MEMORY_LEAF_LOG)
		ctx->leaf_log_lost = true;
	else if (!ctx->leaf_log_lost)
		ctx->leaf_log[ctx->nleaf_log++] = (struct memory_leaf_change){
			.leaf = leaf, .container = container,
			.addr = leaf->addr, .size = leaf->size,
			.placed = placed, .enabled = leaf->enabled,
			.readonly = leaf->readonly,
			.protected = leaf->protected };
	return changed(ctx, container, errp);
}

void memory_change_undone(MemoryContext *ctx, bool was_pending)
{
	ctx->txn_pending = was_pending;
}

bool address_space_init(AddressSpace *as, MemoryRegion *root,
			const char *name, Error **errp)
{
	memset(as, 0, sizeof(*as));
	as->name = heap_strdup(name);
	if (!as->name) {
		error_setg(errp, "out of memory creating address space '%s'",
			   name);
		return false;
	}
	as->view = flatview_render(root, errp);
	if (!as->view) {
		heap_free(as->name);
		as->name = NULL;
		return false;
	}
	as->ctx = root->ctx;
	as->root = root;
	as->next = root->ctx->spaces;
	root->ctx->spaces = as;
	return true;
}

void address_space_destroy(AddressSpace *as)
{
	AddressSpace **link = &as->ctx->spaces;

	assert(!as->listeners && "address space still has listeners");
	while (*link != as)
		link = &(*link)->next;
	*link = as->next;
	flatview_free(as->view);
	heap_free(as->name);
	memset(as, 0, sizeof(*as));
}

const FlatView *address_space_get_flatview(const AddressSpace *as)
{
	return as->view;
}

MemoryRegion *address_space_translate(AddressSpace *as, uint64_t addr,
				      uint64_t *xlat, uint64_t *plen,
				      bool *readonly)
{
	const FlatRange *fr = flatview_lookup(as->view, addr);
	uint64_t in_range;

	if (!fr)
		return NULL;
	in_range = addr - fr->addr;
	*xlat = fr->offset_in_region + in_range;
	if (*plen > fr->size - in_range)
		*plen = fr->size - in_range;
	if (readonly)
		*readonly = fr->readonly;
	return fr->mr;
}

/* One MMIO access of at most the device's size, naturally aligned. */
static unsigned mmio_chunk(const MemoryRegion *mr, uint64_t xlat, uint64_t len)
{
	unsigned max = mr->ops->max_access_size ? mr->ops->max_access_size : 4;
	unsigned size = max;

	while (size > 1 && (size > len || (xlat & (size - 1))))
		size >>= 1;
	return size;
}

static void mmio_access(MemoryRegion *mr, uint64_t xlat, uint8_t *buf,
			uint64_t len, bool is_write)
{
	while (len) {
		unsigned size = mmio_chunk(mr, xlat, len);
		uint64_t v = 0;

		/* Device registers are little-endian, as on PCI. */
		if (is_write) {
			for (unsigned i = 0; i < size; i++)
				v |= (uint64_t)buf[i] << (8 * i);
			if (mr->ops->write)
				mr->ops->write(mr->opaque, xlat, v, size);
		} else {
			if (mr->ops->read)
				v = mr->ops->read(mr->opaque, xlat, size);
			for (unsigned i = 0; i < size; i++)
				buf[i] = (uint8_t)(v >> (8 * i));
		}
		xlat += size;
		buf += size;
		len -= size;
	}
}

MemTxResult address_space_rw(AddressSpace *as, uint64_t addr, void *buf,
			     uint64_t len, bool is_write)
{
	uint8_t *p = buf;

	while (len) {
		uint64_t xlat, l = len;
		bool readonly;
		MemoryRegion *mr = address_space_translate(as, addr, &xlat, &l,
							   &readonly);

		if (!mr)
			return MEMTX_DECODE_ERROR;
		if (is_write && readonly)
			return MEMTX_ACCESS_ERROR;
		if (mr->kind == MR_MMIO) {
			mmio_access(mr, xlat, p, l, is_write);
		} else if (is_write) {
			memcpy((uint8_t *)mr->ram_ptr + xlat, p, (size_t)l);
		} else {
			memcpy(p, (uint8_t *)mr->ram_ptr + xlat, (size_t)l);
		}
		p += l;
		addr += l;
		len -= l;
	}
	return MEMTX_OK;
}

MemTxResult address_space_read(AddressSpace *as, uint64_t addr, void *buf,
			       uint64_t len)
{
	return address_space_rw(as, addr, buf, len, false);
}

MemTxResult address_space_write(AddressSpace *as, uint64_t addr,
				const void *buf, uint64_t len)
{
	return address_space_rw(as, addr, (void *)buf, len, true);
}

MemTxResult address_space_stq_le(AddressSpace *as, uint64_t addr, uint64_t val)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(val >> (8 * i));
	return address_space_write(as, addr, b, 8);
}

uint64_t address_space_ldq_le(AddressSpace *as, uint64_t addr, MemTxResult *res)
{
	uint8_t b[8];
	uint64_t v = 0;
	MemTxResult r = address_space_read(as, addr, b, 8);

	if (res)
		*res = r;
	if (r != MEMTX_OK)
		return 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | b[i];
	return v;
}
