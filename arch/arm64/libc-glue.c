// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The hooks picolibc expects from its platform. Partita itself prints
 * through its log (vsnprintf + the console); the streams below exist for
 * picolibc's own assert() and for anything that calls printf anyway.
 * Linked as a head object so the library can resolve against it.
 */
#include "arm64.h"
#include <partita/arch/exit.h>
#include <partita/core/main.h>
#include <stdio.h>
#include <sys/types.h>

void _exit(int status);
pid_t getpid(void);
int kill(pid_t pid, int sig);

static int console_putc(char c, FILE *f)
{
	char s[2] = { c, 0 };

	arm64_console_puts(s);
	return (unsigned char)c;
}

static FILE console_stream =
	FDEV_SETUP_STREAM(console_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdin = NULL;
FILE *const stdout = &console_stream;
FILE *const stderr = &console_stream;

/* abort(), exit() and a failed stack check end here. */
void _exit(int status)
{
	arch_exit(status);
}

/* abort() raises SIGABRT at "this process". */
pid_t getpid(void)
{
	return 1;
}

int kill(pid_t pid, int sig)
{
	arch_exit(128 + sig);
}
