/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small compiler helpers shared by every module.
 */
#ifndef PARTITA_COMPILER_H
#define PARTITA_COMPILER_H

#include <stddef.h>

/*
 * IS_ENABLED(CONFIG_FOO) is 1 when the Kconfig symbol is set and 0 when
 * it is not, so both branches of an `if` still compile (Zephyr, U-Boot).
 * autoconf.h defines set symbols to 1 and leaves unset ones undefined.
 */
#define PT_ARG_PLACEHOLDER_1 0,
#define PT_TAKE_SECOND(ignored, val, ...) val
#define PT_IS_ENABLED3(arg1_or_junk) PT_TAKE_SECOND(arg1_or_junk 1, 0, 0)
#define PT_IS_ENABLED2(val) PT_IS_ENABLED3(PT_ARG_PLACEHOLDER_##val)
#define IS_ENABLED(option) PT_IS_ENABLED2(option)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define PT_PRINTF(fmt_idx, arg_idx) \
	__attribute__((format(printf, fmt_idx, arg_idx)))
#define PT_NORETURN __attribute__((noreturn))
#define PT_UNUSED __attribute__((unused))

#define PT_MIN(a, b) ((a) < (b) ? (a) : (b))
#define PT_MAX(a, b) ((a) > (b) ? (a) : (b))
#define PT_ALIGN_UP(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define PT_ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define PT_IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)

#endif
