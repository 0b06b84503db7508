/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one allocation API. Every allocation in Partita goes through here,
 * so tests can count allocations, find leaks and make the Nth one fail.
 *
 * Host builds use the C library's allocator; firmware builds carve the
 * heap (CONFIG_HEAP_SIZE_KB) out of the image with mm/heap-arena.c.
 */
#ifndef PARTITA_HEAP_H
#define PARTITA_HEAP_H

#include <stdbool.h>
#include <stddef.h>

/* NULL when out of memory or when fault injection says so. size 0 is
 * treated as 1 so a successful call never returns NULL. */
void *heap_alloc(size_t size);
void *heap_zalloc(size_t size);
/* n * size with overflow checking; zeroed. */
void *heap_calloc(size_t n, size_t size);
/* Like realloc; on failure the old block is untouched and NULL returned. */
void *heap_realloc(void *ptr, size_t size);
char *heap_strdup(const char *s);
char *heap_strndup(const char *s, size_t n);
void heap_free(void *ptr);

/* Number of blocks handed out and not yet freed (leak checks in tests). */
size_t heap_live_blocks(void);

/*
 * Fault injection (CONFIG_ALLOC_FAULT_INJECT). alloc_fault_fail_nth(n)
 * makes the nth allocation from now fail (1 = the next one); 0 disarms.
 * Page allocations count as allocations too. alloc_fault_calls() is the
 * number of allocation attempts since the last arming, so a test can run
 * an operation once to learn how many allocations it makes, then fail
 * each in turn.
 */
void alloc_fault_fail_nth(unsigned long n);
unsigned long alloc_fault_calls(void);
/* Between hold and release (they nest), allocations neither count nor
 * fail: for the simulated board's hardware models, whose work (a BAR
 * moving on the bus) real hardware does without allocating. */
void alloc_fault_hold(void);
void alloc_fault_release(void);
/* Called by every allocator before it allocates: true means "fail". */
bool alloc_fault_check(void);

/* Firmware: hand the heap its memory once at boot. */
void heap_init(void *base, size_t size);

#endif
