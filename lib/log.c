// SPDX-License-Identifier: GPL-2.0-or-later
#include <partita/log.h>
#include <stdio.h>
#include <string.h>

/*
 * Logging configuration is process-wide on purpose: there is one console.
 * Tests that capture output swap the sink and restore it.
 */
static enum log_level current_level = CONFIG_LOG_LEVEL;
static log_sink_fn *current_sink;
static void *current_opaque;

void log_set_level(enum log_level level)
{
	current_level = level;
}

enum log_level log_get_level(void)
{
	return current_level;
}

void log_set_sink(log_sink_fn *fn, void *opaque)
{
	current_sink = fn;
	current_opaque = opaque;
}

static void emit_line(enum log_level level, const char *prefix,
		      const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	size_t n = 0;
	int r;

	if (prefix) {
		r = snprintf(line, sizeof(line), "%s", prefix);
		n = r < 0 ? 0 : PT_MIN((size_t)r, sizeof(line) - 1);
	}
	r = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (r > 0)
		n = PT_MIN(n + (size_t)r, sizeof(line) - 2);
	/* One newline, whether or not the caller wrote one. */
	if (n && line[n - 1] == '\n')
		n--;
	line[n] = '\n';
	line[n + 1] = '\0';

	if (current_sink)
		current_sink(current_opaque, level, line);
	else
		arch_console_write(level, line);
}

static void emit(enum log_level level, const char *prefix, const char *fmt,
		 va_list ap)
{
	if (level <= current_level)
		emit_line(level, prefix, fmt, ap);
}

void log_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit_line(LOG_INFO, NULL, fmt, ap);
	va_end(ap);
}

void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	emit(level, NULL, fmt, ap);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(level, NULL, fmt, ap);
	va_end(ap);
}

void error_report(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_ERROR, LOG_PROGNAME ": ", fmt, ap);
	va_end(ap);
}

void warn_report(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_WARN, LOG_PROGNAME ": warning: ", fmt, ap);
	va_end(ap);
}

void info_report(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_INFO, LOG_PROGNAME ": info: ", fmt, ap);
	va_end(ap);
}
