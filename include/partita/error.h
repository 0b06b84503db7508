/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Error objects, in QEMU's style.
 *
 * A function that can fail takes `Error **errp` last and returns false (or
 * NULL, or a negative errno) on failure, after filling *errp. The caller
 * either propagates the error up, adds context with error_prepend(), or
 * decides it is fatal and reports it once with error_report_err(). Passing
 * errp == NULL ignores the error; passing &error_abort aborts on it.
 *
 * Setting an error into an errp that already holds one is a bug: the first
 * error is the one that counts (error_propagate() keeps the first).
 */
#ifndef PARTITA_ERROR_H
#define PARTITA_ERROR_H

#include <partita/compiler.h>
#include <stdarg.h>
#include <stdbool.h>

typedef struct Error Error;

/* Pass &error_abort to make any error a fatal bug. */
extern Error *error_abort;

void error_setg(Error **errp, const char *fmt, ...) PT_PRINTF(2, 3);
/* Appends ": <strerror(os_errno)>" like QEMU's error_setg_errno(). */
void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
	PT_PRINTF(3, 4);
void error_vsetg(Error **errp, const char *fmt, va_list ap) PT_PRINTF(2, 0);

/* Prefix the message in *errp (no-op when errp or *errp is NULL). */
void error_prepend(Error **errp, const char *fmt, ...) PT_PRINTF(2, 3);
/* Extra lines printed after the message by error_report_err(). */
void error_append_hint(Error **errp, const char *fmt, ...) PT_PRINTF(2, 3);

/* Move local into *dst; if dst is NULL or already set, local is freed. */
void error_propagate(Error **dst, Error *local);
void error_propagate_prepend(Error **dst, Error *local, const char *fmt, ...)
	PT_PRINTF(3, 4);

const char *error_get_pretty(const Error *err);
const char *error_get_hint(const Error *err);
/* The errno given to error_setg_errno(), else 0. */
int error_get_errno(const Error *err);
void error_free(Error *err);

/* Print "partita: <msg>" (and the hint), then free err. */
void error_report_err(Error *err);
void warn_report_err(Error *err);

#endif
