// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spin: never ends, for -partition ...,timeout=SECONDS: Partita's timer
 * on this vCPU's physical CPU takes the CPU back and stops the
 * partition ("timed out").
 */
#include "guest.h"
#include <stdio.h>

int guest_main(const void *fdt)
{
	volatile unsigned long n = 0;

	(void)fdt;
	printf("spin: spinning until the partition is stopped\n");
	for (;;)
		n++;
	return 1;
}
