// SPDX-License-Identifier: GPL-2.0-or-later
#include <assert.h>
#include <partita/log.h>
#include <stdlib.h>

/* 134 = 128 + SIGABRT, what a shell reports for an aborted program. */
void abort(void)
{
	pr_err("abort()");
	_Exit(134);
}

void __assert_fail(const char *expr, const char *file, unsigned int line,
		   const char *func)
{
	pr_err("%s:%u: %s: Assertion `%s' failed.", file, line, func, expr);
	abort();
}
