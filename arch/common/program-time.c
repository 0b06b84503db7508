// SPDX-License-Identifier: GPL-2.0-or-later
/* A program's clock, host or Linux build (<partita/arch/time.h>). */
#include <partita/arch/time.h>
#include <time.h>

uint64_t arch_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}
