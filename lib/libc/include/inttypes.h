/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Partita's freestanding libc (s390x firmware, LP64). */
#ifndef PARTITA_LIBC_INTTYPES_H
#define PARTITA_LIBC_INTTYPES_H

#include <stdint.h>

#define PRId64 "ld"
#define PRIi64 "li"
#define PRIu64 "lu"
#define PRIx64 "lx"
#define PRIX64 "lX"
#define PRIu32 "u"
#define PRIx32 "x"

#endif
