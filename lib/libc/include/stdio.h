/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Partita's freestanding libc (s390x firmware): formatting only; output
 * goes through the log (<partita/log.h>), not stdio streams. */
#ifndef PARTITA_LIBC_STDIO_H
#define PARTITA_LIBC_STDIO_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
	      va_list ap) __attribute__((format(printf, 3, 0)));
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
