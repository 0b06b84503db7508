// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The allocation API (partita/heap.h). The front end does what every
 * target shares — fault injection, live-block accounting, overflow checks —
 * and hands the rest to the target's allocator: the C library on host
 * builds, the heap arena on firmware.
 */
#include <partita/compiler.h>
#include <partita/heap.h>
#include <partita/heap-arena.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t live_blocks;

#ifdef CONFIG_FIRMWARE
static struct heap_arena firmware_heap;

void heap_init(void *base, size_t size)
{
	arena_init(&firmware_heap, base, size);
}

static void *backend_alloc(size_t size)
{
	return arena_alloc(&firmware_heap, size);
}

static void backend_free(void *p)
{
	arena_free(&firmware_heap, p);
}

static void *backend_realloc(void *old, size_t size)
{
	void *p = arena_alloc(&firmware_heap, size);

	if (!p)
		return NULL;
	memcpy(p, old, PT_MIN(size, arena_usable_size(&firmware_heap, old)));
	arena_free(&firmware_heap, old);
	return p;
}
#else
void heap_init(void *base, size_t size)
{
	(void)base;
	(void)size;
}

static void *backend_alloc(size_t size)
{
	return malloc(size);
}

static void backend_free(void *p)
{
	free(p);
}

static void *backend_realloc(void *old, size_t size)
{
	return realloc(old, size);
}
#endif

void *heap_alloc(size_t size)
{
	void *p;

	if (alloc_fault_check())
		return NULL;
	p = backend_alloc(size ? size : 1);
	if (p)
		live_blocks++;
	return p;
}

void *heap_zalloc(size_t size)
{
	void *p = heap_alloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void *heap_calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return heap_zalloc(n * size);
}

void *heap_realloc(void *ptr, size_t size)
{
	if (!ptr)
		return heap_alloc(size);
	if (alloc_fault_check())
		return NULL;
	return backend_realloc(ptr, size ? size : 1);
}

char *heap_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = heap_alloc(len + 1);

	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

char *heap_strdup(const char *s)
{
	return heap_strndup(s, SIZE_MAX);
}

void heap_free(void *ptr)
{
	if (!ptr)
		return;
	live_blocks--;
	backend_free(ptr);
}

size_t heap_live_blocks(void)
{
	return live_blocks;
}
