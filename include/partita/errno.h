/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * errno values, from the target's C library, plus the few Linux-only ones
 * the system-call line returns that a C library may lack. Both sides of
 * the line include this, so a value means the same on both; strerror()
 * of an added value is whatever the C library says of an unknown number.
 */
#ifndef PARTITA_ERRNO_H
#define PARTITA_ERRNO_H

#include <errno.h>

#ifndef EBADFD
#define EBADFD 200   /* "File descriptor in bad state" (Linux: 77) */
#endif

#endif
