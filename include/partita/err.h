/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pointers that carry an errno, as Linux's <linux/err.h>: below the
 * system-call line a function that returns a pointer returns either the
 * object or ERR_PTR(-errno), never NULL with an out-parameter. The last
 * page of the address space is never a valid object.
 */
#ifndef PARTITA_ERR_H
#define PARTITA_ERR_H

#include <stdbool.h>
#include <stdint.h>

#define MAX_ERRNO 4095

static inline void *ERR_PTR(long error)
{
	return (void *)(intptr_t)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)(intptr_t)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return (uintptr_t)ptr >= (uintptr_t)-MAX_ERRNO;
}

static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR(ptr);
}

#endif
