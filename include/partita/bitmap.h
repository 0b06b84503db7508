/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bitmaps as arrays of unsigned long, bit 0 the least significant bit of
 * word 0 (the layout Linux's dirty bitmaps use on little-endian hosts;
 * code that shares a bitmap with hardware or another endianness converts).
 */
#ifndef PARTITA_BITMAP_H
#define PARTITA_BITMAP_H

#include <stdbool.h>
#include <stddef.h>

#define BITS_PER_LONG (8 * sizeof(unsigned long))
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)

static inline void bitmap_set_bit(unsigned long *map, size_t bit)
{
	map[bit / BITS_PER_LONG] |= 1UL << (bit % BITS_PER_LONG);
}

static inline void bitmap_clear_bit(unsigned long *map, size_t bit)
{
	map[bit / BITS_PER_LONG] &= ~(1UL << (bit % BITS_PER_LONG));
}

static inline bool bitmap_test_bit(const unsigned long *map, size_t bit)
{
	return (map[bit / BITS_PER_LONG] >> (bit % BITS_PER_LONG)) & 1;
}

/* Set / clear bits [start, start + len). */
void bitmap_set_range(unsigned long *map, size_t start, size_t len);
void bitmap_clear_range(unsigned long *map, size_t start, size_t len);
void bitmap_zero(unsigned long *map, size_t nbits);
/* Index of the first set (zero) bit at or after start, or nbits. */
size_t bitmap_find_next_bit(const unsigned long *map, size_t nbits,
			    size_t start);
size_t bitmap_find_next_zero_bit(const unsigned long *map, size_t nbits,
				 size_t start);
/* First run of len zero bits whose start is a multiple of align (a power
 * of two), or nbits when there is none. */
size_t bitmap_find_zero_area(const unsigned long *map, size_t nbits,
			     size_t len, size_t align);
size_t bitmap_weight(const unsigned long *map, size_t nbits);
bool bitmap_empty(const unsigned long *map, size_t nbits);

#endif
