// SPDX-License-Identifier: GPL-2.0-or-later
#include <partita/log.h>
#include <stdio.h>

/* Errors and warnings go to stderr like QEMU's; everything else to stdout. */
void arch_console_write(enum log_level level, const char *line)
{
	FILE *f = level <= LOG_WARN ? stderr : stdout;

	fputs(line, f);
	fflush(f);
}
