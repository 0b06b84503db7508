/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Partita's freestanding libc (s390x firmware). No malloc: every
 * allocation goes through <partita/heap.h>. */
#ifndef PARTITA_LIBC_STDLIB_H
#define PARTITA_LIBC_STDLIB_H

#include <stddef.h>

unsigned long strtoul(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
void abort(void) __attribute__((noreturn));
/* The end of the program without cleanup (C99); the target provides it
 * (arch/s390x: arch_exit). */
void _Exit(int status) __attribute__((noreturn));

#endif
