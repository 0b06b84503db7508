/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A first-fit allocator over one fixed block of memory: the firmware heap.
 * Free blocks are kept in address order and merged with their neighbours
 * on free, so a heap that returns to empty is one block again.
 * Built on every target so host tests exercise it; only firmware builds
 * put the heap API on top of it.
 */
#ifndef PARTITA_HEAP_ARENA_H
#define PARTITA_HEAP_ARENA_H

#include <stddef.h>
#include <stdint.h>

struct arena_block;

struct heap_arena {
	struct arena_block *free_list; /* address-ordered */
	uintptr_t start, end;
	size_t free_bytes;
};

#define ARENA_ALIGN 16

/* base is aligned up to ARENA_ALIGN; the arena uses what remains. */
void arena_init(struct heap_arena *a, void *base, size_t size);
void *arena_alloc(struct heap_arena *a, size_t size);
void arena_free(struct heap_arena *a, void *ptr);
/* Usable size of an allocated block (at least what was asked for). */
size_t arena_usable_size(const struct heap_arena *a, const void *ptr);
size_t arena_free_bytes(const struct heap_arena *a);
/* Number of free blocks: 1 for an empty, fully merged arena. */
size_t arena_free_blocks(const struct heap_arena *a);

#endif
