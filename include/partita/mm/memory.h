/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The single address-space abstraction, modelled on QEMU's memory API.
 *
 *   MemoryRegion   a piece of the address map: RAM, ram-device (a mapped
 *                  device BAR), MMIO with callbacks, an alias of part of
 *                  another region, or a container of subregions placed at
 *                  offsets with priorities.                 (memory-region.c)
 *   FlatView       the rendering of a region tree into sorted, disjoint
 *                  ranges: higher priority wins overlaps (the newest wins
 *                  among equals), adjacent pieces of one region merge.
 *                                                               (flatview.c)
 *                  A space nobody listens to has its view patched in place
 *                  when only leaves were placed or removed and nothing
 *                  overlaps (flatview-patch.c): a bus with a thousand BARs
 *                  is not rendered again each time one stops decoding.
 *   AddressSpace   a root region and its current FlatView; translate,
 *                  read and write.                         (address-space.c)
 *   MemoryListener told begin / region_del... / region_add... / commit with
 *                  only the difference between the old and new FlatView.
 *                                                               (listener.c)
 *   MemoryContext  the set of address spaces that share regions, and the
 *                  transaction depth. There is no global one: a board (or a
 *                  test) makes its own, so several can live in one process.
 *
 * Every change to a region is a transaction. Outside an explicit
 * memory_region_transaction_begin/commit pair, each call commits by itself;
 * inside one, listeners hear about all changes at the outer commit.
 *
 * Allocation failures: a call that changes the map and commits by itself
 * returns false with errp set and leaves the map as it was. An explicit
 * commit that fails keeps the old FlatViews (listeners hear nothing) and
 * stays pending; the caller undoes its changes or retries.
 *
 * Addresses are 64-bit; a region covers [addr, addr + size) with
 * addr + size <= UINT64_MAX, so a full root is size UINT64_MAX.
 */
#ifndef PARTITA_MM_MEMORY_H
#define PARTITA_MM_MEMORY_H

#include <partita/error.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct MemoryContext MemoryContext;
typedef struct MemoryRegion MemoryRegion;
typedef struct AddressSpace AddressSpace;
typedef struct FlatView FlatView;
typedef struct MemoryListener MemoryListener;

typedef enum MemTxResult {
	MEMTX_OK = 0,
	MEMTX_DECODE_ERROR = 1, /* nothing mapped there */
	MEMTX_ACCESS_ERROR = 2, /* write to a read-only range */
} MemTxResult;

typedef struct MemoryRegionOps {
	uint64_t (*read)(void *opaque, uint64_t addr, unsigned size);
	void (*write)(void *opaque, uint64_t addr, uint64_t data, unsigned size);
	/* Largest access the device takes (1, 2, 4 or 8); 0 means 4. Longer
	 * accesses are split into aligned pieces no larger than this. */
	unsigned max_access_size;
} MemoryRegionOps;

enum memory_region_kind {
	MR_CONTAINER,
	MR_RAM,
	MR_RAM_DEVICE,
	MR_MMIO,
	MR_ALIAS,
};

struct MemoryRegion {
	MemoryContext *ctx;
	char *name;
	enum memory_region_kind kind;
	uint64_t size;
	/* RAM and ram-device: host memory backing the region. */
	void *ram_ptr;
	uint64_t ram_len;
	bool ram_owned;
	/* MMIO. */
	const MemoryRegionOps *ops;
	void *opaque;
	/* Alias: [alias_offset, alias_offset + size) of alias. */
	MemoryRegion *alias;
	uint64_t alias_offset;
	unsigned alias_users;
	/* Placement inside a container. */
	MemoryRegion *container;
	uint64_t addr;
	int priority;
	bool enabled;
	bool readonly;
	bool protected;
	/* Subregions, highest priority first. */
	MemoryRegion *subregions;
	MemoryRegion *next_sibling;
	/* The link pointing at it (the container's subregions or the
	 * previous sibling's next_sibling): it leaves its container at once
	 * however many siblings it has. */
	MemoryRegion **sibling_link;
	/* Something at or below it changed since its address space (if it
	 * is one's root) was last rendered: only those are rendered again. */
	bool view_stale;
};

/* A part of a FlatView as listeners see it. */
typedef struct MemoryRegionSection {
	MemoryRegion *mr;           /* RAM, ram-device or MMIO region */
	AddressSpace *as;
	uint64_t offset_within_region;
	uint64_t offset_within_address_space;
	uint64_t size;
	bool readonly;
	bool protected;
} MemoryRegionSection;

typedef struct FlatRange {
	uint64_t addr;
	uint64_t size;
	MemoryRegion *mr;
	uint64_t offset_in_region;
	bool readonly;
	bool protected;
} FlatRange;

struct FlatView {
	FlatRange *ranges; /* sorted by addr, disjoint */
	size_t nr;
	size_t cap;
	/* No two terminal regions' extents overlapped when it was rendered:
	 * each range is one region's whole visible extent, so a leaf placed
	 * or removed can be patched in (flatview-patch.c). */
	bool disjoint;
};

/* A leaf (a terminal region without subregions) placed in or removed
 * from container, with the fields it had then. */
struct memory_leaf_change {
	MemoryRegion *leaf, *container;
	uint64_t addr, size;
	bool placed, enabled, readonly, protected;
};

#define MEMORY_LEAF_LOG 8

/* How to take back a patch of a view (flatview-patch.c). */
struct flatview_undo {
	unsigned n;
	struct flatview_undo_op {
		bool inserted;
		size_t pos;
		FlatRange fr;
	} op[MEMORY_LEAF_LOG];
};

struct MemoryListener {
	const char *name;
	void (*begin)(MemoryListener *l);
	void (*region_add)(MemoryListener *l, MemoryRegionSection *section);
	void (*region_del)(MemoryListener *l, MemoryRegionSection *section);
	void (*commit)(MemoryListener *l);
	/* Lower runs first on add and last on del. */
	int priority;
	/* Private. */
	AddressSpace *as;
	MemoryListener *next;
};

struct AddressSpace {
	MemoryContext *ctx;
	char *name;
	MemoryRegion *root;
	FlatView *view;
	MemoryListener *listeners; /* sorted by priority */
	FlatView *next_view;       /* rendered, not yet committed */
	struct flatview_undo undo; /* view patched, not yet committed */
	AddressSpace *next;
};

struct MemoryContext {
	unsigned txn_depth;
	bool txn_pending;
	AddressSpace *spaces;
	/* Alias regions alive: with any, a change may show in a tree it is
	 * not under, and every address space is rendered again. */
	unsigned aliases;
	/* What changed since the last commit, when it was only leaves placed
	 * and removed (at most MEMORY_LEAF_LOG): an address space without
	 * listeners then has its view patched instead of rendered again,
	 * since nobody needs the old one. leaf_log_lost: something else
	 * changed, or more. */
	struct memory_leaf_change leaf_log[MEMORY_LEAF_LOG];
	unsigned nleaf_log;
	bool leaf_log_lost;
};

/* ---- MemoryContext (address-space.c) ---------------------------------- */

void memory_context_init(MemoryContext *ctx);
/* Every address space must have been destroyed first. */
void memory_context_destroy(MemoryContext *ctx);

void memory_region_transaction_begin(MemoryContext *ctx);
bool memory_region_transaction_commit(MemoryContext *ctx, Error **errp);

/* ---- MemoryRegion (memory-region.c) ----------------------------------- */

/* Each init names the region (copied) and returns false only when the
 * copy or backing cannot be allocated. A new region is enabled,
 * writable, unprotected and not placed anywhere. */
bool memory_region_init(MemoryRegion *mr, MemoryContext *ctx,
			const char *name, uint64_t size, Error **errp);
/* RAM with zeroed backing from the heap. */
bool memory_region_init_ram(MemoryRegion *mr, MemoryContext *ctx,
			    const char *name, uint64_t size, Error **errp);
/* RAM over existing memory the caller keeps alive (partition carve-outs). */
bool memory_region_init_ram_ptr(MemoryRegion *mr, MemoryContext *ctx,
				const char *name, uint64_t size, void *ptr,
				Error **errp);
/* A device's memory mapped into the map (a PCI BAR): RAM-like for DMA
 * listeners, which map it for peer-to-peer. */
bool memory_region_init_ram_device_ptr(MemoryRegion *mr, MemoryContext *ctx,
				       const char *name, uint64_t size,
				       void *ptr, Error **errp);
bool memory_region_init_io(MemoryRegion *mr, MemoryContext *ctx,
			   const MemoryRegionOps *ops, void *opaque,
			   const char *name, uint64_t size, Error **errp);
bool memory_region_init_alias(MemoryRegion *mr, MemoryContext *ctx,
			      const char *name, MemoryRegion *orig,
			      uint64_t offset, uint64_t size, Error **errp);
/* The region must not be placed or aliased. Its subregions are removed
 * (and stay initialised); owned RAM is freed. */
void memory_region_finalize(MemoryRegion *mr);

/* Place sub at offset in container. Fails if sub is already placed, if
 * offset + size passes UINT64_MAX, if the two belong to different
 * contexts, or if placing it would make a cycle (through subregions or
 * aliases). Parts outside the container are clipped, as in QEMU. */
bool memory_region_add_subregion(MemoryRegion *container, uint64_t offset,
				 MemoryRegion *sub, Error **errp);
bool memory_region_add_subregion_overlap(MemoryRegion *container,
					 uint64_t offset, MemoryRegion *sub,
					 int priority, Error **errp);
bool memory_region_del_subregion(MemoryRegion *container, MemoryRegion *sub,
				 Error **errp);

bool memory_region_set_enabled(MemoryRegion *mr, bool enabled, Error **errp);
bool memory_region_set_address(MemoryRegion *mr, uint64_t addr, Error **errp);
bool memory_region_set_priority(MemoryRegion *mr, int priority, Error **errp);
/* RAM cannot grow past its backing. */
bool memory_region_set_size(MemoryRegion *mr, uint64_t size, Error **errp);
bool memory_region_set_readonly(MemoryRegion *mr, bool readonly, Error **errp);
bool memory_region_set_protected(MemoryRegion *mr, bool protected_,
				 Error **errp);
bool memory_region_set_alias_offset(MemoryRegion *mr, uint64_t offset,
				    Error **errp);

static inline bool memory_region_is_ram(const MemoryRegion *mr)
{
	return mr->kind == MR_RAM || mr->kind == MR_RAM_DEVICE;
}

static inline bool memory_region_is_ram_device(const MemoryRegion *mr)
{
	return mr->kind == MR_RAM_DEVICE;
}

static inline bool memory_region_is_protected(const MemoryRegion *mr)
{
	return mr->protected;
}

/* Host pointer of a RAM or ram-device region, NULL for others. */
void *memory_region_get_ram_ptr(const MemoryRegion *mr);
const char *memory_region_name(const MemoryRegion *mr);

/* ---- FlatView (flatview.c) -------------------------------------------- */

/* Render root into a new FlatView; NULL with errp on allocation failure. */
FlatView *flatview_render(MemoryRegion *root, Error **errp);
void flatview_free(FlatView *fv);
/* The range holding addr, or NULL. */
const FlatRange *flatview_lookup(const FlatView *fv, uint64_t addr);
bool flatrange_equal(const FlatRange *a, const FlatRange *b);

/* ---- AddressSpace (address-space.c) ----------------------------------- */

bool address_space_init(AddressSpace *as, MemoryRegion *root,
			const char *name, Error **errp);
/* Unregisters nothing: every listener must be gone first. */
void address_space_destroy(AddressSpace *as);
const FlatView *address_space_get_flatview(const AddressSpace *as);

/* The terminal region at addr, with *xlat the offset inside it and *plen
 * cut to what that region covers from there. NULL when unmapped. */
MemoryRegion *address_space_translate(AddressSpace *as, uint64_t addr,
				      uint64_t *xlat, uint64_t *plen,
				      bool *readonly);
/* Copy to or from the map: RAM by memcpy, MMIO through its callbacks.
 * Stops at the first unmapped or read-only byte and returns the error;
 * bytes before it have been transferred. */
MemTxResult address_space_rw(AddressSpace *as, uint64_t addr, void *buf,
			     uint64_t len, bool is_write);
MemTxResult address_space_read(AddressSpace *as, uint64_t addr, void *buf,
			       uint64_t len);
MemTxResult address_space_write(AddressSpace *as, uint64_t addr,
				const void *buf, uint64_t len);

/* One little-endian 64-bit value, as a device register or a table entry
 * of a little-endian format is accessed (QEMU's stq_le/ldq_le). A failed
 * load returns 0 with *res set when res is not NULL. */
MemTxResult address_space_stq_le(AddressSpace *as, uint64_t addr,
				 uint64_t val);
uint64_t address_space_ldq_le(AddressSpace *as, uint64_t addr,
			      MemTxResult *res);

/* ---- MemoryListener (listener.c) -------------------------------------- */

/* Replays the current view as begin, region_add..., commit. */
void memory_listener_register(MemoryListener *l, AddressSpace *as);
/* Tells the listener region_del for the whole view, then forgets it. */
void memory_listener_unregister(MemoryListener *l);

#endif
