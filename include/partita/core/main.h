/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The partition manager's entry, shared by every target: the architecture
 * boots, gathers what it was given, and calls partita_main().
 */
#ifndef PARTITA_CORE_MAIN_H
#define PARTITA_CORE_MAIN_H

#include <stddef.h>
#include <stdint.h>

struct boot_info {
	const char *arch;      /* "host", "arm64", "s390x" */
	const void *fdt;       /* the board's device tree, or NULL */
	/* Targets without a device tree say what they learnt otherwise
	 * (s390x: SCLP Read SCP Info); 0 = unknown. */
	uint64_t ram_size;
	unsigned cpus;
	/* The configuration string (arm64: /chosen/bootargs, s390x: the
	 * IPL parameter area, host: the command line), or NULL. */
	const char *bootargs;
	/* The host program's options instead (argv without the program
	 * name and without the options the host front end took itself). */
	int argc;
	const char *const *argv;
	/* And the configuration files named on its command line, read
	 * after argv (config_parse_string syntax), or NULL. */
	const char *config_text;
	/* Guests' images: a U-Boot FIT (arm64: the initrd; the host
	 * program: -fit FILE), or NULL. */
	const void *fit;
	size_t fit_size;
	/* Firmware: nanoseconds since the machine's reset, for the boot
	 * report's timing line; NULL where it means nothing (host). */
	uint64_t (*since_reset_ns)(void);
};

/* Returns the exit status: 0 when everything asked for succeeded, 1 for
 * a configuration or board that cannot be set up (the error printed),
 * 2 when the DMA self-test found a failure. */
int partita_main(const struct boot_info *bi);

/* One line naming the version and what this build contains. */
void partita_print_banner(const char *arch);

/* Firmware targets end the run with arch_exit(status)
 * (<partita/arch/exit.h>). */

#endif
