// SPDX-License-Identifier: GPL-2.0-or-later
#include <partita/error.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct Error {
	char *msg;
	char *hint;
	int err_no;
};

Error *error_abort;

/*
 * When the heap cannot even hold an error message, the failure is still
 * reported: this static error stands in for it and is never freed.
 */
static struct Error error_nomem = { .msg = "out of memory" };

static char *vformat(const char *fmt, va_list ap)
{
	va_list ap2;
	char *buf;
	int len;

	va_copy(ap2, ap);
	len = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (len < 0)
		return NULL;
	buf = heap_alloc((size_t)len + 1);
	if (buf)
		vsnprintf(buf, (size_t)len + 1, fmt, ap);
	return buf;
}

static char *format(const char *fmt, ...) PT_PRINTF(1, 2);
static char *format(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	return s;
}

static void handle_abort(Error **errp, Error *err)
{
	if (errp == &error_abort) {
		error_report("unexpected error: %s", error_get_pretty(err));
		abort();
	}
}

static void set_error(Error **errp, int err_no, const char *fmt, va_list ap)
{
	Error *err;
	char *msg;

	if (!errp)
		return;
	assert(*errp == NULL && "an error is already set");

	err = heap_zalloc(sizeof(*err));
	msg = err ? vformat(fmt, ap) : NULL;
	if (msg && err_no) {
		char *full = format("%s: %s", msg, strerror(err_no));

		heap_free(msg);
		msg = full;
	}
	if (!msg) {
		heap_free(err);
		err = &error_nomem;
	} else {
		err->msg = msg;
		err->err_no = err_no;
	}
	handle_abort(errp, err);
	*errp = err;
}

void error_vsetg(Error **errp, const char *fmt, va_list ap)
{
	set_error(errp, 0, fmt, ap);
}

void error_setg(Error **errp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_error(errp, 0, fmt, ap);
	va_end(ap);
}

void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_error(errp, os_errno, fmt, ap);
	va_end(ap);
}

static void vprepend(Error **errp, const char *fmt, va_list ap)
{
	char *prefix, *msg;
	Error *err;

	if (!errp || !*errp || *errp == &error_nomem)
		return;
	err = *errp;
	prefix = vformat(fmt, ap);
	msg = prefix ? format("%s%s", prefix, err->msg) : NULL;
	heap_free(prefix);
	if (msg) {
		heap_free(err->msg);
		err->msg = msg;
	}
	/* On allocation failure the unprefixed message still reports. */
}

void error_prepend(Error **errp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprepend(errp, fmt, ap);
	va_end(ap);
}

void error_append_hint(Error **errp, const char *fmt, ...)
{
	va_list ap;
	char *add, *hint;
	Error *err;

	if (!errp || !*errp || *errp == &error_nomem)
		return;
	err = *errp;
	va_start(ap, fmt);
	add = vformat(fmt, ap);
	va_end(ap);
	if (!add)
		return;
	if (err->hint) {
		hint = format("%s%s", err->hint, add);
		heap_free(add);
		if (!hint)
			return;
		heap_free(err->hint);
	} else {
		hint = add;
	}
	err->hint = hint;
}

void error_propagate(Error **dst, Error *local)
{
	if (!local)
		return;
	handle_abort(dst, local);
	if (!dst || *dst) {
		error_free(local);
		return;
	}
	*dst = local;
}

void error_propagate_prepend(Error **dst, Error *local, const char *fmt, ...)
{
	va_list ap;

	if (!local)
		return;
	va_start(ap, fmt);
	vprepend(&local, fmt, ap);
	va_end(ap);
	error_propagate(dst, local);
}

const char *error_get_pretty(const Error *err)
{
	return err->msg;
}

const char *error_get_hint(const Error *err)
{
	return err->hint;
}

int error_get_errno(const Error *err)
{
	return err->err_no;
}

void error_free(Error *err)
{
	if (!err || err == &error_nomem)
		return;
	heap_free(err->msg);
	heap_free(err->hint);
	heap_free(err);
}

static void report_hint(const Error *err)
{
	const char *h = err->hint;

	/* A hint may hold several lines; print each as its own log line. */
	while (h && *h) {
		const char *nl = strchr(h, '\n');
		int len = nl ? (int)(nl - h) : (int)strlen(h);

		log_msg(LOG_ERROR, "%.*s", len, h);
		h = nl ? nl + 1 : NULL;
	}
}

void error_report_err(Error *err)
{
	error_report("%s", err->msg);
	report_hint(err);
	error_free(err);
}

void warn_report_err(Error *err)
{
	warn_report("%s", err->msg);
	report_hint(err);
	error_free(err);
}
