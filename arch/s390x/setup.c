// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * s390x C entry: bring up the SCLP console, learn the machine's size,
 * run the partition manager, and end the run on QEMU's shutdown PSW.
 */
#include "s390x.h"
#include <partita/arch/exit.h>
#include <partita/arch/time.h>
#include <partita/core/main.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <stdlib.h>
#include <string.h>

/* QEMU writes at most this much of -append into the parameter area. */
#define PARM_AREA_SIZE (0x1000 - 0x480)

static uint8_t heap_pool[CONFIG_HEAP_SIZE_KB * 1024UL]
	__attribute__((aligned(4096)));
static char bootargs[PARM_AREA_SIZE + 1];
static bool console_ok;
uint64_t s390x_ram_size;

void arch_console_write(enum log_level level, const char *line)
{
	if (console_ok)
		sclp_console_write(line);
}

/* The C library's end (lib/libc: abort, failed assertions). */
void _Exit(int status)
{
	arch_exit(status);
}

void arch_exit(int status)
{
	pr_info("EXIT: STATUS=%d", status);
	s390x_power_off();
}

void s390x_start(void)
{
	struct boot_info bi = { .arch = "s390x", .since_reset_ns = arch_time_ns };

	heap_init(heap_pool, sizeof(heap_pool));
	/* Without a console there is no one to tell; run on regardless. */
	console_ok = sclp_console_init();
	if (!sclp_read_info(&bi.ram_size, &bi.cpus))
		pr_warn("sclp: Read SCP Info failed; RAM size unknown");
	s390x_ram_size = bi.ram_size;
	s390x_facilities_init();
	memcpy(bootargs, s390x_parm_area, PARM_AREA_SIZE);
	bootargs[PARM_AREA_SIZE] = '\0';
	bi.bootargs = bootargs;
	arch_exit(partita_main(&bi));
}
