/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Levelled logging and QEMU-style user messages.
 *
 * A log line is formatted whole and handed to the sink with its level;
 * the default sink is the architecture's console (host: stdout, errors
 * and warnings on stderr). Lines longer than LOG_LINE_MAX are cut.
 */
#ifndef PARTITA_LOG_H
#define PARTITA_LOG_H

#include <partita/compiler.h>
#include <stdarg.h>

enum log_level {
	LOG_ERROR,
	LOG_WARN,
	LOG_INFO,
	LOG_VERBOSE,
	LOG_DEBUG,
};

#define LOG_LINE_MAX 512

/* The program name in user messages: "partita: warning: ...". */
#define LOG_PROGNAME "partita"

typedef void log_sink_fn(void *opaque, enum log_level level, const char *line);

/* Emit fmt as one line (a trailing newline is added) if level is enabled. */
void log_msg(enum log_level level, const char *fmt, ...) PT_PRINTF(2, 3);
void log_vmsg(enum log_level level, const char *fmt, va_list ap) PT_PRINTF(2, 0);

/* Output the user asked for (a report): one line on the console (as an
 * info line) whatever the log level. */
void log_print(const char *fmt, ...) PT_PRINTF(1, 2);

/* Messages above the level are dropped. Default: CONFIG_LOG_LEVEL. */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* NULL restores the architecture console. */
void log_set_sink(log_sink_fn *fn, void *opaque);

#define pr_err(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define pr_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define pr_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define pr_verbose(...) log_msg(LOG_VERBOSE, __VA_ARGS__)
#define pr_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* QEMU's user-facing reports: "partita: msg", "partita: warning: msg". */
void error_report(const char *fmt, ...) PT_PRINTF(1, 2);
void warn_report(const char *fmt, ...) PT_PRINTF(1, 2);
void info_report(const char *fmt, ...) PT_PRINTF(1, 2);

/* Provided by arch/: write one complete line (with its newline). */
void arch_console_write(enum log_level level, const char *line);

#endif
