/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Partita's freestanding libc (s390x firmware). */
#ifndef PARTITA_LIBC_ASSERT_H
#define PARTITA_LIBC_ASSERT_H

void __assert_fail(const char *expr, const char *file, unsigned int line,
		   const char *func) __attribute__((noreturn));

#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) \
	((e) ? (void)0 : __assert_fail(#e, __FILE__, __LINE__, __func__))
#endif

#ifndef __cplusplus
#define static_assert _Static_assert
#endif

#endif
