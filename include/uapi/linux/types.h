/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fixed-width types the Linux UAPI headers use, for Partita's own
 * copies of those headers. (Not the host's <linux/types.h>: firmware
 * targets have none, and one definition everywhere keeps layouts equal.)
 */
#ifndef PARTITA_UAPI_LINUX_TYPES_H
#define PARTITA_UAPI_LINUX_TYPES_H

#include <stdint.h>

#ifndef __ASM_GENERIC_INT_LL64_H
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
typedef int8_t __s8;
typedef int16_t __s16;
typedef int32_t __s32;
typedef int64_t __s64;
#endif

/* 8-byte alignment on every ABI, as Linux guarantees for UAPI structs. */
#ifndef __aligned_u64
#define __aligned_u64 __u64 __attribute__((aligned(8)))
#endif

#endif
