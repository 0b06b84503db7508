// SPDX-License-Identifier: GPL-2.0-or-later
/* The host program's clock (<partita/arch/time.h>). */
#include <partita/arch/time.h>
#include <time.h>

uint64_t arch_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}
