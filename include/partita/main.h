/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The partition manager's entry, shared by every target: the architecture
 * boots, gathers what it was given, and calls partita_main().
 */
#ifndef PARTITA_MAIN_H
#define PARTITA_MAIN_H

struct boot_info {
	const void *fdt;    /* the board's device tree, or NULL */
	const char *arch;   /* "host", "arm64", "s390x" */
};

/* Returns the exit status: 0 when everything asked for succeeded. */
int partita_main(const struct boot_info *bi);

/* One line naming the version and what this build contains. */
void partita_print_banner(const char *arch);

#endif
