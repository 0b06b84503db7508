// SPDX-License-Identifier: GPL-2.0-or-later
#include <partita/compiler.h>
#include <partita/heap-arena.h>
#include <assert.h>

/* Header in front of every block, allocated or free. Its size is a
 * multiple of ARENA_ALIGN so payloads stay aligned. */
struct arena_block {
	size_t size;               /* whole block, header included */
	struct arena_block *next;  /* free blocks only */
};

#define HDR PT_ALIGN_UP(sizeof(struct arena_block), (size_t)ARENA_ALIGN)
#define MIN_BLOCK (HDR + ARENA_ALIGN)

void arena_init(struct heap_arena *a, void *base, size_t size)
{
	uintptr_t start = PT_ALIGN_UP((uintptr_t)base, (uintptr_t)ARENA_ALIGN);
	uintptr_t end = PT_ALIGN_DOWN((uintptr_t)base + size, (uintptr_t)ARENA_ALIGN);

	a->start = start;
	a->end = end;
	a->free_list = NULL;
	a->free_bytes = 0;
	if (end <= start || end - start < MIN_BLOCK)
		return;
	a->free_list = (struct arena_block *)start;
	a->free_list->size = end - start;
	a->free_list->next = NULL;
	a->free_bytes = end - start;
}

void *arena_alloc(struct heap_arena *a, size_t size)
{
	struct arena_block **link, *b;
	size_t need;

	if (size > a->end - a->start)
		return NULL;
	need = HDR + PT_ALIGN_UP(size ? size : 1, (size_t)ARENA_ALIGN);
	for (link = &a->free_list; (b = *link); link = &b->next) {
		if (b->size < need)
			continue;
		if (b->size - need >= MIN_BLOCK) {
			/* Split: the tail stays free, in the same list position. */
			struct arena_block *rest = (struct arena_block *)((char *)b + need);

			rest->size = b->size - need;
			rest->next = b->next;
			*link = rest;
			b->size = need;
		} else {
			*link = b->next;
		}
		a->free_bytes -= b->size;
		b->next = NULL;
		return (char *)b + HDR;
	}
	return NULL;
}

void arena_free(struct heap_arena *a, void *ptr)
{
	struct arena_block *b, *prev = NULL, *cur;

	if (!ptr)
		return;
	b = (struct arena_block *)((char *)ptr - HDR);
	assert((uintptr_t)b >= a->start && (uintptr_t)b + b->size <= a->end);
	a->free_bytes += b->size;

	for (cur = a->free_list; cur && cur < b; cur = cur->next)
		prev = cur;
	assert(cur != b); /* double free */

	b->next = cur;
	if (cur && (char *)b + b->size == (char *)cur) {
		b->size += cur->size;
		b->next = cur->next;
	}
	if (prev) {
		prev->next = b;
		if ((char *)prev + prev->size == (char *)b) {
			prev->size += b->size;
			prev->next = b->next;
		}
	} else {
		a->free_list = b;
	}
}

size_t arena_usable_size(const struct heap_arena *a, const void *ptr)
{
	const struct arena_block *b =
		(const struct arena_block *)((const char *)ptr - HDR);

	(void)a;
	return b->size - HDR;
}

size_t arena_free_bytes(const struct heap_arena *a)
{
	return a->free_bytes;
}

size_t arena_free_blocks(const struct heap_arena *a)
{
	size_t n = 0;

	for (const struct arena_block *b = a->free_list; b; b = b->next)
		n++;
	return n;
}
