/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A dirty bitmap in the format both iommufd and VFIO type1 hand to the
 * caller: one bit per page of IOVA, bit i for IOVA iova + i * page_size,
 * in native-endian u64 words (word i / 64, bit i % 64). The caller's
 * buffer may sit at any byte alignment. Bits are only ever set.
 */
#ifndef PARTITA_IOVA_BITMAP_H
#define PARTITA_IOVA_BITMAP_H

#include <stdint.h>

struct iova_bitmap {
	uint64_t iova;          /* IOVA of bit 0 */
	uint64_t last;          /* last IOVA covered (inclusive) */
	unsigned pgshift;       /* log2 of the page size */
	unsigned char *data;
};

/* length > 0; page_size = 1 << pgshift. */
void iova_bitmap_init(struct iova_bitmap *b, uint64_t iova, uint64_t length,
		      unsigned pgshift, void *data);
/* Mark every page touching [iova, iova + length), clipped to the bitmap. */
void iova_bitmap_set(struct iova_bitmap *b, uint64_t iova, uint64_t length);
/* Bytes the bitmap of length bytes of IOVA takes, rounded up to u64s. */
uint64_t iova_bitmap_bytes(uint64_t length, unsigned pgshift);

#endif
