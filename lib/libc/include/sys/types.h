/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Partita's freestanding libc (s390x firmware, LP64). */
#ifndef PARTITA_LIBC_SYS_TYPES_H
#define PARTITA_LIBC_SYS_TYPES_H

#include <stddef.h>

typedef long ssize_t;
typedef long off_t;
typedef int pid_t;
typedef unsigned int mode_t;

#endif
