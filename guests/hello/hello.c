// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hello: the smallest useful guest. Reads its device tree with libfdt,
 * prints its partition id (bootargs "id=..."), its memory and vCPUs,
 * how far its virtual counter had run when it started (CNTVOFF puts the
 * partition's start near 0), what one emulated PL011 write costs, and
 * that an SMC and an HVC with unknown function ids are answered
 * NOT_SUPPORTED; then exits 0.
 */
#include "guest.h"
#include <libfdt.h>
#include <stdio.h>

#define UNKNOWN_FN       0x8400ff00u    /* a PSCI-range id nobody serves */
#define NOT_SUPPORTED    (-1)
#define TIMED_WRITES     64

int guest_main(const void *fdt)
{
	uint64_t start = rt_counter(), base, size, t0, t1, hz = rt_counter_hz();
	const char *model = fdt_getprop(fdt, 0, "model", NULL);
	char id[32];
	int64_t smc, hvc;

	printf("hello from partition %s\n",
	       rt_bootarg("id", id, sizeof(id)) ? id : "(no id= in bootargs)");
	if (!rt_memory(&base, &size)) {
		printf("hello: no memory node in the device tree\n");
		return 1;
	}
	printf("hello: %s, %llu MiB of RAM at 0x%llx, %u vCPU%s\n",
	       model ? model : "(no model)", (unsigned long long)(size >> 20),
	       (unsigned long long)base, rt_cpu_count(),
	       rt_cpu_count() == 1 ? "" : "s");
	printf("hello: virtual counter at entry: %llu ticks (%llu us at %llu Hz)\n",
	       (unsigned long long)start,
	       (unsigned long long)(start * 1000000 / hz),
	       (unsigned long long)hz);

	/* A line of TIMED_WRITES characters. Each is two exits to
	 * Partita, as with any PL011 driver: the flag register read
	 * (transmit FIFO full?) and the data register write. */
	t0 = rt_counter();
	for (unsigned i = 0; i < TIMED_WRITES; i++)
		putchar('.');
	t1 = rt_counter();
	printf("\nhello: %d characters (2 PL011 exits each) in %llu ticks: "
	       "%llu ns a character\n",
	       TIMED_WRITES, (unsigned long long)(t1 - t0),
	       (unsigned long long)((t1 - t0) * 1000000000ULL / hz /
				    TIMED_WRITES));

	smc = rt_smc(UNKNOWN_FN);
	hvc = rt_hvc(UNKNOWN_FN);
	printf("hello: SMC 0x%x -> %lld, HVC 0x%x -> %lld (%s)\n", UNKNOWN_FN,
	       (long long)smc, UNKNOWN_FN, (long long)hvc,
	       smc == NOT_SUPPORTED && hvc == NOT_SUPPORTED ?
	       "NOT_SUPPORTED, as expected" : "WRONG");
	return smc == NOT_SUPPORTED && hvc == NOT_SUPPORTED ? 0 : 1;
}
