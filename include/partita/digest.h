/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The digests U-Boot's FIT images carry in their hash nodes (lib/crc32.c,
 * lib/sha256.c): CRC-32 as zlib and U-Boot compute it (IEEE 802.3,
 * reflected, initial and final value all ones) and SHA-256 (FIPS 180-4).
 * Written here: no C library Partita links on its firmware targets
 * (picolibc, lib/libc) has either, and a guest image check must not
 * depend on one.
 */
#ifndef PARTITA_DIGEST_H
#define PARTITA_DIGEST_H

#include <stddef.h>
#include <stdint.h>

uint32_t crc32(const void *data, size_t len);

#define SHA256_DIGEST_SIZE 32

struct sha256 {
	uint32_t h[8];
	uint64_t len;                /* bytes hashed */
	uint8_t buf[64];
	unsigned used;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t out[SHA256_DIGEST_SIZE]);
/* The three in one. */
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]);

#endif
