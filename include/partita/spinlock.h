/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A test-and-set spin lock for the few places several CPUs meet (guests'
 * exits, the console). arm64: exclusive loads and stores, so the MMU and
 * caches must be on (they are from head.S onward).
 */
#ifndef PARTITA_SPINLOCK_H
#define PARTITA_SPINLOCK_H

#include <stdatomic.h>

typedef struct {
	atomic_flag f;
} spinlock_t;

#define SPINLOCK_INIT { ATOMIC_FLAG_INIT }

static inline void spin_lock(spinlock_t *l)
{
	while (atomic_flag_test_and_set_explicit(&l->f, memory_order_acquire))
		;
}

static inline void spin_unlock(spinlock_t *l)
{
	atomic_flag_clear_explicit(&l->f, memory_order_release);
}

#endif
