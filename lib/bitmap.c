// SPDX-License-Identifier: GPL-2.0-or-later
#include <partita/bitmap.h>
#include <string.h>

/* Mask of the bits of one word covered by [start, start + len), where the
 * range starts in this word. */
static unsigned long word_mask(size_t start, size_t len)
{
	size_t off = start % BITS_PER_LONG;
	size_t n = len < BITS_PER_LONG - off ? len : BITS_PER_LONG - off;
	unsigned long m = n == BITS_PER_LONG ? ~0UL : ((1UL << n) - 1);

	return m << off;
}

void bitmap_set_range(unsigned long *map, size_t start, size_t len)
{
	while (len) {
		size_t n = BITS_PER_LONG - start % BITS_PER_LONG;

		if (n > len)
			n = len;
		map[start / BITS_PER_LONG] |= word_mask(start, n);
		start += n;
		len -= n;
	}
}

void bitmap_clear_range(unsigned long *map, size_t start, size_t len)
{
	while (len) {
		size_t n = BITS_PER_LONG - start % BITS_PER_LONG;

		if (n > len)
			n = len;
		map[start / BITS_PER_LONG] &= ~word_mask(start, n);
		start += n;
		len -= n;
	}
}

void bitmap_zero(unsigned long *map, size_t nbits)
{
	memset(map, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

static size_t find_next(const unsigned long *map, size_t nbits, size_t start,
			unsigned long invert)
{
	size_t i;
	unsigned long w;

	if (start >= nbits)
		return nbits;
	i = start / BITS_PER_LONG;
	w = (map[i] ^ invert) & (~0UL << (start % BITS_PER_LONG));
	for (;;) {
		if (w) {
			size_t bit = i * BITS_PER_LONG + (size_t)__builtin_ctzl(w);

			return bit < nbits ? bit : nbits;
		}
		if (++i >= BITS_TO_LONGS(nbits))
			return nbits;
		w = map[i] ^ invert;
	}
}

size_t bitmap_find_next_bit(const unsigned long *map, size_t nbits,
			    size_t start)
{
	return find_next(map, nbits, start, 0);
}

size_t bitmap_find_next_zero_bit(const unsigned long *map, size_t nbits,
				 size_t start)
{
	return find_next(map, nbits, start, ~0UL);
}

size_t bitmap_find_zero_area(const unsigned long *map, size_t nbits,
			     size_t len, size_t align)
{
	size_t start = 0;

	for (;;) {
		size_t set;

		start = bitmap_find_next_zero_bit(map, nbits, start);
		start = (start + align - 1) & ~(align - 1);
		if (start >= nbits || len > nbits - start)
			return nbits;
		set = bitmap_find_next_bit(map, start + len, start);
		if (set >= start + len)
			return start;
		start = set + 1;
	}
}

size_t bitmap_weight(const unsigned long *map, size_t nbits)
{
	size_t n = 0, i;

	for (i = 0; i < nbits / BITS_PER_LONG; i++)
		n += (size_t)__builtin_popcountl(map[i]);
	if (nbits % BITS_PER_LONG)
		n += (size_t)__builtin_popcountl(map[i] &
						 word_mask(0, nbits % BITS_PER_LONG));
	return n;
}

bool bitmap_empty(const unsigned long *map, size_t nbits)
{
	return bitmap_find_next_bit(map, nbits, 0) == nbits;
}
