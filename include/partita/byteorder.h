/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Explicit byte order for anything a device or a table format defines:
 * Arm page tables are little-endian, s390 DAT tables big-endian, whatever
 * the CPU running Partita is. The s390x qemu-user test run catches a
 * missing conversion.
 */
#ifndef PARTITA_BYTEORDER_H
#define PARTITA_BYTEORDER_H

#include <stdint.h>

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define cpu_to_le64(x) ((uint64_t)(x))
#define le64_to_cpu(x) ((uint64_t)(x))
#define cpu_to_le32(x) ((uint32_t)(x))
#define le32_to_cpu(x) ((uint32_t)(x))
#define cpu_to_le16(x) ((uint16_t)(x))
#define le16_to_cpu(x) ((uint16_t)(x))
#define cpu_to_be64(x) __builtin_bswap64(x)
#define be64_to_cpu(x) __builtin_bswap64(x)
#define cpu_to_be32(x) __builtin_bswap32(x)
#define be32_to_cpu(x) __builtin_bswap32(x)
#elif __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define cpu_to_le64(x) __builtin_bswap64(x)
#define le64_to_cpu(x) __builtin_bswap64(x)
#define cpu_to_le32(x) __builtin_bswap32(x)
#define le32_to_cpu(x) __builtin_bswap32(x)
#define cpu_to_le16(x) __builtin_bswap16(x)
#define le16_to_cpu(x) __builtin_bswap16(x)
#define cpu_to_be64(x) ((uint64_t)(x))
#define be64_to_cpu(x) ((uint64_t)(x))
#define cpu_to_be32(x) ((uint32_t)(x))
#define be32_to_cpu(x) ((uint32_t)(x))
#else
#error "unknown byte order"
#endif

#endif
