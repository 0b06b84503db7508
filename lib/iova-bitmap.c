// SPDX-License-Identifier: GPL-2.0-or-later
#include <partita/iova-bitmap.h>
#include <string.h>

void iova_bitmap_init(struct iova_bitmap *b, uint64_t iova, uint64_t length,
		      unsigned pgshift, void *data)
{
	b->iova = iova;
	b->last = iova + length - 1;
	b->pgshift = pgshift;
	b->data = data;
}

uint64_t iova_bitmap_bytes(uint64_t length, unsigned pgshift)
{
	uint64_t pages = (length >> pgshift) +
			 ((length & ((1ULL << pgshift) - 1)) != 0);

	return (pages + 63) / 64 * 8;
}

/* Read-modify-write one word; memcpy because data may be unaligned. */
static void or_word(unsigned char *data, uint64_t word, uint64_t mask)
{
	uint64_t v;

	memcpy(&v, data + word * 8, 8);
	v |= mask;
	memcpy(data + word * 8, &v, 8);
}

void iova_bitmap_set(struct iova_bitmap *b, uint64_t iova, uint64_t length)
{
	uint64_t last, first_bit, last_bit, w, lw;

	if (!length)
		return;
	last = iova + length - 1;
	if (last < iova)
		last = UINT64_MAX;
	if (last < b->iova || iova > b->last)
		return;
	if (iova < b->iova)
		iova = b->iova;
	if (last > b->last)
		last = b->last;
	first_bit = (iova - b->iova) >> b->pgshift;
	last_bit = (last - b->iova) >> b->pgshift;
	w = first_bit / 64;
	lw = last_bit / 64;
	if (w == lw) {
		uint64_t n = last_bit - first_bit + 1;
		uint64_t mask = (n == 64 ? ~0ULL : ((1ULL << n) - 1))
				<< (first_bit % 64);

		or_word(b->data, w, mask);
		return;
	}
	or_word(b->data, w, ~0ULL << (first_bit % 64));
	for (w++; w < lw; w++)
		or_word(b->data, w, ~0ULL);
	or_word(b->data, lw, last_bit % 64 == 63 ? ~0ULL :
					(1ULL << (last_bit % 64 + 1)) - 1);
}
